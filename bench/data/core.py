"""Two malls, their floors and ~120 shops (the demo directory), plus the
benchmark's own staff accounts for every role."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command

from bench.scenarios import Page
from mallservice.models import Mall, Unit, User
from mallservice.roles import Role
from mallservice.services import staff_create

BENCH_USERS = {
    "bench-desk": Role.DESK,
    "bench-supervisor": Role.SUPERVISOR,
    "bench-manager": Role.MANAGER,
    "bench-broadcaster": Role.BROADCASTER,
}


def generate(cursor) -> None:
    call_command("seed_demo", verbosity=0)
    mall = Mall.objects.order_by("pk").first()
    for username, role in BENCH_USERS.items():
        staff_create(
            username=username,
            password=settings.DEMO_PASSWORD,
            role=role,
            mall=mall,
            all_malls=role == Role.MANAGER,
        )


def context(cursor) -> dict[str, Any]:
    mall = Mall.objects.order_by("pk").first()
    return {
        "mall_id": mall.pk,
        "unit_id": Unit.objects.filter(mall=mall, kind=Unit.Kind.SHOP).order_by("pk").first().pk,
        "users": {u.username: u.pk for u in User.objects.filter(username__in=BENCH_USERS)},
    }


SCENARIOS = [
    Page("home page", lambda ctx: "/", desk_share=0.10),
    Page(
        "history panel of a shop",
        lambda ctx: f"/history/mallservice/unit/{ctx['unit_id']}/",
        user="bench-supervisor",
        desk_share=0.02,
    ),
]
SCENARIOS += [
    Page(
        "supervisor dashboard",
        lambda ctx: "/dashboard/",
        target_p95_ms=300,
        user="bench-supervisor",
        desk_share=0.02,
    ),
    Page(
        "dashboard, all malls side by side (manager)",
        lambda ctx: "/dashboard/?mall=all",
        target_p95_ms=300,
        user="bench-manager",
    ),
]
