"""The system actor runs scheduled work for every mall (daily reports,
dispatchers): migration 0002 created it without `all_malls`, so whatever it
read through the scoped selectors was empty (issue 25 item 10)."""

from django.db import migrations


def system_actor_all_malls(apps, schema_editor):
    apps.get_model("mallservice", "User").objects.filter(username="system").update(all_malls=True)


class Migration(migrations.Migration):
    dependencies = [("mallservice", "0007_staff_permissions")]

    operations = [migrations.RunPython(system_actor_all_malls, migrations.RunPython.noop)]
