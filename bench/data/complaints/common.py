"""What the complaints bench tables share: a deterministic hash in place of
random(), explicit ids, the malls' directory and staff as a temp table, and
weighted choices written as SQL."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q

# Uniform in [0, 1) from (row number, draw number): two runs make the same
# data, and one row's draws are independent of each other.
RND = """
CREATE OR REPLACE FUNCTION pg_temp.c_rnd(i bigint, k integer) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ((hashint8extended(i, k) >> 11) & 9007199254740991)::double precision
           / 9007199254740992.0
$$;
"""
YEARS_DAYS = 3 * 365
LOCAL_TZ = "Asia/Shanghai"
# code, weight, what happened, remedy asked, at a public area (not a shop)
CATEGORIES = [
    ("product_quality", 20, "新买的羽绒服穿了一次就开线", "退货退款", False),
    ("service_attitude", 22, "店员态度冷淡，试穿时被催促", "店铺道歉", False),
    ("price_receipt", 12, "结账价格与标签价不一致，多收了 30 元", "退还差价", False),
    ("returns", 15, "七天内未拆吊牌，店铺拒绝退换", "按规定退换", False),
    ("facilities", 10, "洗手间无纸巾且地面湿滑", "尽快清洁", True),
    ("parking", 10, "停车场缴费机故障，排队二十分钟", "减免停车费", True),
    ("safety", 3, "扶梯运行时有异响并突然停顿", "立即检修", True),
    ("other", 8, "中庭活动音响声音过大", "调低音量", False),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华玲欣怡子涵浩宇"


def max_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
    return cursor.fetchone()[0]


def reset_sequence(cursor, table: str) -> None:
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
        f"(SELECT coalesce(max(id), 1) FROM {table}))"
    )


def pick(expr: str, weighted: list[tuple[str, float]]) -> str:
    """A SQL CASE choosing a value by weight with `expr` uniform in [0, 1)."""
    total = sum(w for _v, w in weighted)
    parts, acc = [], 0.0
    for value, weight in weighted[:-1]:
        acc += weight / total
        parts.append(f"WHEN {expr} < {acc:.6f} THEN {value}")
    return f"(CASE {' '.join(parts)} ELSE {weighted[-1][0]} END)"


def local_time(day_offset: str, fraction: str, now_param: str = "%(now)s") -> str:
    """A moment of the mall's opening hours (10:00-22:00 local) `day_offset`
    days before today, `fraction` of the way through the day."""
    return (
        f"((date_trunc('day', {now_param}::timestamptz AT TIME ZONE '{LOCAL_TZ}')"
        f" - ({day_offset}) * interval '1 day' + interval '10 hours'"
        f" + ({fraction}) * interval '12 hours') AT TIME ZONE '{LOCAL_TZ}')"
    )


def create_malls(cursor, now: datetime.datetime) -> list[dict[str, Any]]:
    """bench_cm: per mall (idx 0, 1) its shops, public areas and floors, desk
    staff and supervisors, categories, statuses and tier codes, as arrays
    the generators index with a hash."""
    from complaints.models import Category, DeskSettings, Status
    from complaints.services.desk import desk_config_ensure
    from mallservice.models import Floor, Mall, Unit, User
    from mallservice.roles import Role
    from members.models import Tier

    malls = list(Mall.objects.order_by("pk")[:2])
    rows = []
    for idx, mall in enumerate(malls):
        desk_config_ensure(mall=mall)
        staff = User.objects.filter(Q(mall=mall) | Q(all_malls=True), is_active=True)
        desks = sorted(staff.filter(groups__name=Role.DESK).values_list("pk", flat=True))
        sups = sorted(staff.filter(groups__name=Role.SUPERVISOR).values_list("pk", flat=True))
        shops = list(
            Unit.objects.filter(mall=mall, kind=Unit.Kind.SHOP, is_active=True)
            .order_by("pk")
            .values_list("pk", "floor_id", "name")
        )
        areas = list(
            Unit.objects.filter(mall=mall, is_active=True)
            .exclude(kind=Unit.Kind.SHOP)
            .order_by("pk")
            .values_list("pk", "floor_id", "name")
        )
        rows.append(
            {
                "idx": idx,
                "mall_id": mall.pk,
                "prefix": DeskSettings.objects.get(mall=mall).reference_prefix,
                "fault_prefix": DeskSettings.objects.get(mall=mall).fault_reference_prefix,
                "shops": [u[0] for u in shops],
                "shop_floors": [u[1] for u in shops],
                "shop_names": [u[2] for u in shops],
                "areas": [u[0] for u in areas],
                "area_floors": [u[1] for u in areas],
                "floors": list(
                    Floor.objects.filter(mall=mall).order_by("pk").values_list("pk", flat=True)
                ),
                "desks": desks or sups,
                "sups": sups or desks,
                "categories": dict(Category.objects.filter(mall=mall).values_list("code", "pk")),
                "statuses": dict(Status.objects.filter(mall=mall).values_list("code", "pk")),
                "tiers": list(
                    Tier.objects.filter(mall=mall).order_by("rank").values_list("code", flat=True)
                ),
            }
        )
    cursor.execute(
        "CREATE TEMP TABLE bench_cm (idx int, mall_id int, prefix text, fault_prefix text, "
        "shops int[], shop_floors int[], shop_names text[], areas int[], area_floors int[], "
        "floors int[], desks int[], sups int[], cats int[], st_open int, st_waiting int, "
        "st_resolved int, st_closed int, tiers text[]) ON COMMIT DROP"
    )
    for row in rows:
        cursor.execute(
            "INSERT INTO bench_cm VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
            "%s, %s, %s, %s, %s)",
            [
                row["idx"],
                row["mall_id"],
                row["prefix"],
                row["fault_prefix"],
                row["shops"],
                row["shop_floors"],
                row["shop_names"],
                row["areas"],
                row["area_floors"],
                row["floors"],
                row["desks"],
                row["sups"],
                [row["categories"][code] for code, _w, _s, _t, _r in CATEGORIES],
                row["statuses"]["open"],
                row["statuses"]["waiting_customer"],
                row["statuses"]["resolved"],
                row["statuses"]["closed"],
                row["tiers"],
            ],
        )
    return rows


def arr(column: str, draw: str) -> str:
    """The element of array `column` picked by `draw` (uniform in [0, 1))."""
    return f"{column}[1 + floor(({draw}) * cardinality({column}))::int]"


def insert_counters(cursor, *, series: str, table: str, base: int) -> None:
    """Each mall-day's reference counter (TS-… or BX-…) at the last number
    the generated rows of `table` took."""
    cursor.execute(
        f"""
        INSERT INTO complaints_dailycounter (mall_id, series, day, last_number)
        SELECT mall_id, %s, (received_at AT TIME ZONE '{LOCAL_TZ}')::date,
               max(split_part(reference, '-', 3)::int)
        FROM {table} WHERE id > %s
        GROUP BY 1, 2, 3
        ON CONFLICT (mall_id, series, day) DO UPDATE SET last_number = EXCLUDED.last_number
        """,
        [series, base],
    )
