"""Walk-in services: the desk's tally buttons (one click, one INSERT) and
the supervisor's load by hour."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View

from desk import forms, selectors
from desk.models import WalkInCategory
from desk.permissions import ADD_WALKINSERVICE, VIEW_WALKINSERVICE
from desk.services.walkins import walkin_record
from mallservice.selectors import scope_to_user_malls
from mallservice.views import DeskView, MallScopedMixin


class TallyView(DeskView, MallScopedMixin, TemplateView):
    permission_required = ADD_WALKINSERVICE
    template_name = "desk/walkin_tally.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        counts = selectors.walkin_counts(user=user, mall=self.mall, day=timezone.localdate())
        # Each button carries its own token, new at every rendering: the
        # second request of a double click carries the same one.
        context["buttons"] = [
            {"category": category, "count": counts.get(category.pk, 0), "token": uuid.uuid4()}
            for category in selectors.walkin_category_list(user=user, mall=self.mall)
        ]
        context["total"] = sum(counts.values())
        return context


class TallyRecordView(DeskView, View):
    """POST one click: count it and answer with the button again (a fresh
    token, today's count). Without HTMX, back to the tally page."""

    permission_required = ADD_WALKINSERVICE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        categories = scope_to_user_malls(
            WalkInCategory.objects.filter(is_active=True), user=request.user
        )
        category = get_object_or_404(categories, pk=pk)
        form = forms.TallyForm(request.POST)
        if not form.is_valid():
            raise BadRequest
        walkin_record(actor=request.user, category=category, token=form.cleaned_data["token"])
        if not request.htmx:
            return redirect(f"{reverse('desk:walkins')}?mall={category.mall_id}")
        count = selectors.walkin_count(
            user=request.user, category=category, day=timezone.localdate()
        )
        return render(
            request,
            "desk/_walkin_button.html",
            {"button": {"category": category, "count": count, "token": uuid.uuid4()}},
        )


class LoadView(DeskView, MallScopedMixin, TemplateView):
    """The desk's load on a day: services by category and hour."""

    permission_required = VIEW_WALKINSERVICE
    template_name = "desk/walkin_load.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = forms.LoadForm(self.request.GET or None)
        day = form.chosen_day()
        hours, rows = selectors.walkin_by_hour(user=self.request.user, mall=self.mall, day=day)
        context.update(
            form=form,
            day=day,
            hours=hours,
            rows=rows,
            total=sum(row["total"] for row in rows),
            hour_totals=[sum(row["cells"][i] for row in rows) for i in range(len(hours))],
        )
        return context
