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


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    """A real, tiny image that Pillow decodes (uploads are checked by their
    content): fmt is a Pillow format name, "PNG", "JPEG" or "WEBP"."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def image_upload(name: str = "photo.png", fmt: str = "PNG", **kwargs):
    """An uploaded image as a browser would post it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name, image_bytes(fmt, **kwargs), content_type=content_type)


def pdf_upload(name: str = "note.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")
