"""Malls made before the desk registers existed get what a new mall gets
(`desk/mall_setup.py`): their settings row and the default walk-in
service categories."""

from django.db import migrations

DEFAULT_CATEGORIES = [
    ("enquiry", "问询", "question-circle"),
    ("directions", "指路", "signpost-split"),
    ("gift_wrap", "礼品包装", "gift"),
    ("phone_charge", "手机充电", "battery-charging"),
    ("umbrella", "雨伞借还", "umbrella"),
    ("wheelchair", "轮椅借还", "person-wheelchair"),
    ("stroller", "婴儿车借还", "cart"),
    ("first_aid", "急救药品", "bandaid"),
]


def forwards(apps, schema_editor):
    Mall = apps.get_model("mallservice", "Mall")
    DeskSettings = apps.get_model("desk", "DeskSettings")
    WalkInCategory = apps.get_model("desk", "WalkInCategory")
    for mall in Mall.objects.all():
        DeskSettings.objects.get_or_create(mall=mall)
        WalkInCategory.objects.bulk_create(
            [
                WalkInCategory(mall=mall, code=code, name=name, icon=icon, order=index * 10)
                for index, (code, name, icon) in enumerate(DEFAULT_CATEGORIES)
            ],
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [("desk", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
