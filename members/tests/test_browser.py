from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from members.models import CallAttempt, CallTask, Card, Member
from members.services.campaigns import campaign_plan
from members.services.cards import card_issue
from members.tests.factories import CampaignFactory, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_desk_registers_a_member_issues_a_card_and_records_a_call(
    login, page, live_server, desk_user, mall, tiers, stock, time_machine
):
    # given desk staff logged in at noon (calls are recorded only inside the
    # campaign's window, whatever the clock says when this runs), and blank
    # cards in stock
    time_machine.move_to(
        timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(12))),
        tick=True,
    )
    login(desk_user)
    # when they register a member at the counter
    page.goto(f"{live_server.url}/members/")
    page.click("[data-testid=member-register]")
    page.fill("input[name=phone]", "139 8888 6666")
    page.fill("input[name=name]", "周慧敏")
    page.check("input[name=consent_callback]")
    page.click("[data-testid=member-register-submit]")
    # then the member page shows the masked number
    page.wait_for_selector("[data-testid=member-name]")
    assert "139****6666" in page.content() and "13988886666" not in page.content()
    # when they issue the next card from stock and confirm it is entered
    page.click("[data-testid=card-issue]")
    page.wait_for_selector("[data-testid=card-enter]")
    page.click("[data-testid=card-enter]")
    page.wait_for_selector("[data-testid=card-enter]", state="detached")
    assert page.locator("[data-testid=card-status]").inner_text() == "有效"
    member = Member.objects.get(phone="13988886666")
    assert Card.objects.get(member=member).status == Card.Status.ACTIVE
    # when a VIP campaign (calling 10:00–20:00) plans a call for that member
    member.tier = tiers["gold"]
    member.save()
    campaign = CampaignFactory(
        mall=mall, min_tier=tiers["gold"], starts_on=datetime.date(2020, 1, 1)
    )
    assert campaign_plan(campaign=campaign).created == 1
    # and the desk records the outcome from "my calls today"
    page.goto(f"{live_server.url}/members/calls/")
    page.click("[data-testid=call-open]")
    page.select_option("select[name=outcome]", "no_answer")
    page.fill("textarea[name=note]", "无人接听")
    page.click("[data-testid=call-save]")
    page.wait_for_url(f"{live_server.url}/members/calls/")
    # then the attempt is recorded and the call is scheduled again
    attempt = CallAttempt.objects.get()
    assert attempt.outcome == "no_answer" and attempt.caller == desk_user
    assert CallTask.objects.get().status == CallTask.Status.PENDING


def test_the_counter_lists_by_last_four_and_jumps_on_a_scanned_card(
    login, page, live_server, desk_user, mall, member, stock
):
    # given two members whose phones end in 5678, one with a card
    MemberFactory(mall=mall, registered_by=desk_user, name="赵敏", phone="13912345678")
    card = card_issue(actor=desk_user, member=member)
    login(desk_user)
    page.goto(f"{live_server.url}/members/")
    box = page.locator("[data-testid=member-search-input]")
    # when the desk types the last four digits and Enter
    page.evaluate("window.samePage = true")
    box.fill("5678")
    box.press("Enter")
    # then both are listed below the box, without reloading the page; the
    # box keeps its text and the focus, and the address bar holds the search
    page.wait_for_selector("[data-testid=member-results]")
    assert page.evaluate("window.samePage === true")
    assert page.locator("[data-testid=member-results] tbody tr").count() == 2
    assert box.input_value() == "5678"
    assert box.evaluate("element => element === document.activeElement")
    page.wait_for_url(f"{live_server.url}/members/?q=5678")
    # when a card is scanned into the box (the scanner types it and Enter)
    box.fill(card.number)
    box.press("Enter")
    # then the member's page opens
    page.wait_for_url(f"{live_server.url}/members/{member.pk}/")
    page.wait_for_selector("[data-testid=member-name]")
    # and back returns to the list
    page.go_back()
    page.wait_for_selector("[data-testid=member-results]")
    assert page.locator("[data-testid=member-results] tbody tr").count() == 2


def test_report_lost_asks_first_then_the_page_guides_to_freeze_and_reissue(
    login, page, live_server, desk_user, member, stock
):
    # given a member with an active card
    from members.services.cards import card_confirm_entered

    card = card_confirm_entered(actor=desk_user, card=card_issue(actor=desk_user, member=member))
    login(desk_user)
    page.goto(f"{live_server.url}/members/{member.pk}/")
    questions = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    # when the desk clicks 挂失 and cancels the question
    page.once("dialog", dismiss)
    page.click("[data-testid=card-lost]")
    # then they were asked, and nothing changed
    page.wait_for_timeout(300)
    assert questions and card.number in questions[0]
    card.refresh_from_db()
    assert card.status == Card.Status.ACTIVE
    # when they click again and confirm
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=card-lost]")
    # then the card is reported lost and the page shows the next steps
    page.wait_for_selector("[data-testid=card-hint]")
    card.refresh_from_db()
    assert card.status == Card.Status.LOST
    assert page.locator("[data-testid=card-issue]").count() == 0
    assert page.locator("[data-testid=card-freeze]").count() == 1
