"""Lost and found: found items, their claims and broadcasts, lost-item
reports."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from broadcasts.permissions import ADD_ANNOUNCEMENT
from mailroom import forms, selectors
from mailroom import permissions as perms
from mailroom.filters import FoundItemFilter
from mailroom.models import FoundItem, ItemClaim, LostReport
from mailroom.services.lost_found import (
    claim_log,
    claim_release,
    claim_verify,
    found_item_broadcast_request,
    found_item_dispose,
    found_item_log,
    lost_report_close,
    lost_report_log,
)
from mallservice.files import ScopedFileView
from mallservice.pagination import page_of
from mallservice.views import DeskView, ServiceActionView, ServiceFormView

# A list page shows this many rows.
PER_PAGE = 50


class FoundListView(DeskView, TemplateView):
    permission_required = perms.VIEW_FOUNDITEM
    template_name = "mailroom/found_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        listed = FoundItemFilter(self.request.GET, user=user)
        context.update(
            form=listed.form,
            view=listed.form.cleaned_data.get("view") if listed.is_valid() else "",
            views=FoundItemFilter.VIEWS,
            page_obj=page_of(listed.qs, self.request.GET.get("page"), PER_PAGE),
            open_reports=selectors.lost_report_list(user=user)
            .filter(status=LostReport.Status.OPEN)
            .order_by("-logged_at")[:20],
        )
        return context


class FoundCreateView(ServiceFormView):
    permission_required = perms.ADD_FOUNDITEM
    template_name = "mailroom/form.html"
    form_class = forms.FoundItemForm
    extra_context = {"title": _("Log a found item"), "multipart": True}

    def perform(self, form):
        item = found_item_log(actor=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            _("Found item %(number)s logged; store it in the %(storage)s.")
            % {"number": item.number, "storage": item.get_storage_display()},
        )
        return redirect("mailroom:found_detail", pk=item.pk)


class FoundDetailView(DeskView, DetailView):
    permission_required = perms.VIEW_FOUNDITEM
    template_name = "mailroom/found_detail.html"
    context_object_name = "item"

    def get_queryset(self):
        return selectors.found_item_list(user=self.request.user).select_related(
            "disposal_by", "announcement"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["claims"] = selectors.claim_list(user=user).filter(item=self.object)
        context["claim_form"] = forms.ClaimForm()
        context["dispose_form"] = forms.DisposeForm()
        context["can_broadcast"] = user.has_perms(FoundBroadcastView.permission_required)
        return context


class FoundBroadcastView(ServiceActionView):
    """POST from the found item page: ask the broadcast room to announce it."""

    # Asking the broadcast room is the broadcasts app's own permission too.
    permission_required = (perms.CHANGE_FOUNDITEM, ADD_ANNOUNCEMENT)

    def get_queryset(self):
        return selectors.found_item_list(user=self.request.user)

    def perform(self, obj, data):
        found_item_broadcast_request(actor=self.request.user, item=obj)
        return _("The broadcast room will announce the item.")


class FoundPhotoView(DeskView, ScopedFileView):
    permission_required = perms.VIEW_FOUNDITEM
    field = "photo"

    def get_queryset(self, request):
        return selectors.found_item_list(user=request.user)


class _ItemFormView(ServiceFormView):
    template_name = "mailroom/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.item = get_object_or_404(
                selectors.found_item_list(user=request.user), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(item=self.item, **kwargs)


class ClaimCreateView(_ItemFormView):
    permission_required = perms.ADD_ITEMCLAIM
    form_class = forms.ClaimForm
    extra_context = {"title": _("Record a claim")}

    def perform(self, form):
        claim = claim_log(actor=self.request.user, item=self.item, **form.cleaned_data)
        messages.success(
            self.request,
            _("Claim by %(name)s recorded; verify it before release.")
            % {"name": claim.claimant_name},
        )
        return redirect("mailroom:found_detail", pk=self.item.pk)


class FoundDisposeView(_ItemFormView):
    permission_required = perms.DISPOSE_FOUNDITEM
    form_class = forms.DisposeForm
    extra_context = {"title": _("Hand to police or dispose of")}

    def perform(self, form):
        item = found_item_dispose(actor=self.request.user, item=self.item, **form.cleaned_data)
        if item.status == FoundItem.Status.TO_POLICE:
            message = _("Item %(number)s handed to the police (receipt %(reference)s).")
        else:
            message = _("Item %(number)s recorded as disposed of.")
        messages.success(
            self.request, message % {"number": item.number, "reference": item.disposal_reference}
        )
        return redirect("mailroom:found_detail", pk=self.item.pk)


class _ClaimFormView(ServiceFormView):
    template_name = "mailroom/claim_action.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.claim = get_object_or_404(selectors.claim_list(user=request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(claim=self.claim, item=self.claim.item, **kwargs)


class ClaimVerifyView(_ClaimFormView):
    permission_required = perms.CHANGE_ITEMCLAIM
    form_class = forms.ClaimVerifyForm
    extra_context = {"title": _("Verify the claim"), "action": "verify"}

    def perform(self, form):
        claim = claim_verify(
            actor=self.request.user,
            claim=self.claim,
            approved=form.cleaned_data["approved"],
            note=form.cleaned_data["note"],
        )
        if claim.status == ItemClaim.Status.VERIFIED:
            messages.success(self.request, _("Claim verified: take the signature and release."))
            return redirect("mailroom:claim_release", pk=claim.pk)
        messages.info(
            self.request, _("Claim by %(name)s rejected.") % {"name": claim.claimant_name}
        )
        return redirect("mailroom:found_detail", pk=claim.item_id)


class ClaimReleaseView(_ClaimFormView):
    permission_required = perms.CHANGE_ITEMCLAIM
    form_class = forms.SignatureForm
    extra_context = {"title": _("Release to the claimant"), "action": "release"}

    def perform(self, form):
        claim_release(
            actor=self.request.user,
            claim=self.claim,
            signature_png=form.cleaned_data["signature"],
        )
        messages.success(
            self.request,
            _("Item %(number)s released to %(name)s.")
            % {"number": self.claim.item.number, "name": self.claim.claimant_name},
        )
        return redirect("mailroom:found_detail", pk=self.claim.item_id)


class ClaimSignatureView(DeskView, ScopedFileView):
    permission_required = perms.VIEW_ITEMCLAIM
    field = "signature"

    def get_queryset(self, request):
        return selectors.claim_list(user=request.user)


class LostReportCreateView(ServiceFormView):
    permission_required = perms.ADD_LOSTREPORT
    template_name = "mailroom/form.html"
    form_class = forms.LostReportForm
    extra_context = {"title": _("Report a lost item")}

    def perform(self, form):
        report = lost_report_log(actor=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            _("Lost-item report recorded: %(category)s, %(name)s. Possible matches are listed.")
            % {"category": report.get_category_display(), "name": report.reporter_name},
        )
        return redirect("mailroom:lost_detail", pk=report.pk)


class LostReportDetailView(DeskView, DetailView):
    permission_required = perms.VIEW_LOSTREPORT
    template_name = "mailroom/lost_detail.html"
    context_object_name = "report"

    def get_queryset(self):
        return selectors.lost_report_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["matches"] = selectors.found_item_matches(
            user=self.request.user, report=self.object
        )[:20]
        return context


class LostReportCloseView(ServiceActionView):
    """The "close as not found" button of a lost-item report."""

    permission_required = perms.CHANGE_LOSTREPORT

    def get_queryset(self):
        return selectors.lost_report_list(user=self.request.user)

    def perform(self, obj, data):
        lost_report_close(actor=self.request.user, report=obj)
        return _("Report closed as not found.")


class LostReportResolveView(ServiceActionView):
    """The "this is it" button: one of the found items resolves the report."""

    permission_required = perms.CHANGE_LOSTREPORT
    form_class = forms.LostReportResolveForm

    def get_queryset(self):
        return selectors.lost_report_list(user=self.request.user)

    def perform(self, obj, data):
        item = data["found_item"]
        lost_report_close(actor=self.request.user, report=obj, found_item=item)
        return _("Report resolved: the item is %(number)s.") % {"number": item.number}
