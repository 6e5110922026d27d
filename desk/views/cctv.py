"""CCTV footage review: the list, recording a request, its page (approve
or refuse, record the viewing, release a copy to the police, each posted
to its own URL) and the printable slip."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from desk import selectors
from desk.filters.cctv import FootageReviewFilter
from desk.forms import RefuseForm
from desk.forms import cctv as forms
from desk.models import FootageReview
from desk.permissions import (
    ADD_FOOTAGEREVIEW,
    DECIDE_FOOTAGEREVIEW,
    RECORD_FOOTAGEVIEWING,
    RELEASE_FOOTAGECOPY,
    VIEW_FOOTAGEREVIEW,
)
from desk.services.cctv import (
    footage_copy_release,
    footage_decide,
    footage_request,
    footage_viewing_record,
)
from mallservice.filters import filter_query
from mallservice.pagination import page_of
from mallservice.views import DeskView, RevealPhoneView, ServiceActionView, ServiceFormView

PAGE_SIZE = 50


class FootageListView(DeskView, TemplateView):
    permission_required = VIEW_FOOTAGEREVIEW
    template_name = "desk/footage_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        listed = FootageReviewFilter(self.request.GET or None, user=self.request.user)
        page = page_of(listed.qs, self.request.GET.get("page"), PAGE_SIZE)
        context.update(
            form=listed.form,
            page_obj=page,
            reviews=page.object_list,
            query=filter_query(self.request.GET),
        )
        return context


class FootageRequestView(ServiceFormView):
    permission_required = ADD_FOOTAGEREVIEW
    template_name = "desk/footage_form.html"
    form_class = forms.FootageRequestForm

    def perform(self, form) -> HttpResponse:
        review = footage_request(actor=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            _("Footage review %(reference)s recorded: it needs a supervisor's approval.")
            % {"reference": review.reference},
        )
        return redirect(review.get_absolute_url())


class FootageDetailView(DeskView, TemplateView):
    permission_required = VIEW_FOOTAGEREVIEW
    template_name = "desk/footage_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        review = get_object_or_404(
            selectors.footage_review_list(user=self.request.user).select_related(
                "recorded_by",
                "decided_by",
                "viewed_with",
                "copy_released_by",
                "found_item",
                "complaint",
                "incident",
            ),
            pk=kwargs["pk"],
        )
        context.update(
            review=review,
            viewing_form=forms.FootageViewingForm(),
            copy_form=forms.FootageCopyForm(),
            copy_open=(
                review.requester_kind == FootageReview.RequesterKind.POLICE
                and review.status in (FootageReview.Status.APPROVED, FootageReview.Status.VIEWED)
                and review.copy_released_at is None
            ),
        )
        return context


class FootageSlipView(FootageDetailView):
    """The review as printed for the file (调阅监控登记单), signed by the
    requester, the desk and the supervisor."""

    template_name = "desk/footage_slip.html"


class FootageActionView(ServiceActionView):
    def get_queryset(self):
        return selectors.footage_review_list(user=self.request.user)


class FootageApproveView(FootageActionView):
    permission_required = DECIDE_FOOTAGEREVIEW
    success_message = gettext_lazy("Footage review %(object)s approved.")

    def perform(self, obj: FootageReview, data: dict[str, Any]) -> None:
        footage_decide(actor=self.request.user, review=obj, approve=True)


class FootageRefuseView(FootageActionView):
    permission_required = DECIDE_FOOTAGEREVIEW
    form_class = RefuseForm
    success_message = gettext_lazy("Footage review %(object)s refused.")

    def perform(self, obj: FootageReview, data: dict[str, Any]) -> None:
        footage_decide(actor=self.request.user, review=obj, approve=False, reason=data["reason"])


class FootageViewingView(FootageActionView):
    permission_required = RECORD_FOOTAGEVIEWING
    form_class = forms.FootageViewingForm
    success_message = gettext_lazy("Viewing of %(object)s recorded.")

    def perform(self, obj: FootageReview, data: dict[str, Any]) -> None:
        footage_viewing_record(actor=self.request.user, review=obj, **data)


class FootageCopyView(FootageActionView):
    permission_required = RELEASE_FOOTAGECOPY
    form_class = forms.FootageCopyForm
    success_message = gettext_lazy("Copy of %(object)s released to the police.")

    def perform(self, obj: FootageReview, data: dict[str, Any]) -> None:
        footage_copy_release(actor=self.request.user, review=obj, **data)


class FootageRevealPhoneView(DeskView, RevealPhoneView):
    permission_required = VIEW_FOOTAGEREVIEW
    field = "requester_phone"

    def get_queryset(self, request: HttpRequest):
        return selectors.footage_review_list(user=request.user)
