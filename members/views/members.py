"""The counter's member pages: search, registration, the member page and the
forms on it (each posts to its own URL; an error shows next to its field on
the member page)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_htmx.http import HttpResponseClientRedirect

from mallservice import views as kit
from mallservice.hooks import member_link_panels
from mallservice.net import client_ip
from mallservice.phone_search import LIMITED_MESSAGE, full_number, full_number_search_allow
from mallservice.selectors import request_mall, unit_list
from mallservice.validators import normalise_mobile
from members import forms, selectors
from members.models import Card, Member, PointsAdjustment
from members.permissions import (
    ADD_CARD,
    ADD_MEMBER,
    ADD_POINTSENTRY,
    CHANGE_MEMBER,
    CHANGE_TIER,
    MERGE_MEMBER,
    REVEAL_PHONE,
    VIEW_MEMBER,
)
from members.services.cards import card_issue
from members.services.members import (
    member_merge,
    member_register,
    member_set_tier,
    member_update_consent,
)
from members.services.points import points_adjust, points_earn, points_redeem


class SearchView(kit.DeskView, TemplateView):
    """The counter's member search. The form submits through HTMX: the
    answer is the results partial alone, the search box keeps its text and
    focus, and the address bar keeps the query. Opened afresh (a bookmark,
    back after the browser forgot the page, no JavaScript) it is the whole
    page around the same partial."""

    permission_required = VIEW_MEMBER
    template_name = "members/member_search.html"

    def get_template_names(self) -> list[str]:
        if self.request.htmx and not self.request.htmx.history_restore_request:
            return ["members/_member_search_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = forms.SearchForm(self.request.GET or None)
        results = None
        if form.is_valid() and form.cleaned_data["q"] and self._full_number_allowed(form):
            results = list(
                selectors.member_search_rows(user=self.request.user, query=form.cleaned_data["q"])[
                    :50
                ]
            )
        context.update(form=form, results=results)
        return context

    def _full_number_allowed(self, form) -> bool:
        """A full mobile number is a logged, rate-limited search
        (mallservice.phone_search); the form says so when it is refused."""
        number = full_number(form.cleaned_data["q"])
        if number is None or full_number_search_allow(
            user=self.request.user,
            number=number,
            where="members",
            ip=client_ip(self.request),
        ):
            return True
        form.add_error("q", LIMITED_MESSAGE)
        self.limited = True
        return False

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        if getattr(self, "limited", False):
            # HTMX swaps only a 2xx answer: the partial carries the message.
            return self.render_to_response(context, status=200 if request.htmx else 429)
        # A scanner types the card number and Enter: jump straight to the member.
        if context.get("results") and len(context["results"]) == 1:
            url = reverse("members:detail", args=[context["results"][0]["pk"]])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        return self.render_to_response(context)


class RegisterView(kit.ServiceFormView):
    """申请/登记 at the counter, in the user's home mall."""

    permission_required = ADD_MEMBER
    template_name = "members/member_register.html"
    form_class = forms.MemberRegisterForm

    def perform(self, form) -> HttpResponse:
        mall = request_mall(self.request.user)
        if mall is None:
            raise Http404
        member = member_register(actor=self.request.user, mall=mall, **form.cleaned_data)
        if member.possible_duplicate_of_id:
            messages.warning(
                self.request,
                _("Possible duplicate: a member with the same name and birthday exists."),
            )
        messages.success(self.request, _("Member registered."))
        return redirect("members:detail", pk=member.pk)


def card_hint(cards: list[Card]) -> str:
    """The next step of the lost-card path (挂失 → 冻结 → 补卡) for the
    member's current card, or ""."""
    current = next((card for card in cards if card.status in Card.CURRENT), None)
    if current is None:
        return ""
    if current.status == Card.Status.LOST:
        return _(
            "Card %(number)s is reported lost. Next: freeze it, then reissue — "
            "the new card keeps the tier and the points."
        ) % {"number": current.number}
    if current.status == Card.Status.FROZEN:
        return _(
            "Card %(number)s is frozen. Reissue it to give the member a new card "
            "(scan the new card's number, or leave it empty for the next in stock)."
        ) % {"number": current.number}
    return ""


def member_context(request: HttpRequest, member: Member, **bound: Any) -> dict[str, Any]:
    """The member page: the member, cards, points, calls, other apps'
    panels and every form on it (`bound`: the one posted, with its errors)."""
    user = request.user
    shops = unit_list(user=user, mall=member.mall).filter(kind="shop")
    gifts = selectors.gift_list(user=user).filter(mall=member.mall)
    tiers = selectors.tier_list(user=user).filter(mall=member.mall)
    cards = list(member.cards.order_by("-issued_at", "-pk"))
    return {
        "member": member,
        "cards": cards,
        "holds_card": any(card.status in Card.CURRENT for card in cards),
        "card_hint": card_hint(cards),
        "entries": selectors.points_history(member=member)[:20],
        "expiring": selectors.points_expiring(member=member),
        "tasks": selectors.call_task_list(user=user).filter(member=member).order_by("-due_at")[:10],
        "link_panels": member_link_panels(user=user, member=member),
        "issue_form": bound.get("issue_form") or forms.CardIssueForm(),
        "reissue_form": forms.CardReissueForm(),
        "earn_form": bound.get("earn_form") or forms.EarnForm(shops=shops),
        "redeem_form": bound.get("redeem_form") or forms.RedeemForm(gifts=gifts),
        "adjust_form": bound.get("adjust_form") or forms.AdjustForm(),
        "consent_form": bound.get("consent_form")
        or forms.ConsentForm(
            initial={
                "consent_callback": member.consent_callback,
                "consent_marketing": member.consent_marketing,
                "do_not_call": member.do_not_call,
            }
        ),
        "tier_form": bound.get("tier_form") or forms.TierForm(tiers=tiers),
        "merge_form": bound.get("merge_form") or forms.MergeForm(),
        "shops": shops,
        "gifts": gifts,
        "tiers": tiers,
    }


