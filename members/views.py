"""Pages of the members app: check permission → one selector or service → render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_htmx.http import HttpResponseClientRedirect

from complaints.selectors import complaint_list_for_member
from mallservice import views as mallservice_views
from mallservice.exports import csv_response
from mallservice.forms import add_service_error
from mallservice.models import Mall
from mallservice.net import client_ip
from mallservice.phone_search import LIMITED_MESSAGE, full_number, full_number_search_allow
from mallservice.selectors import unit_list, user_mall_ids
from mallservice.services import sensitive_access_log
from mallservice.views import SubmitOnceMixin
from members import forms, imports, selectors, services
from members.models import MemberImport


class _Perm(LoginRequiredMixin, PermissionRequiredMixin):
    """Anonymous: to the login page; logged in without the permission: 403."""


def _home_mall(user: Any) -> Mall:
    if user.mall_id:
        return user.mall
    ids = sorted(user_mall_ids(user))
    if not ids:
        raise PermissionDenied
    return Mall.objects.get(pk=ids[0])


class SearchView(_Perm, TemplateView):
    """The counter's member search. The form submits through HTMX: the
    answer is the results partial alone, the search box keeps its text and
    focus, and the address bar keeps the query. Opened afresh (a bookmark,
    back after the browser forgot the page, no JavaScript) it is the whole
    page around the same partial."""

    permission_required = "members.view_member"
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


class RegisterView(SubmitOnceMixin, _Perm, View):
    permission_required = "members.add_member"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "members/member_register.html", {"form": forms.MemberRegisterForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.MemberRegisterForm(request.POST)
        if form.is_valid():
            try:
                member = services.member_register(
                    actor=request.user, mall=_home_mall(request.user), **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                if member.possible_duplicate_of_id:
                    messages.warning(
                        request,
                        _("Possible duplicate: a member with the same name and birthday exists."),
                    )
                messages.success(request, _("Member registered."))
                return redirect("members:detail", pk=member.pk)
        return render(request, "members/member_register.html", {"form": form}, status=200)


def _detail_context(request: HttpRequest, member, **bound: Any) -> dict[str, Any]:
    user = request.user
    shops = unit_list(user=user, mall=member.mall).filter(kind="shop")
    gifts = selectors.gift_list(user=user).filter(mall=member.mall)
    tiers = selectors.tier_list(user=user).filter(mall=member.mall)
    return {
        "member": member,
        "cards": member.cards.order_by("-issued_at", "-pk"),
        "entries": selectors.points_history(member=member)[:20],
        "expiring": selectors.points_expiring(member=member),
        "tasks": selectors.call_task_list(user=user).filter(member=member).order_by("-due_at")[:10],
        "complaints": complaint_list_for_member(user=user, member=member)[:10]
        if user.has_perm("complaints.view_complaint")
        else [],
        "issue_form": bound.get("issue_form") or forms.CardIssueForm(),
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


class MemberDetailView(_Perm, View):
    permission_required = "members.view_member"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = get_object_or_404(selectors.member_list(user=request.user), pk=pk)
        return render(request, "members/member_detail.html", _detail_context(request, member))


class MemberActionView(SubmitOnceMixin, _Perm, View):
    """A POST from the member page: bind the form, call the service, show
    errors next to the field or go back to the page."""

    action: str = ""
    form_class: type | None = None
    form_key = ""
    success = ""

    def form_kwargs(self, request, member) -> dict[str, Any]:
        return {}

    def perform(self, request, member, data: dict[str, Any]):
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = get_object_or_404(selectors.member_list(user=request.user), pk=pk)
        form = self.form_class(request.POST, **self.form_kwargs(request, member))
        if form.is_valid():
            try:
                message = self.perform(request, member, form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, message or str(self.success))
                return redirect("members:detail", pk=member.pk)
        context = _detail_context(request, member, **{self.form_key: form})
        return render(request, "members/member_detail.html", context, status=200)


class CardIssueView(MemberActionView):
    permission_required = "members.add_card"
    form_class = forms.CardIssueForm
    form_key = "issue_form"

    def perform(self, request, member, data):
        card = services.card_issue(actor=request.user, member=member, number=data["number"] or None)
        return _("Card %(number)s issued.") % {"number": card.number}


class EarnView(MemberActionView):
    permission_required = "members.add_pointsentry"
    form_class = forms.EarnForm
    form_key = "earn_form"

    def form_kwargs(self, request, member):
        return {"shops": unit_list(user=request.user, mall=member.mall).filter(kind="shop")}

    def perform(self, request, member, data):
        result = services.points_earn(actor=request.user, member=member, **data)
        if isinstance(result, services.PointsAdjustment):
            return _("%(reason)s: the receipt is waiting for a supervisor's approval.") % {
                "reason": result.reason_label
            }
        return _("%(points)s points earned.") % {"points": result.points}


class RedeemView(MemberActionView):
    permission_required = "members.add_pointsentry"
    form_class = forms.RedeemForm
    form_key = "redeem_form"

    def form_kwargs(self, request, member):
        return {"gifts": selectors.gift_list(user=request.user).filter(mall=member.mall)}

    def perform(self, request, member, data):
        services.points_redeem(actor=request.user, member=member, gift=data["gift"])
        return _("Gift redeemed.")


class AdjustView(MemberActionView):
    permission_required = "members.add_pointsentry"
    form_class = forms.AdjustForm
    form_key = "adjust_form"

    def perform(self, request, member, data):
        result = services.points_adjust(actor=request.user, member=member, **data)
        if isinstance(result, services.PointsAdjustment):
            return _("The adjustment is waiting for a supervisor's approval.")
        return _("Points adjusted.")


class ConsentView(MemberActionView):
    permission_required = "members.change_member"
    form_class = forms.ConsentForm
    form_key = "consent_form"

    def perform(self, request, member, data):
        services.member_update_consent(actor=request.user, member=member, **data)
        return _("Consents saved.")


class TierView(MemberActionView):
    permission_required = "members.change_tier"
    form_class = forms.TierForm
    form_key = "tier_form"

    def form_kwargs(self, request, member):
        return {"tiers": selectors.tier_list(user=request.user).filter(mall=member.mall)}

    def perform(self, request, member, data):
        services.member_set_tier(actor=request.user, member=member, **data)
        return _("Tier changed.")


class MergeView(MemberActionView):
    permission_required = "members.merge_member"
    form_class = forms.MergeForm
    form_key = "merge_form"

    def perform(self, request, member, data):
        try:
            phone = services.normalise_mobile(data["other_phone"])
        except ValidationError as exc:
            raise ValidationError({"other_phone": exc.messages}) from exc
        other = (
            selectors.member_list(user=request.user)
            .filter(mall=member.mall_id, phone=phone)
            .first()
        )
        if other is None:
            raise ValidationError({"other_phone": _("No member with this mobile number.")})
        services.member_merge(actor=request.user, survivor=member, absorbed=other)
        return _("Members merged.")


class RevealPhoneView(_Perm, mallservice_views.RevealPhoneView):
    permission_required = "members.reveal_phone"

    def get_queryset(self, request: HttpRequest):
        return selectors.member_list(user=request.user)


CARD_ACTIONS = {
    "enter": services.card_confirm_entered,
    "lost": services.card_report_lost,
    "freeze": services.card_freeze,
    "unfreeze": services.card_unfreeze,
    "reissue": services.card_reissue,
    "void": services.card_void,
}


class CardActionView(_Perm, View):
    permission_required = "members.change_card"

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        card = get_object_or_404(selectors.card_list(user=request.user).exclude(member=None), pk=pk)
        service = CARD_ACTIONS.get(action)
        if service is None:
            return HttpResponse(status=404)
        try:
            result = service(actor=request.user, card=card)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if action == "reissue":
                messages.success(
                    request, _("New card %(number)s issued.") % {"number": result.number}
                )
            else:
                messages.success(request, _("Card updated."))
        return redirect("members:detail", pk=card.member_id)


class MyCallsView(_Perm, TemplateView):
    permission_required = "members.add_callattempt"
    template_name = "members/call_my_list.html"

    # A long list of overdue calls must not make the page slow to draw.
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tasks = selectors.my_calls_today(user=self.request.user)
        context["page_obj"] = Paginator(tasks, self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        return context


class CallDetailView(SubmitOnceMixin, _Perm, View):
    permission_required = "members.add_callattempt"

    def _render(self, request, task, form, status=200):
        return render(
            request,
            "members/call_detail.html",
            {"task": task, "form": form, "attempts": selectors.call_attempts(task=task)},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = get_object_or_404(selectors.call_task_list(user=request.user), pk=pk)
        return self._render(request, task, forms.CallOutcomeForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = get_object_or_404(selectors.call_task_list(user=request.user), pk=pk)
        form = forms.CallOutcomeForm(request.POST)
        if form.is_valid():
            try:
                services.call_record_outcome(actor=request.user, task=task, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Call outcome recorded."))
                return redirect("members:my_calls")
        return self._render(request, task, form)


class SupervisionView(_Perm, TemplateView):
    permission_required = "members.view_campaign"
    template_name = "members/supervision.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        by_campaign, by_staff, overdue = selectors.campaign_completion(user=user)
        stuck_cards, no_card = selectors.cards_stuck(user=user)
        context.update(
            by_campaign=by_campaign,
            by_staff=by_staff,
            overdue=overdue,
            stuck_cards=stuck_cards[:50],
            no_card=no_card[:50],
            adjustments=selectors.adjustment_pending_list(user=user)[:50],
            campaigns=selectors.campaign_list(user=user).filter(is_active=True),
            tier_runs=selectors.tier_review_last(user=user),
        )
        return context


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


class CallListView(_Perm, TemplateView):
    """Every call of the user's malls, filtered as the dashboard's figures are."""

    permission_required = "members.view_campaign"
    template_name = "members/call_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        show = request.GET.get("show", "")
        show = show if show in selectors.CALL_FILTERS else ""
        params = {
            "assignee": _int_param(request, "assignee"),
            "campaign": _int_param(request, "campaign"),
            "mall": _int_param(request, "mall"),
        }
        tasks = selectors.call_task_filtered(
            user=request.user,
            show=show,
            assignee_id=params["assignee"],
            campaign_id=params["campaign"],
            mall_id=params["mall"],
        )
        query = "&".join(
            [f"show={show}"] * bool(show)
            + [f"{name}={value}" for name, value in params.items() if value is not None]
        )
        context.update(
            show=show,
            page_obj=Paginator(tasks, 50).get_page(request.GET.get("page")),
            query=query,
            filters=[
                ("", _("All calls")),
                ("due_today", _("Due today")),
                ("done_today", _("Done today")),
                ("overdue", _("Overdue")),
            ],
        )
        return context


class CampaignPlanView(_Perm, View):
    permission_required = "members.change_campaign"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = get_object_or_404(selectors.campaign_list(user=request.user), pk=pk)
        run = services.campaign_plan(campaign=campaign)
        messages.success(
            request,
            _(
                "%(created)s calls planned; skipped %(consent)s without consent and %(dnc)s on do-not-call."
            )
            % {
                "created": run.created,
                "consent": run.skipped_no_consent,
                "dnc": run.skipped_do_not_call,
            },
        )
        return redirect("members:supervision")


class AdjustmentDecideView(_Perm, View):
    permission_required = "members.change_pointsadjustment"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        adjustment = get_object_or_404(selectors.adjustment_pending_list(user=request.user), pk=pk)
        try:
            services.points_adjustment_decide(
                actor=request.user,
                adjustment=adjustment,
                approve=request.POST.get("approve") == "1",
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Decision recorded."))
        return redirect("members:supervision")


class ImportListView(SubmitOnceMixin, _Perm, View):
    permission_required = "members.add_memberimport"

    def _render(self, request, form):
        imports_page = Paginator(selectors.member_import_list(user=request.user), 20).get_page(
            request.GET.get("page")
        )
        return render(request, "members/import_list.html", {"form": form, "page_obj": imports_page})

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, forms.ImportUploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                record = services.member_import_upload(
                    actor=request.user,
                    mall=_home_mall(request.user),
                    filename=upload.name,
                    content=upload.read(),
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                return redirect("members:import_detail", pk=record.pk)
        return self._render(request, form)


class ImportDetailView(_Perm, View):
    permission_required = "members.view_memberimport"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = get_object_or_404(selectors.member_import_list(user=request.user), pk=pk)
        errors = [
            {**e, "messages": [imports.error_message(c) for c in e.get("codes", [])]}
            for e in record.errors[:200]
        ]
        template = (
            "members/_import_progress.html"
            if request.headers.get("HX-Request")
            else "members/import_detail.html"
        )
        return render(
            request,
            template,
            {
                "record": record,
                "errors": errors,
                "running": record.status
                in (
                    MemberImport.Status.UPLOADED,
                    MemberImport.Status.CHECKING,
                    MemberImport.Status.IMPORTING,
                ),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = get_object_or_404(selectors.member_import_list(user=request.user), pk=pk)
        try:
            services.member_import_commit(actor=request.user, record=record)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("members:import_detail", pk=record.pk)


class ImportErrorsView(_Perm, View):
    permission_required = "members.view_memberimport"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = get_object_or_404(selectors.member_import_list(user=request.user), pk=pk)
        # The report lists the rows' full mobile numbers: every download is
        # logged like an export.
        sensitive_access_log(
            actor=request.user,
            kind="export",
            obj=record,
            field="errors",
            mall=record.mall,
            detail={"what": "members.import_errors", "rows": len(record.errors)},
            ip=client_ip(request),
        )
        return csv_response(
            filename=f"import-{record.pk}-errors.csv", rows=imports.error_report_rows(record)
        )


class CampaignFormView(SubmitOnceMixin, _Perm, View):
    """Create (no pk) or edit a campaign; supervisors of its mall."""

    def get_permission_required(self):
        return ["members.change_campaign" if self.kwargs.get("pk") else "members.add_campaign"]

    def _campaign(self, request, pk):
        if pk is None:
            return None
        return get_object_or_404(selectors.campaign_list(user=request.user), pk=pk)

    def _render(self, request, form, campaign):
        return render(request, "members/campaign_form.html", {"form": form, "campaign": campaign})

    def _tiers(self, request, campaign):
        mall = campaign.mall if campaign else _home_mall(request.user)
        return selectors.tier_list(user=request.user).filter(mall=mall)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        campaign = self._campaign(request, pk)
        form = forms.CampaignForm(instance=campaign, tiers=self._tiers(request, campaign))
        return self._render(request, form, campaign)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        campaign = self._campaign(request, pk)
        form = forms.CampaignForm(
            request.POST, instance=campaign, tiers=self._tiers(request, campaign)
        )
        if form.is_valid():
            try:
                services.campaign_save(
                    actor=request.user,
                    mall=campaign.mall if campaign else _home_mall(request.user),
                    campaign=campaign,
                    **{name: form.cleaned_data[name] for name in form.Meta.fields},
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Campaign saved."))
                return redirect("members:supervision")
        return self._render(request, form, campaign)
