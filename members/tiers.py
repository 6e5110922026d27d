"""Automatic tier changes (会员等级自动升降), evaluated every night by beat.

The rules, each setting in Django settings with its default:

- **Spend** is the sum of the receipt amounts (the ledger's `earn` lines) in
  the last MEMBERS_TIER_SPEND_MONTHS (12) months, from the start of that day,
  including the lines of duplicates merged into the member.
- **Up, every night:** a member whose spend reaches the upgrade threshold of
  a higher tier moves to the highest such tier. A tier whose upgrade threshold
  is 0 is only ever set by hand. After a supervisor's manual change only the
  spend after that change counts, so a supervisor's decision is not undone
  overnight by the spend it was made against.
- **Down, at the yearly review:** every MEMBERS_TIER_REVIEW_MONTHS (12)
  months after the member's last tier change (their registration while the
  tier never changed), a member whose spend is below their tier's keep
  threshold moves down to the highest lower tier whose keep threshold the
  spend meets, or the lowest tier. Reviews due on days when no run happened
  (a stopped beat) are caught up by the next run.
- Every change is an UPDATE of the member row: it is in the member's history
  as a manual change is, with reason "automatic" and the system actor, and
  it restarts the review year (`tier_changed_at`).

Idempotent: an upgrade is a condition on the current tier; reviews cover the
days after the mall's last run (TierReviewRun) up to today, so a second run on
the same day reviews nobody. The mall's tier rows are locked for the run, so
two beats run one after the other. A tier changed by hand while the run
works is never overwritten: the UPDATE rechecks the tier it read.

Manual changes take effect at once (the supervisor's action is the approval),
so there is no pending manual change to wait for.

The evaluation itself is a service: `members.services.tiers`."""

from __future__ import annotations

import datetime

from django.conf import settings

from members.months import add_months, local_midnight

SPEND_MONTHS = getattr(settings, "MEMBERS_TIER_SPEND_MONTHS", 12)
REVIEW_MONTHS = getattr(settings, "MEMBERS_TIER_REVIEW_MONTHS", 12)


def spend_since(day: datetime.date) -> datetime.datetime:
    """The start of the spend window for an evaluation on `day`."""
    return local_midnight(add_months(day, -SPEND_MONTHS))
