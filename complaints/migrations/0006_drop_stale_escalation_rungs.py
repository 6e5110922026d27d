"""Rungs that can never fire any more: those of complaints already resolved,
merged or closed, and of closed fault reports. The services now drop them
when a case's resolution period ends (`escalation_ladder_stop`); rows left
by the earlier code made the dispatcher walk millions of them every minute.
Fired rungs stay: they are the record of the escalation."""

from django.db import migrations

DROP = """
DELETE FROM complaints_escalation e
USING complaints_complaint c
WHERE e.complaint_id = c.id AND e.fired_at IS NULL
  AND c.status_category IN ('resolved', 'closed');
DELETE FROM complaints_escalation e
USING complaints_faultreport f
WHERE e.fault_id = f.id AND e.fired_at IS NULL AND f.state = 'closed';
"""


class Migration(migrations.Migration):
    dependencies = [("complaints", "0005_sla_policy_tier_code_length")]

    operations = [migrations.RunSQL(DROP, reverse_sql=migrations.RunSQL.noop)]
