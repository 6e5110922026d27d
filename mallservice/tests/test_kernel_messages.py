"""Every kernel action says what it did (issue 25: "the same flash for
every action"), in Chinese, naming what it did it to."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory
from django.urls import reverse

from mallservice.clock import local_date
from mallservice.models import Mall
from mallservice.views import ServiceActionView


def _flash(client, response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_saving_ones_phone_says_the_number_now_kept(client, desk_user):
    client.force_login(desk_user)

    response = client.post(reverse("profile"), {"phone": "13812345678"})

    assert _flash(client, response) == ["您的手机号现为 138****5678。"]


def test_renaming_a_colleague_says_who_is_now_shown_how(client, supervisor_user, desk_user):
    client.force_login(supervisor_user)

    response = client.post(reverse("staff_rename", args=[desk_user.pk]), {"display_name": "王晓雯"})

    assert _flash(client, response) == ["desk 现在向同事显示为“王晓雯”。"]


def test_building_the_daily_report_says_which_mall_and_day(client, supervisor_user, mall):
    client.force_login(supervisor_user)

    response = client.post(reverse("daily_report_build"))

    assert _flash(client, response) == [
        f"{mall.name} {local_date():%Y-%m-%d} 的每日工作汇总已生成。"
    ]


def test_an_action_view_names_the_record_in_its_message(manager_user, mall):
    class MallChecked(ServiceActionView):
        permission_required = "mallservice.view_mall"
        success_message = "%(object)s 已核对。"

        def get_queryset(self):
            return Mall.objects.all()

        def perform(self, obj, data):
            return None

        def get_success_url(self):
            return "/"

    request = RequestFactory().post("/")
    request.user = manager_user
    request.htmx = False
    request._messages = CookieStorage(request)

    MallChecked.as_view()(request, pk=mall.pk)

    assert [str(m) for m in request._messages] == [f"{mall.name} 已核对。"]
