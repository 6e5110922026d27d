from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MallserviceConfig(AppConfig):
    name = "mallservice"
    verbose_name = _("Mall directory and staff")

    def ready(self) -> None:
        from mallservice import access, audit, audit_db, roles

        access.connect_signals()
        post_migrate.connect(roles.sync_role_permissions_signal, dispatch_uid="sync_roles")
        post_migrate.connect(audit_db.post_migrate_signal, dispatch_uid="audit_guards")
        # Every management command writes history with an actor and source.
        audit.wrap_management_commands()
        user_logged_in.connect(audit.name_logged_in_actor, dispatch_uid="audit_actor_names")
