"""The duty manager's incident notices move into the shared outbox
(`mallservice.notifications`): every row is copied, then the old table is
dropped."""

from django.db import migrations

BATCH = 2000


def _copy(apps, rows, make) -> None:
    """Write each old row as a row of the shared outbox, in batches."""
    Message = apps.get_model("mallservice", "Message")
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        batch.append(Message(**make(row)))
        if len(batch) == BATCH:
            Message.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Message.objects.bulk_create(batch, ignore_conflicts=True)


def forwards(apps, schema_editor) -> None:
    IncidentNotice = apps.get_model("desk", "IncidentNotice")

    def make(row):
        return {
            "mall_id": row.mall_id,
            "kind": "desk.incident_urgent",
            "source": f"incident:{row.incident_id}",
            "channel": "sms",
            "category": "alert",
            "audience": "staff",
            "recipient": row.recipient_phone,
            "recipient_name": row.recipient_name,
            "template": "desk.incident_urgent",
            "body": row.body,
            "idempotency_key": f"desk.incident_urgent:{row.incident_id}",
            "status": row.status,
            "created_at": row.created_at,
            "due_at": row.created_at,
            "next_attempt_at": row.created_at,
            "attempts": 1,
            "sent_at": row.created_at,
            "provider": "console" if row.status == "recorded" else "",
        }

    _copy(apps, IncidentNotice.objects.order_by("pk"), make)


class Migration(migrations.Migration):
    dependencies = [
        ("mallservice", "0011_notifications_outbox"),
        ("desk", "0005_invoices_parking_group"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        # The history (pghistory event) table stays in the database as an
        # append-only archive: audit rows are never dropped. Django forgets it.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="incidentnoticeevent",
                    name="pgh_obj",
                ),
                migrations.RemoveField(
                    model_name="incidentnoticeevent",
                    name="incident",
                ),
                migrations.RemoveField(
                    model_name="incidentnoticeevent",
                    name="mall",
                ),
                migrations.DeleteModel(
                    name="IncidentNoticeEvent",
                ),
            ],
            database_operations=[],
        ),
        migrations.DeleteModel(
            name="IncidentNotice",
        ),
    ]
