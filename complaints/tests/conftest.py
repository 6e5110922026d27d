import pytest

from complaints.tests.factories import make_complaint
from mallservice.testing import OTHER, OWN


@pytest.fixture
def complaint(desk_user, mall, shop):
    return make_complaint(actor=desk_user, mall=mall, unit=shop)


@pytest.fixture
def complaints_world(permission_world, shop):
    from mallservice.roles import Role
    from mallservice.tests.factories import FloorFactory, UnitFactory, make_staff

    world = permission_world
    other = world["malls"][OTHER]
    other_desk = make_staff(role=Role.DESK, mall=other, username="desk-other")
    other_shop = UnitFactory(floor=FloorFactory(mall=other), mall=other)
    world["objects"][OWN]["complaint"] = make_complaint(
        actor=world["users"][Role.DESK.value], mall=world["malls"][OWN], unit=shop
    )
    world["objects"][OTHER]["complaint"] = make_complaint(
        actor=other_desk, mall=other, unit=other_shop
    )
    return world


@pytest.fixture
def fault(desk_user, mall, shop):
    from complaints.tests.factories import make_fault

    return make_fault(actor=desk_user, mall=mall, unit=shop)


@pytest.fixture
def faults_world(permission_world, shop):
    from complaints.tests.factories import make_fault
    from mallservice.roles import Role
    from mallservice.tests.factories import FloorFactory, UnitFactory, make_staff

    world = permission_world
    other = world["malls"][OTHER]
    other_desk = make_staff(role=Role.DESK, mall=other, username="desk-other-f")
    other_shop = UnitFactory(floor=FloorFactory(mall=other), mall=other)
    world["objects"][OWN]["fault"] = make_fault(
        actor=world["users"][Role.DESK.value], mall=world["malls"][OWN], unit=shop
    )
    world["objects"][OTHER]["fault"] = make_fault(actor=other_desk, mall=other, unit=other_shop)
    return world
