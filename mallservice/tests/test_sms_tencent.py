"""SMS through the real Tencent Cloud SDK against a local fake Tencent
server that checks the SDK's TC3-HMAC-SHA256 signature; delivery receipts
at the callback URL."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse

from mallservice.notifications.models import Message
from mallservice.notifications.services import messages_dispatch
from mallservice.tests.notifications_helpers import at, queue

pytestmark = pytest.mark.django_db


def _sms(mall, **kwargs) -> Message:
    return queue(mall, template="test.notice", params={"ref": "TS-1", "phone": "400"}, **kwargs)


def test_an_sms_goes_through_the_sdk_signed_with_template_and_key(mall, fake_sms):
    # given an SMS in the outbox
    message = _sms(mall)
    # when the dispatcher sends it
    assert messages_dispatch(now=at(2, 10)) == 1
    # then Tencent received one signed SendSms with the template's parameters in order
    assert fake_sms.bad_signatures == 0 and fake_sms.requests["SendSms"] == 1
    [sent] = fake_sms.sent
    assert sent["PhoneNumberSet"] == ["+8613800000001"]
    assert (sent["SignName"], sent["TemplateId"]) == ("星光广场", "100001")
    assert sent["TemplateParamSet"] == ["TS-1", "400"]
    assert sent["SessionContext"] == message.idempotency_key
    # and the message keeps Tencent's serial number
    message.refresh_from_db()
    assert (message.status, message.provider) == ("sent", "tencent")
    assert message.provider_message_id == sent["SerialNo"]


def test_the_fake_provider_rejects_a_wrong_signature(mall, fake_sms, settings):
    # given a wrong secret key: the SDK signs, Tencent's check fails
    settings.TENCENT_SMS_SECRET_KEY = "not-the-key"
    message = _sms(mall)
    messages_dispatch(now=at(2, 10))
    message.refresh_from_db()
    # then nothing was sent and the message waits for a retry
    assert fake_sms.bad_signatures == 1 and fake_sms.sent == []
    assert message.status == "pending" and "AuthFailure.SignatureFailure" in message.last_error


def test_signature_and_templates_can_differ_per_mall(mall, fake_sms, settings):
    settings.SMS_MALLS = {
        mall.code: {"sign_name": "东城店", "templates": {"test.notice": {"id": "200002"}}}
    }
    _sms(mall)
    messages_dispatch(now=at(2, 10))
    [sent] = fake_sms.sent
    assert (sent["SignName"], sent["TemplateId"], sent["TemplateParamSet"]) == (
        "东城店",
        "200002",
        [],
    )


@pytest.mark.parametrize(
    ("recipient", "code"),
    [("13900000009", "PhoneNumberInBlacklist"), ("12345", "IncorrectPhoneNumber")],
)
def test_an_unsubscribed_or_invalid_number_is_refused_once_and_never_retried(
    mall, fake_sms, recipient, code
):
    message = _sms(mall, recipient=recipient)
    messages_dispatch(now=at(2, 10))
    messages_dispatch(now=at(3, 10))
    message.refresh_from_db()
    assert message.status == "failed" and code in message.last_error
    assert fake_sms.requests["SendSms"] == 1


def test_a_template_not_configured_fails_without_calling_tencent(mall, fake_sms):
    message = queue(mall, template="unknown.template")
    messages_dispatch(now=at(2, 10))
    message.refresh_from_db()
    assert message.status == "failed" and "no SMS template" in message.last_error
    assert fake_sms.requests["SendSms"] == 0


def _receipt(client, secret: str, reports) -> object:
    url = reverse("notifications:tencent_receipts", args=[secret])
    return client.post(url, data=json.dumps(reports), content_type="application/json")


def _report(serial: str, status: str = "SUCCESS") -> dict[str, str]:
    return {
        "user_receive_time": "2026-12-02 10:00:05",
        "nationcode": "86",
        "mobile": "13800000001",
        "report_status": status,
        "errmsg": "DELIVRD" if status == "SUCCESS" else "MK:0001",
        "description": "用户短信送达成功",
        "sid": serial,
    }


@pytest.fixture
def sent_sms(mall, fake_sms, settings):
    settings.SMS_RECEIPT_SECRET = "receipt-secret"
    message = _sms(mall)
    messages_dispatch(now=at(2, 10))
    message.refresh_from_db()
    return message


def test_a_delivery_receipt_marks_the_message_delivered(client, sent_sms):
    response = _receipt(client, "receipt-secret", [_report(sent_sms.provider_message_id)])
    assert response.status_code == 200 and response.json() == {"result": 0, "errmsg": "OK"}
    sent_sms.refresh_from_db()
    assert sent_sms.status == "delivered"
    assert sent_sms.delivered_at == at(2, 10) + datetime.timedelta(seconds=5)


def test_an_undelivered_receipt_shows_on_the_supervisors_page(client, sent_sms, supervisor_user):
    _receipt(client, "receipt-secret", [_report(sent_sms.provider_message_id, "FAIL")])
    sent_sms.refresh_from_db()
    assert (sent_sms.status, sent_sms.last_error) == ("undelivered", "MK:0001")
    client.force_login(supervisor_user)
    page = client.get(reverse("notifications:problems")).content.decode()
    assert f'data-testid="message-{sent_sms.pk}"' in page


def test_a_receipt_with_the_wrong_secret_changes_nothing(client, sent_sms):
    response = _receipt(client, "guess", [_report(sent_sms.provider_message_id)])
    assert response.status_code == 404
    sent_sms.refresh_from_db()
    assert sent_sms.status == "sent"


def test_receipts_are_rate_limited_and_bad_json_is_refused(client, sent_sms, settings):
    settings.SMS_RECEIPTS_PER_MINUTE = 2
    url = reverse("notifications:tencent_receipts", args=["receipt-secret"])
    assert client.post(url, data="{not json", content_type="application/json").status_code == 400
    assert _receipt(client, "receipt-secret", []).status_code == 200
    assert _receipt(client, "receipt-secret", []).status_code == 429
