"""What a new mall's complaints desk starts with: default categories,
statuses, desk settings, SLA policies and the fault routing table. Created
once with the mall (`mallservice.hooks.mall_setup_run`, in the mall's
transaction); existing malls got them from migration 0008. Nothing creates
them on a page view or in a dispatcher."""

from __future__ import annotations

from complaints.faults.services import fault_routes_ensure
from complaints.services.desk import desk_config_ensure
from mallservice.models import Mall


def setup(*, mall: Mall) -> None:
    desk_config_ensure(mall=mall)
    fault_routes_ensure(mall=mall)
