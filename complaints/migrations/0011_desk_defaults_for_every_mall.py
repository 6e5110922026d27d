"""Desk defaults are created with the mall (`complaints/mall_setup.py`);
this gives every existing mall what a new one gets: desk settings,
categories and statuses if it has none, an SLA policy per severity and a
fault routing row per type where it has none (the values the code used when
a row was missing, so no due time changes).

One daily report: the complaints daily summary is now the complaints
section of the desk's daily report, so its own time and recipient list go;
its recipients join the mall's report recipients (weekly and monthly
summaries go there too), so nobody stops getting the day's figures."""

from django.db import migrations

# Frozen copies of the defaults at the time of this migration.
CATEGORIES = [
    ("product_quality", "商品质量"),
    ("service_attitude", "服务态度"),
    ("price_receipt", "价格 / 票据"),
    ("returns", "退换货"),
    ("facilities", "设施与环境"),
    ("parking", "停车"),
    ("safety", "安全"),
    ("other", "其他"),
]
STATUSES = [
    ("open", "处理中", "处理中", "open", True),
    ("waiting_customer", "等待顾客", "等待您的回复", "paused", True),
    ("waiting_third_party", "等待第三方", "处理中", "paused", False),
    ("resolved", "已解决", "已解决", "resolved", True),
    ("closed", "已结案", "已结案", "closed", True),
]
SLA_TARGETS = {
    "normal": (120, 24 * 60, 120),
    "urgent": (30, 8 * 60, 60),
    "safety": (10, 2 * 60, 30),
}
ROUTES = {
    "lighting": "engineering",
    "lift": "engineering",
    "air_conditioning": "engineering",
    "water": "engineering",
    "toilets": "cleaning",
    "doors": "security",
    "signage": "engineering",
    "screens": "engineering",
    "other": "engineering",
}


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def summary_recipients_join_report(apps, schema_editor):
    DeskSettings = apps.get_model("complaints", "DeskSettings")
    Mall = apps.get_model("mallservice", "Mall")
    for desk in DeskSettings.objects.exclude(summary_recipients=""):
        mall = Mall.objects.get(pk=desk.mall_id)
        lines = _lines(mall.report_recipients)
        known = {line.lower() for line in lines}
        added = [line for line in _lines(desk.summary_recipients) if line.lower() not in known]
        if added:
            mall.report_recipients = "\n".join(lines + added)
            mall.save(update_fields=["report_recipients"])


def desk_defaults_create(apps, schema_editor):
    Mall = apps.get_model("mallservice", "Mall")
    DeskSettings = apps.get_model("complaints", "DeskSettings")
    Category = apps.get_model("complaints", "Category")
    Status = apps.get_model("complaints", "Status")
    SlaPolicy = apps.get_model("complaints", "SlaPolicy")
    FaultRoute = apps.get_model("complaints", "FaultRoute")
    for mall in Mall.objects.all():
        DeskSettings.objects.get_or_create(mall=mall)
        if not Category.objects.filter(mall=mall).exists():
            Category.objects.bulk_create(
                [
                    Category(mall=mall, code=code, name=name, sort_order=i)
                    for i, (code, name) in enumerate(CATEGORIES)
                ]
            )
        if not Status.objects.filter(mall=mall).exists():
            Status.objects.bulk_create(
                [
                    Status(mall=mall, code=c, name=n, customer_label=cl, category=cat, is_default=d)
                    for c, n, cl, cat, d in STATUSES
                ]
            )
        SlaPolicy.objects.bulk_create(
            [
                SlaPolicy(
                    mall=mall,
                    severity=severity,
                    tier="",
                    response_minutes=response,
                    resolution_minutes=resolution,
                    warn_before_minutes=warn,
                )
                for severity, (response, resolution, warn) in SLA_TARGETS.items()
            ],
            ignore_conflicts=True,
        )
        FaultRoute.objects.bulk_create(
            [
                FaultRoute(mall=mall, fault_type=kind, department=department)
                for kind, department in ROUTES.items()
            ],
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0010_uploads_random_names"),
        ("mallservice", "0003_daily_report"),
    ]

    operations = [
        migrations.RunPython(summary_recipients_join_report, migrations.RunPython.noop),
        migrations.RunPython(desk_defaults_create, migrations.RunPython.noop),
    ]
