from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class MallserviceConfig(AppConfig):
    name = "mallservice"
    verbose_name = _("Mall directory and staff")

    def ready(self) -> None:
        from mallservice import access, audit, audit_db, roles
        from mallservice.workdays import admin as _calendar_admin  # noqa: F401

        access.connect_signals()
        post_migrate.connect(roles.sync_role_permissions_signal, dispatch_uid="sync_roles")
        post_migrate.connect(audit_db.post_migrate_signal, dispatch_uid="audit_guards")
        # A new mall gets every app's desk defaults (`<app>/mall_setup.py`),
        # however it is created: the admin, seed_demo, a factory.
        post_save.connect(_mall_created, sender="mallservice.Mall", dispatch_uid="mall_setup")
        # Every management command writes history with an actor and source.
        audit.wrap_management_commands()
        user_logged_in.connect(audit.name_logged_in_actor, dispatch_uid="audit_actor_names")


def _mall_created(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        from mallservice.hooks import mall_setup_run

        mall_setup_run(mall=instance)
