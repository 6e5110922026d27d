"""SQL pieces the bench data generators share: a mall per row number, the
local date, and the staff of each role per mall."""

from __future__ import annotations

from mallservice.models import Mall, User
from mallservice.roles import Role

MALL_OF_G = (
    "CROSS JOIN LATERAL (SELECT id AS mall_id FROM mallservice_mall ORDER BY id "
    "OFFSET g %% 2 LIMIT 1) m"
)
TODAY = "CROSS JOIN (SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date AS today)"


def staff_table(cursor) -> None:
    """A temporary table `_bench_staff(mall_id, role, ids)`: the ids of each
    role's staff per mall, to attribute generated rows realistically
    (`ids[1 + n % array_length(ids, 1)]`)."""
    rows = []
    for mall in Mall.objects.order_by("pk"):
        for role in (Role.DESK, Role.BROADCASTER, Role.SUPERVISOR):
            ids = list(
                User.objects.filter(mall=mall, groups__name=role, is_active=True)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            if ids:
                rows.append((mall.pk, role.value, ids))
    cursor.execute("DROP TABLE IF EXISTS _bench_staff")
    cursor.execute("CREATE TEMP TABLE _bench_staff (mall_id bigint, role text, ids bigint[])")
    for row in rows:
        cursor.execute("INSERT INTO _bench_staff VALUES (%s, %s, %s)", row)
