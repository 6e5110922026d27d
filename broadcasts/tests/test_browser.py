"""The two flows the desk uses most, in real Chromium."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from broadcasts import services
from broadcasts.models import Announcement, AnnouncementKind, ScreenMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _switch_user(page, login, user):
    page.context.clear_cookies()
    return login(user)


def test_desk_requests_a_promotion_supervisor_approves_and_broadcaster_airs_it(
    page, login, live_server, desk_user, supervisor_user, broadcaster_user, mall
):
    template = services.script_template_save(
        actor=supervisor_user,
        mall=mall,
        kind=AnnouncementKind.PROMOTION,
        name="促销",
        body="{shop_name}{event_name}：{event_details}",
    )
    # given desk staff requesting a promotion from its template
    login(desk_user)
    page.goto(f"{live_server.url}/broadcasts/announcements/new/?template={template.pk}")
    page.fill("input[name=shop_name]", "优衣库")
    page.fill("input[name=event_name]", "周末特惠")
    page.fill("input[name=event_details]", "冬装八折")
    page.fill("input[name=repetitions]", "2")
    page.click("[data-testid=announcement-submit]")
    # then it waits for approval
    expect(page.locator("[data-testid=announcement-state]")).to_have_text("待审批")
    promo = Announcement.objects.get()
    assert promo.script == "优衣库周末特惠：冬装八折"
    # when the supervisor approves it from the queue
    _switch_user(page, login, supervisor_user)
    page.goto(f"{live_server.url}/broadcasts/")
    page.click(f"[data-testid=approve-{promo.pk}]")
    expect(page.locator(f"[data-testid=queue-item-{promo.pk}]")).to_be_visible()
    # and the broadcaster airs it from the queue
    _switch_user(page, login, broadcaster_user)
    page.goto(f"{live_server.url}/broadcasts/")
    expect(page.locator(f"[data-testid=queue-item-{promo.pk}]")).to_contain_text("冬装八折")
    with page.expect_navigation():
        page.click(f"[data-testid=air-{promo.pk}]")
    # then the airing is recorded with who aired it, and the next repeat waits
    airing = promo.airings.get(sequence=1)
    assert airing.state == "aired" and airing.aired_by == broadcaster_user
    promo.refresh_from_db()
    assert promo.state == Announcement.State.QUEUED
    assert promo.decided_by == supervisor_user


def test_a_message_put_on_a_screen_appears_on_the_player_without_a_reload(
    browser, page, login, live_server, desk_user, supervisor_user, mall
):
    screen = services.screen_save(actor=supervisor_user, mall=mall, name="东门大屏")
    # given the screen's PC showing the player (no login)
    player_context = browser.new_context(viewport={"width": 1280, "height": 720})
    player = player_context.new_page()
    player.goto(f"{live_server.url}/broadcasts/player/{screen.token}/")
    expect(player.locator("[data-testid=player-idle]")).to_be_visible()
    # when desk staff enter a message for that screen
    login(desk_user)
    page.goto(f"{live_server.url}/broadcasts/messages/new/")
    page.fill("input[name=title]", "冬季特惠")
    page.fill("textarea[name=text]", "全场冬装八折")
    page.check(f"input[name=screens][value='{screen.pk}']")
    with page.expect_navigation():
        page.click("[data-testid=message-submit]")
    assert page.url.endswith("/broadcasts/messages/"), page.content()
    message = ScreenMessage.objects.get()
    assert message.state == ScreenMessage.State.PENDING
    # and the supervisor approves it
    _switch_user(page, login, supervisor_user)
    page.goto(f"{live_server.url}/broadcasts/messages/")
    with page.expect_navigation():
        page.click(f"[data-testid=approve-message-{message.pk}]")
    # then the player shows it within one poll, without a reload
    expect(player.locator("[data-testid=player-slide] .slide-title")).to_have_text(
        "冬季特惠", timeout=30_000
    )
    # and when the server cannot be reached, a restarted player keeps the
    # last good playlist
    player.route("**/payload.json", lambda route: route.abort())
    player.reload()
    expect(player.locator("#player")).to_have_attribute("data-online", "false")
    expect(player.locator("[data-testid=player-slide] .slide-title")).to_have_text("冬季特惠")
    player_context.close()


def test_an_edit_of_a_live_message_reaches_the_player_only_once_approved(
    browser, page, login, live_server, desk_user, supervisor_user, mall
):
    import datetime

    from django.utils import timezone

    screen = services.screen_save(actor=supervisor_user, mall=mall, name="东门大屏")
    message = services.screen_message_submit(
        actor=supervisor_user,
        mall=mall,
        title="欢迎光临",
        text="营业时间 10:00–22:00",
        screens=[screen],
        starts_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    # given the player showing the approved message
    player_context = browser.new_context(viewport={"width": 1280, "height": 720})
    player = player_context.new_page()
    player.goto(f"{live_server.url}/broadcasts/player/{screen.token}/")
    slide_title = player.locator("[data-testid=player-slide] .slide-title")
    expect(slide_title).to_have_text("欢迎光临")
    # when desk staff change its title
    login(desk_user)
    page.goto(f"{live_server.url}/broadcasts/messages/")
    with page.expect_navigation():
        page.click(f"[data-testid=edit-message-{message.pk}]")
    expect(page.locator("[data-testid=edit-note]")).to_be_visible()
    page.fill("input[name=title]", "圣诞快乐")
    with page.expect_navigation():
        page.click("[data-testid=message-submit]")
    # then the screen keeps the approved version while the change waits
    expect(page.locator(f"[data-testid=pending-edit-{message.pk}]")).to_be_visible()
    player.reload()
    expect(slide_title).to_have_text("欢迎光临")
    # when the supervisor reviews and approves the change
    _switch_user(page, login, supervisor_user)
    page.goto(f"{live_server.url}/broadcasts/messages/")
    with page.expect_navigation():
        page.click(f"[data-testid=pending-edit-{message.pk}]")
    expect(page.locator("[data-testid=changed-title]")).to_be_visible()
    with page.expect_navigation():
        page.click("[data-testid=approve-edit]")
    # then the player shows the new title within one poll, without a reload
    expect(slide_title).to_have_text("圣诞快乐", timeout=30_000)
    player_context.close()


def test_closing_a_missing_person_case_asks_before_it_cancels_the_pages(
    page, login, live_server, desk_user, mall
):
    from django.utils import timezone

    from broadcasts.models import MissingPersonCase

    case = services.missing_case_open(
        actor=desk_user,
        mall=mall,
        person_kind="child",
        person_name="王小明",
        age=5,
        gender="m",
        description="短发",
        clothing="红色羽绒服",
        last_seen_place="三层",
        last_seen_at=timezone.now(),
        reporter_name="王女士",
        reporter_phone="13800138000",
        meeting_point="一楼客服台",
    )
    login(desk_user)
    page.goto(live_server.url + reverse("broadcasts:case_detail", args=[case.pk]))
    page.check("input[name=found][value=yes]")
    page.select_option("select[name=outcome]", "reunited")
    # when the desk presses "close" and then thinks better of it
    questions = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.click("[data-testid=resolve-submit]")
    page.wait_for_timeout(300)
    # then it was asked, and the case stays open with its page queued
    assert questions == ["确定结案并取消所有尚未播出的寻人广播吗？"]
    case.refresh_from_db()
    assert case.state == MissingPersonCase.State.OPEN
    # when it confirms, the case is closed as found
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("[data-testid=resolve-submit]")
    case.refresh_from_db()
    assert (case.state, case.outcome) == ("found", "reunited")
    assert case.announcements.get().state == Announcement.State.CANCELLED


def test_the_longest_message_allowed_stays_on_a_1080p_screen(
    browser, live_server, supervisor_user, mall
):
    from django.utils import timezone

    screen = services.screen_save(actor=supervisor_user, mall=mall, name="东门大屏")
    # given the longest title and text the form allows, approved as entered
    services.screen_message_submit(
        actor=supervisor_user,
        mall=mall,
        screens=[screen],
        title="冬" * 60,
        text="全场冬装八折，" * 42 + "欢迎",
        starts_on=timezone.localdate(),
    )
    # when the entrance screen (1920×1080) plays it
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    player = context.new_page()
    player.goto(f"{live_server.url}/broadcasts/player/{screen.token}/")
    text = player.locator("[data-testid=player-slide] .slide-text")
    expect(text).to_contain_text("欢迎")
    # then every line of it is on the screen
    title_box = player.locator("[data-testid=player-slide] .slide-title").bounding_box()
    text_box = text.bounding_box()
    assert title_box["y"] >= 0
    assert text_box["y"] + text_box["height"] <= 1080
    assert text_box["x"] >= 0 and text_box["x"] + text_box["width"] <= 1920
    context.close()


def test_cancelling_an_announcement_asks_first_and_the_browser_never_validates(
    page, login, live_server, desk_user, mall
):
    car = services.announcement_request(
        actor=desk_user, mall=mall, kind=AnnouncementKind.CAR_MOVE, script="请移车", repetitions=3
    )
    # given desk staff on a queued car-move request, the reason typed
    login(desk_user)
    page.goto(live_server.url + reverse("broadcasts:announcement_detail", args=[car.pk]))
    page.fill("[data-testid=cancel-form] input[name=reason]", "车已移走")
    questions = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    # when they press "cancel" and then think better of it
    page.once("dialog", dismiss)
    page.click("[data-testid=cancel]")
    page.wait_for_timeout(300)
    # then they were asked, and the repeats are still planned
    assert questions == ["确定取消该播报吗？尚未播出的重复播报将不再播出。"]
    car.refresh_from_db()
    assert car.state == Announcement.State.QUEUED
    # when they confirm, it is cancelled and the page says so in Chinese
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("[data-testid=cancel]")
    expect(page.locator("[data-testid=announcement-state]")).to_have_text("已取消")
    expect(page.locator("body")).to_contain_text("已取消，剩余的重复播出不再进行。")
    car.refresh_from_db()
    assert car.state == Announcement.State.CANCELLED and car.cancel_reason == "车已移走"


def test_a_missing_case_form_left_empty_is_answered_by_the_server_in_chinese(
    page, login, live_server, desk_user, mall
):
    # given desk staff sending the missing-person form empty
    login(desk_user)
    page.goto(live_server.url + reverse("broadcasts:case_create"))
    with page.expect_navigation():
        page.click("[data-testid=case-submit]")
    # then the server, not the browser's own bubble, names what is missing
    expect(page.locator("#error_1_id_description, .invalid-feedback").first).to_contain_text(
        "这个字段是必填项。"
    )
