"""Every write of the members app, one module per part of the desk's work:
`members` (registration, consents, tier by hand, merge), `cards`, `points`,
`campaigns` (settings and the daily planner), `calls`, `imports`, `tiers`
(the nightly evaluation) and `expiry` (the nightly points expiry).

Functions are keyword-only, named `<thing>_<verb>`, run in one transaction,
lock the rows whose state they change and raise ValidationError with a code
on a broken business rule. Services enqueue Celery tasks by name and never
import `members.tasks` (which imports them)."""

# Imported from here by other apps' tests and by the benchmark data; the
# members app imports each service from the module that defines it.
from members.services.campaigns import campaign_plan
from members.services.cards import card_batch_receive, card_issue
from members.services.imports import member_import_commit, member_import_upload
from members.services.members import member_find_duplicate, member_merge, member_register
from members.services.points import points_earn

__all__ = [
    "campaign_plan",
    "card_batch_receive",
    "card_issue",
    "member_find_duplicate",
    "member_import_commit",
    "member_import_upload",
    "member_merge",
    "member_register",
    "points_earn",
]
