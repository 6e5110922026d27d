"""The project's one notification outbox (消息发送).

Every app writes the messages it wants sent with `services.message_queue`, in
the transaction of the change that caused them: a `models.Message` row with a
kind, channel, recipient, template and parameters, and an idempotency key
(the same event never queues twice). `services.messages_dispatch`, run by
beat every minute and kicked after a queue, claims due rows with
`SKIP LOCKED`, applies the channel rules (`rules`) and hands each row to its
channel's provider (`providers`: console, e-mail, Tencent Cloud SMS, WeCom).

The kernel imports no app: consent and do-not-contact come from the apps'
`contacts.py` hook (`mallservice.hooks.contact_refusal`)."""
