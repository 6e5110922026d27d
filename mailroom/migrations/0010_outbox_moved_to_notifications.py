"""Parcel notices move into the shared outbox (`mallservice.notifications`):
every row is copied, with its state, then the old table is dropped. The
old rows kept codes, not text: their text is written here, in Chinese."""

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


CATEGORIES = {
    "arrival": "notice",
    "returned": "notice",
    "reminder": "reminder",
    "escalation": "reminder",
}
TEXTS = {
    "arrival": "您有快递（{carrier} {tracking_number}）已于{received_on}到达服务台，取件码{pickup_code}。",
    "reminder": "您的快递（{carrier} {tracking_number}）仍在服务台等待领取，取件码{pickup_code}。",
    "escalation": "您的快递（{carrier} {tracking_number}）自{received_on}起在服务台等待，请尽快领取，取件码{pickup_code}。",
    "returned": "您的快递（{carrier} {tracking_number}）已退回寄件人。",
}


def forwards(apps, schema_editor) -> None:
    Notification = apps.get_model("mailroom", "Notification")

    def make(row):
        params = {
            k: row.params.get(k, "")
            for k in ("carrier", "tracking_number", "received_on", "pickup_code")
        }
        status = row.status
        # The record-only backend marked what it wrote down "sent".
        if status == "sent" and row.backend == "record_only":
            status = "recorded"
        return {
            "mall_id": row.mall_id,
            "kind": f"mailroom.{row.kind}",
            "source": f"parcel:{row.parcel_id}",
            "channel": "sms",
            "category": CATEGORIES[row.kind],
            "audience": "customer" if row.parcel.recipient_kind == "customer" else "staff",
            "recipient": row.to_phone,
            "recipient_name": row.to_name,
            "template": f"mailroom.{row.kind}",
            "params": row.params,
            "body": TEXTS[row.kind].format(**params),
            "idempotency_key": f"mailroom.{row.kind}:{row.parcel_id}",
            "status": status,
            "created_at": row.created_at,
            "due_at": row.created_at,
            "next_attempt_at": row.created_at,
            "attempts": row.attempts,
            "claimed_at": row.claimed_at,
            "sent_at": row.sent_at,
            "provider": "console" if row.backend == "record_only" else row.backend[:32],
            "last_error": row.error,
        }

    _copy(apps, Notification.objects.select_related("parcel").order_by("pk"), make)


class Migration(migrations.Migration):
    dependencies = [
        ("mallservice", "0011_notifications_outbox"),
        ("mailroom", "0009_shared_department_vocabulary"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        # The history (pghistory event) table stays in the database as an
        # append-only archive: audit rows are never dropped. Django forgets it.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="notificationevent",
                    name="pgh_obj",
                ),
                migrations.RemoveField(
                    model_name="notificationevent",
                    name="mall",
                ),
                migrations.RemoveField(
                    model_name="notificationevent",
                    name="parcel",
                ),
                migrations.DeleteModel(
                    name="NotificationEvent",
                ),
            ],
            database_operations=[],
        ),
        migrations.DeleteModel(
            name="Notification",
        ),
    ]
