"""SMS through Tencent Cloud SMS (腾讯云短信, API 2021-01-11) with its own
SDK. The endpoint and protocol are settings (TENCENT_SMS_ENDPOINT,
TENCENT_SMS_PROTOCOL), so the SDK can be pointed at a local fake provider.

Mainland SMS needs an approved signature (签名) and template (模板): the
message's template code maps to a Tencent template id and the order of its
parameters in SMS_TEMPLATES, overridable per mall in SMS_MALLS. The
message's idempotency key travels as SessionContext: Tencent echoes it in
its status reports, which is how `lookup` tells whether a message whose
worker died mid-send reached Tencent."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models, sms_client

from mallservice.notifications.models import Message
from mallservice.notifications.providers import PermanentError, TransientError

# Refusals that no retry changes: a wrong number, a number that unsubscribed
# (退订 puts it on the blacklist), a template or signature not approved.
PERMANENT_CODES = {
    "InvalidParameterValue.IncorrectPhoneNumber",
    "FailedOperation.PhoneNumberInBlacklist",
    "FailedOperation.PhoneNumberParseFail",
    "FailedOperation.SignatureIncorrectOrUnapproved",
    "FailedOperation.TemplateIncorrectOrUnapproved",
    "FailedOperation.MissingTemplateToModify",
    "InvalidParameterValue.TemplateParameterFormatError",
    "InvalidParameterValue.TemplateParameterLengthLimit",
    "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter",
    "UnsupportedOperation.UnsupportedRegion",
}
# How far before the lost claim to look for the message in the status reports.
LOOKUP_SLACK = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class SmsTemplate:
    sign_name: str
    template_id: str
    params: list[str]


def sms_template(*, mall_code: str, template: str) -> SmsTemplate:
    """The signature and Tencent template of `template` at a mall; a
    PermanentError when none is configured (nothing can be sent)."""
    mall = settings.SMS_MALLS.get(mall_code, {})
    config = {**settings.SMS_TEMPLATES, **mall.get("templates", {})}.get(template)
    sign_name = mall.get("sign_name") or settings.SMS_SIGN_NAME
    if not config or not sign_name:
        raise PermanentError(f"no SMS template or signature configured for {template}")
    return SmsTemplate(sign_name, str(config["id"]), list(config.get("params", [])))


def _phone(number: str) -> str:
    # E.164, as the API wants it; the outbox stores 11 mainland digits.
    return number if number.startswith("+") else f"+86{number}"


def _raise(code: str, text: str) -> None:
    if code in PERMANENT_CODES:
        raise PermanentError(f"{code}: {text}"[:300])
    raise TransientError(f"{code}: {text}"[:300])


class TencentSmsProvider:
    name = "tencent"
    records_only = False

    def __init__(self) -> None:
        http = HttpProfile(
            endpoint=settings.TENCENT_SMS_ENDPOINT,
            protocol=settings.TENCENT_SMS_PROTOCOL,
            reqTimeout=10,
        )
        self.client = sms_client.SmsClient(
            credential.Credential(settings.TENCENT_SMS_SECRET_ID, settings.TENCENT_SMS_SECRET_KEY),
            settings.TENCENT_SMS_REGION,
            ClientProfile(httpProfile=http),
        )

    def send(self, message: Message) -> str:
        template = sms_template(mall_code=message.mall.code, template=message.template)
        if not message.recipient:
            raise PermanentError("no phone number")
        request = models.SendSmsRequest()
        request.SmsSdkAppId = settings.TENCENT_SMS_APP_ID
        request.SignName = template.sign_name
        request.TemplateId = template.template_id
        request.TemplateParamSet = [str(message.params.get(name, "")) for name in template.params]
        request.PhoneNumberSet = [_phone(message.recipient)]
        request.SessionContext = message.idempotency_key
        try:
            response = self.client.SendSms(request)
        except TencentCloudSDKException as exc:
            _raise(exc.get_code() or "", exc.get_message() or "")
        status = response.SendStatusSet[0]
        if status.Code != "Ok":
            _raise(status.Code, status.Message)
        return status.SerialNo

    def lookup(self, message: Message) -> str:
        """The serial number of `message` if Tencent took it (its status
        report carries our SessionContext), else "". A failed lookup raises
        TransientError: the message stays unresolved, never sent blindly."""
        since = (message.previous_claim or message.created_at) - LOOKUP_SLACK
        request = models.PullSmsSendStatusByPhoneNumberRequest()
        request.SmsSdkAppId = settings.TENCENT_SMS_APP_ID
        request.PhoneNumber = _phone(message.recipient)
        request.BeginTime = int(since.timestamp())
        request.EndTime = int(timezone.now().timestamp())
        request.Offset, request.Limit = 0, 100
        try:
            response = self.client.PullSmsSendStatusByPhoneNumber(request)
        except TencentCloudSDKException as exc:
            raise TransientError(f"{exc.get_code()}: {exc.get_message()}"[:300]) from exc
        for report in response.PullSmsSendStatusSet or []:
            if report.SessionContext == message.idempotency_key:
                return report.SerialNo
        return ""
