"""A walk-in complaint → assign → response → callback → close, in Chromium."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from complaints.models import Complaint
from complaints.services.desk import desk_config_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, testid: str) -> None:
    """Click a form's submit button and wait for the page it leads to: the
    next action's button may stand on the old page too, and a click on it
    while the answer is still coming would be lost with that page."""
    with page.expect_navigation():
        page.click(f"[data-testid={testid}]")


def test_walk_in_complaint_is_assigned_answered_called_back_and_closed(
    login, page, live_server, desk_user, mall, shop
):
    # given the desk's categories and a desk user logged in
    desk_config_ensure(mall=mall)
    login(desk_user)
    # when a walk-in customer's complaint is typed in
    page.goto(f"{live_server.url}/complaints/new/")
    page.select_option("select[name=channel]", "desk")
    page.fill("input[name=complainant_name]", "王先生")
    page.fill("input[name=complainant_phone]", "13812345678")
    page.select_option("select[name=unit]", str(shop.pk))
    page.select_option("select[name=category]", label="服务态度")
    page.fill("textarea[name=description]", "店员态度冷淡")
    page.click("[data-testid=complaint-save]")
    # then the slip shows the reference number
    reference = page.locator("[data-testid=reference]").inner_text()
    assert reference.startswith("TS-")
    page.click("[data-testid=to-detail]")
    # when assigned to the shop with a due time
    due = timezone.localtime() + datetime.timedelta(hours=3)
    page.click("[data-testid=open-assign]")
    page.select_option("select[name=assign-handler_kind]", "shop")
    page.select_option("select[name=assign-handler_unit]", str(shop.pk))
    page.fill("input[name=assign-due_at]", due.strftime("%Y-%m-%dT%H:%M"))
    _submit(page, "submit-assign")
    page.click("[data-testid=open-respond]")
    # and the shop's response is recorded on its behalf, then verified
    page.fill("textarea[name=respond-response]", "店长已道歉并赠送优惠券")
    _submit(page, "submit-respond")
    page.click("[data-testid=open-verify]")
    _submit(page, "submit-verify")
    # and the customer is called back
    page.click("[data-testid=open-callback]")
    page.check("input[name=callback-satisfaction][value=satisfied]")
    page.fill("textarea[name=callback-comment]", "顾客表示满意")
    _submit(page, "submit-callback")
    # and it is closed
    page.wait_for_selector("[data-testid=action-close]")
    _submit(page, "submit-close")
    page.wait_for_selector("[data-testid=action-reopen]")
    # then the complaint is closed and the timeline in Chinese tells the story
    assert page.locator("[data-testid=state]").inner_text() == "已结案"
    timeline = page.locator("[data-testid=timeline]").inner_text()
    assert "满意" in timeline
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.state == Complaint.State.CLOSED
    assert complaint.satisfaction == "satisfied"


def test_double_clicking_save_on_the_intake_records_one_complaint(
    login, page, live_server, desk_user, mall, shop
):
    # given the intake form filled in
    desk_config_ensure(mall=mall)
    login(desk_user)
    page.goto(f"{live_server.url}/complaints/new/")
    page.select_option("select[name=channel]", "desk")
    page.fill("input[name=complainant_name]", "王先生")
    page.fill("input[name=complainant_phone]", "13812345678")
    page.select_option("select[name=unit]", str(shop.pk))
    page.select_option("select[name=category]", label="服务态度")
    page.fill("textarea[name=description]", "店员态度冷淡")
    posts = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    # when save is clicked again while the first answer is on its way (a
    # double click on a slow day: the browser sends the form a second time)
    page.evaluate(
        """() => {
            const save = document.querySelector("[data-testid=complaint-save]");
            save.click();
            setTimeout(() => save.click(), 30);
        }"""
    )
    # then the slip of the one complaint is shown
    reference = page.locator("[data-testid=reference]").inner_text()
    assert len(posts) == 2
    assert Complaint.objects.get().reference == reference


@pytest.mark.parametrize("width", [1366, 390])
def test_the_detail_page_opens_one_action_at_a_time(
    login, page, live_server, desk_user, mall, shop, width
):
    # given a new complaint, on a desk screen or a phone
    from complaints.tests.factories import make_complaint

    complaint = make_complaint(actor=desk_user, mall=mall, unit=shop)
    page.set_viewport_size({"width": width, "height": 768 if width > 1000 else 844})
    login(desk_user)
    # when its page is opened
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    # then only the new step's actions are offered, every form closed
    offered = page.locator("[data-testid=actions] .accordion-button").all_inner_texts()
    assert len(offered) == 7
    assert page.locator("[data-testid=actions] form:visible").count() == 0
    assert "回访" not in " ".join(offered)  # no callback before the complaint is verified
    # and the whole page is far shorter than the 1,919 px of seven open forms
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < (1100 if width > 1000 else 2000), height
    # when one action is opened, then another
    page.click("[data-testid=open-assign]")
    page.wait_for_selector("select[name=assign-handler_kind]", state="visible")
    page.click("[data-testid=open-note]")
    page.wait_for_selector("textarea[name=note-text]", state="visible")
    # then only the second is open
    page.wait_for_selector("select[name=assign-handler_kind]", state="hidden")
    assert page.locator("[data-testid=actions] form:visible").count() == 1
    # when a note is saved, the message says so
    page.fill("textarea[name=note-text]", "顾客下午再来")
    page.click("[data-testid=submit-note]")
    page.wait_for_selector(".alert-success")
    assert "备注已添加" in page.locator(".alert-success").inner_text()


def test_choosing_a_floor_narrows_the_shop_list_and_typing_filters_it(
    login, page, live_server, desk_user, mall, floor, shop
):
    # given a mall with shops on two floors
    from mallservice.tests.factories import FloorFactory, UnitFactory

    desk_config_ensure(mall=mall)
    upstairs = FloorFactory(mall=mall, code="2F", name="二层", level=2)
    starbucks = UnitFactory(floor=upstairs, mall=mall, name="星巴克")
    UnitFactory(floor=upstairs, mall=mall, name="海底捞")
    UnitFactory(floor=floor, mall=mall, name="Apple")
    login(desk_user)
    page.goto(f"{live_server.url}/complaints/new/")

    def shown():
        return page.eval_on_selector(
            "select[name=unit]",
            "s => Array.from(s.options).filter(o => o.value && !o.hidden).map(o => o.text)",
        )

    # then the shops come by floor, then by name
    listed = shown()
    assert [t.split(" · ")[0] for t in listed] == ["1F", "1F", "2F", "2F"]
    assert listed[0].startswith("1F · Apple") and listed[1].startswith("1F · 优衣库")
    # when the second floor is chosen
    page.select_option("select[name=floor]", str(upstairs.pk))
    page.wait_for_function(
        "() => Array.from(document.querySelector('select[name=unit]').options)"
        ".every(o => !o.value || o.text.startsWith('2F'))"
    )
    # then only its shops are listed
    assert len(shown()) == 2
    # when 星巴 is typed into the filter box
    page.fill("[data-testid=filter-unit]", "星巴")
    # then only 星巴克 is left, and taken
    assert [t.split(" · ")[1].split(" (")[0] for t in shown()] == ["星巴克"]
    assert page.input_value("select[name=unit]") == str(starbucks.pk)
