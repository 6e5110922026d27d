from django.db import migrations

ROLES = ["desk_staff", "broadcaster", "supervisor", "manager"]


def create_roles(apps, schema_editor):
    # Groups only; their permissions are synced from each app's
    # permissions.py after every migrate (mallservice.roles).
    Group = apps.get_model("auth", "Group")
    for code in ROLES:
        Group.objects.get_or_create(name=code)
    User = apps.get_model("mallservice", "User")
    # The named actor of scheduled work: it owns what no person started.
    User.objects.get_or_create(
        username="system", defaults={"is_active": False, "display_name": "system", "password": "!"}
    )


class Migration(migrations.Migration):
    dependencies = [("mallservice", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
