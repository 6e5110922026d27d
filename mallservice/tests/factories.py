from __future__ import annotations

import factory
from django.conf import settings

from mallservice.models import Floor, Mall, Unit, User
from mallservice.roles import Role
from mallservice.services import staff_create


class MallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mall
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"mall{n}")
    name = factory.Sequence(lambda n: f"测试广场{n}")


class FloorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Floor

    mall = factory.SubFactory(MallFactory)
    code = factory.Sequence(lambda n: f"{n + 1}F")
    level = factory.Sequence(lambda n: n + 1)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    floor = factory.SubFactory(FloorFactory)
    mall = factory.SelfAttribute("floor.mall")
    kind = Unit.Kind.SHOP
    code = factory.Sequence(lambda n: f"U-{n:04d}")
    name = factory.Sequence(lambda n: f"店铺{n}")


def make_staff(*, role: str, mall: Mall | None, username: str | None = None, **kwargs) -> User:
    """A staff account through the same service the admin and seed use."""
    return staff_create(
        username=username or f"{Role(role).value}-{User.objects.count()}",
        password=settings.DEMO_PASSWORD,
        role=role,
        mall=mall,
        **kwargs,
    )
