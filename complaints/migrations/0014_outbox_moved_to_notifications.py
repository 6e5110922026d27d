"""The complaints outbox moves into the shared outbox
(`mallservice.notifications`): every row is copied, with its state, then the
old table is dropped."""

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


PROVIDERS = {"record-only": "console", "django-mail": "email"}


def forwards(apps, schema_editor) -> None:
    OutboxMessage = apps.get_model("complaints", "OutboxMessage")

    def make(row):
        sms = row.channel == "sms"
        source = (
            f"complaint:{row.complaint_id}"
            if row.complaint_id
            else f"fault:{row.fault_id}"
            if row.fault_id
            else ""
        )
        done = row.state in ("sent", "recorded")
        return {
            "mall_id": row.mall_id,
            "kind": "complaints.ack" if sms else "complaints.email",
            "source": source,
            "channel": row.channel,
            "category": "case" if sms else "alert" if source else "report",
            "audience": "customer" if sms else "staff",
            "recipient": row.to,
            "subject": row.subject,
            "body": row.body,
            # The acknowledgement's key is the one intake now writes.
            "idempotency_key": (
                f"complaints.ack:{row.complaint_id}"
                if sms and row.complaint_id
                else f"complaints.outbox:{row.pk}"
            ),
            "status": row.state,
            "created_at": row.created_at,
            "due_at": row.created_at,
            "next_attempt_at": row.created_at,
            "attempts": 1 if row.processed_at else 0,
            "claimed_at": row.claimed_at,
            "sent_at": row.processed_at if done else None,
            "provider": PROVIDERS.get(row.backend, row.backend)[:32],
        }

    _copy(apps, OutboxMessage.objects.order_by("pk"), make)


class Migration(migrations.Migration):
    dependencies = [
        ("mallservice", "0011_notifications_outbox"),
        ("complaints", "0013_legal_clocks"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        # The history (pghistory event) table stays in the database as an
        # append-only archive: audit rows are never dropped. Django forgets it.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="outboxmessageevent",
                    name="pgh_obj",
                ),
                migrations.RemoveField(
                    model_name="outboxmessageevent",
                    name="complaint",
                ),
                migrations.RemoveField(
                    model_name="outboxmessageevent",
                    name="fault",
                ),
                migrations.RemoveField(
                    model_name="outboxmessageevent",
                    name="mall",
                ),
                migrations.DeleteModel(
                    name="OutboxMessageEvent",
                ),
            ],
            database_operations=[],
        ),
        migrations.DeleteModel(
            name="OutboxMessage",
        ),
    ]
