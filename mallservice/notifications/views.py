"""The supervisor's outbox pages: messages that did not arrive (with a
resend button), the console channel's messages, and the SMS provider's
delivery-receipt callback."""

from __future__ import annotations

import datetime
import hmac
import json
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from mallservice.net import client_ip
from mallservice.notifications import rules, selectors
from mallservice.notifications.filters import MessageFilter
from mallservice.notifications.models import Message
from mallservice.notifications.services import message_resend, receipt_record
from mallservice.pagination import page_of
from mallservice.permissions import RESEND_MESSAGE, VIEW_MESSAGE
from mallservice.views import DeskView, RevealPhoneView, ServiceActionView


class _MessagePage(DeskView, TemplateView):
    permission_required = VIEW_MESSAGE
    template_name = "mallservice/message_list.html"
    paginate_by = 50
    tab = ""

    def selector(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        listed = MessageFilter(
            self.request.GET or None, queryset=self.selector(), user=self.request.user
        )
        page = page_of(
            listed.qs.order_by("-created_at", "-pk"), self.request.GET.get("page"), self.paginate_by
        )
        for message in page.object_list:
            # Shown per SMS: what the carrier bills for it.
            sms = message.channel == Message.Channel.SMS
            message.sms_length = rules.sms_length(message.body) if sms else None
        context.update(tab=self.tab, form=listed.form, page_obj=page, rows=page.object_list)
        return context


class MessageProblemListView(_MessagePage):
    """Messages that failed or were reported undelivered (发送失败)."""

    tab = "problems"

    def selector(self):
        return selectors.message_problems(user=self.request.user)


class ConsoleListView(_MessagePage):
    """The console channel: what was written down because no SMS or WeCom
    provider is configured (`make run`), for someone to pass on."""

    tab = "console"

    def selector(self):
        return selectors.message_console(user=self.request.user)


class MessageResendView(ServiceActionView):
    permission_required = RESEND_MESSAGE
    success_message = _("The message will be sent again.")

    def get_queryset(self):
        return selectors.message_list(user=self.request.user)

    def perform(self, obj: Message, data: dict[str, Any]) -> None:
        message_resend(actor=self.request.user, message=obj)

    def get_success_url(self) -> str:
        return reverse("notifications:problems")


class MessagePhoneRevealView(DeskView, RevealPhoneView):
    permission_required = VIEW_MESSAGE
    field = "recipient"

    def get_queryset(self, request: HttpRequest):
        return selectors.message_list(user=request.user).filter(channel=Message.Channel.SMS)


def _over_limit(request: HttpRequest) -> bool:
    """At most SMS_RECEIPTS_PER_MINUTE callbacks a minute from one address."""
    key = f"notifications:receipts:{client_ip(request)}:{int(timezone.now().timestamp() // 60)}"
    cache.add(key, 0, timeout=120)
    return cache.incr(key) > settings.SMS_RECEIPTS_PER_MINUTE


def _receipt_time(value: str) -> datetime.datetime:
    """Tencent reports the handset's receipt in Beijing time, without a zone."""
    try:
        return timezone.make_aware(datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S"))
    except (TypeError, ValueError):
        return timezone.now()


@method_decorator(csrf_exempt, name="dispatch")
class TencentReceiptView(View):
    """Tencent Cloud SMS delivery receipts (短信下发状态回调): a JSON list of
    reports, each naming the message by the serial number SendSms gave
    (`sid`). Tencent does not sign its callbacks, so the URL configured in
    its console carries a secret (SMS_RECEIPT_SECRET), compared in constant
    time; a wrong one is a 404, as if the URL did not exist."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, secret: str) -> HttpResponse:
        expected = settings.SMS_RECEIPT_SECRET
        if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
            return JsonResponse({"result": 1, "errmsg": "not found"}, status=404)
        if _over_limit(request):
            return JsonResponse({"result": 1, "errmsg": "too many requests"}, status=429)
        try:
            reports = json.loads(request.body)
        except ValueError:
            return JsonResponse({"result": 1, "errmsg": "invalid json"}, status=400)
        if isinstance(reports, dict):
            reports = [reports]
        if not isinstance(reports, list):
            return JsonResponse({"result": 1, "errmsg": "invalid json"}, status=400)
        for report in reports:
            if not isinstance(report, dict):
                continue
            delivered = report.get("report_status") == "SUCCESS"
            receipt_record(
                provider_message_id=str(report.get("sid", "")),
                delivered=delivered,
                at=_receipt_time(report.get("user_receive_time", "")),
                error="" if delivered else str(report.get("errmsg", ""))[:300],
            )
        return JsonResponse({"result": 0, "errmsg": "OK"})