class MemberDetailView(kit.DeskView, TemplateView):
    permission_required = VIEW_MEMBER
    template_name = "members/member_detail.html"

    def get_context_data(self, **kwargs):
        member = get_object_or_404(selectors.member_list(user=self.request.user), pk=kwargs["pk"])
        return {**super().get_context_data(**kwargs), **member_context(self.request, member)}


class MemberFormView(kit.ServiceFormView):
    """A form of the member page posted to its own URL: the member through
    the scoped selector, one service; an error shows next to its field on
    the member page, success goes back to it with a message."""

    http_method_names = ["post"]
    template_name = "members/member_detail.html"
    # The member page's context name of this form.
    form_key = ""

    @cached_property
    def member(self) -> Member:
        return get_object_or_404(
            selectors.member_list(user=self.request.user), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), **self.extra_form_kwargs()}

    def extra_form_kwargs(self) -> dict[str, Any]:
        return {}

    def get_context_data(self, **kwargs):
        return member_context(self.request, self.member, **{self.form_key: kwargs["form"]})

    def run(self, member: Member, data: dict[str, Any]) -> str:
        """Call the service; return the message to show."""
        raise NotImplementedError

    def perform(self, form) -> HttpResponse:
        messages.success(self.request, self.run(self.member, form.cleaned_data))
        return redirect("members:detail", pk=self.member.pk)


class CardIssueView(MemberFormView):
    permission_required = ADD_CARD
    form_class = forms.CardIssueForm
    form_key = "issue_form"

    def run(self, member, data):
        card = card_issue(actor=self.request.user, member=member, number=data["number"] or None)
        return _("Card %(number)s issued.") % {"number": card.number}


class EarnView(MemberFormView):
    permission_required = ADD_POINTSENTRY
    form_class = forms.EarnForm
    form_key = "earn_form"

    def extra_form_kwargs(self):
        return {
            "shops": unit_list(user=self.request.user, mall=self.member.mall).filter(kind="shop")
        }

    def run(self, member, data):
        result = points_earn(actor=self.request.user, member=member, **data)
        if isinstance(result, PointsAdjustment):
            return _("%(reason)s: the receipt is waiting for a supervisor's approval.") % {
                "reason": result.reason_label
            }
        return _("%(points)s points earned.") % {"points": result.points}


class RedeemView(MemberFormView):
    permission_required = ADD_POINTSENTRY
    form_class = forms.RedeemForm
    form_key = "redeem_form"

    def extra_form_kwargs(self):
        return {"gifts": selectors.gift_list(user=self.request.user).filter(mall=self.member.mall)}

    def run(self, member, data):
        points_redeem(actor=self.request.user, member=member, gift=data["gift"])
        return _("Gift redeemed.")


class AdjustView(MemberFormView):
    permission_required = ADD_POINTSENTRY
    form_class = forms.AdjustForm
    form_key = "adjust_form"

    def run(self, member, data):
        result = points_adjust(actor=self.request.user, member=member, **data)
        if isinstance(result, PointsAdjustment):
            return _("The adjustment is waiting for a supervisor's approval.")
        return _("Points adjusted.")


class ConsentView(MemberFormView):
    permission_required = CHANGE_MEMBER
    form_class = forms.ConsentForm
    form_key = "consent_form"

    def run(self, member, data):
        member_update_consent(actor=self.request.user, member=member, **data)
        return _("Consents saved.")


class TierView(MemberFormView):
    permission_required = CHANGE_TIER
    form_class = forms.TierForm
    form_key = "tier_form"

    def extra_form_kwargs(self):
        return {"tiers": selectors.tier_list(user=self.request.user).filter(mall=self.member.mall)}

    def run(self, member, data):
        member_set_tier(actor=self.request.user, member=member, **data)
        return _("Tier changed.")


class MergeView(MemberFormView):
    permission_required = MERGE_MEMBER
    form_class = forms.MergeForm
    form_key = "merge_form"

    def run(self, member, data):
        try:
            phone = normalise_mobile(data["other_phone"])
        except ValidationError as exc:
            raise ValidationError({"other_phone": exc.messages}) from exc
        other = (
            selectors.member_list(user=self.request.user)
            .filter(mall=member.mall_id, phone=phone)
            .first()
        )
        if other is None:
            raise ValidationError({"other_phone": _("No member with this mobile number.")})
        member_merge(actor=self.request.user, survivor=member, absorbed=other)
        return _("Members merged.")


class RevealPhoneView(kit.DeskView, kit.RevealPhoneView):
    """The member's full number, logged: on the member page and the call page."""

    permission_required = REVEAL_PHONE

    def get_queryset(self, request: HttpRequest):
        return selectors.member_list(user=request.user)
