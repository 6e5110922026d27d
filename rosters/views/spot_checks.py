"""Spot checks (查岗): recording one on a phone at the posts, its result,
the list of checks; undeclared absences (离岗未报): the person's explanation
and the supervisor's decision."""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, TemplateView

from mallservice.filters import filter_query
from mallservice.pagination import page_of
from mallservice.views import DeskView, MallScopedMixin, ServiceFormView
from rosters import permissions as perms
from rosters.filters import SpotCheckFilter, UndeclaredAbsenceFilter
from rosters.forms import ExplainForm, NoteForm, SpotCheckForm
from rosters.models import SpotCheckEntry, UndeclaredAbsence
from rosters.selectors.attendance import at_post_now
from rosters.selectors.roster import staff_of_mall
from rosters.selectors.spot_checks import (
    spot_check_counts,
    spot_check_entries,
    spot_check_list,
    suggested_check_times,
    undeclared_absence_list,
)
from rosters.services.spot_checks import (
    spot_check_record,
    undeclared_absence_explain,
    undeclared_absence_review,
)
from rosters.views.common import RecordActionView

PAGE_SIZE = 50


class SpotCheckCreateView(MallScopedMixin, ServiceFormView):
    """The checker's phone page: who is rostered now, post by post, a box
    to tick for each person found; the day's suggested times on top."""

    permission_required = perms.ADD_SPOTCHECK
    template_name = "rosters/spot_check_form.html"
    form_class = SpotCheckForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.now = timezone.now()
        self.groups = [
            g
            for g in at_post_now(user=self.request.user, mall=self.mall, now=self.now)
            if g["entries"]
        ]
        rostered = [e["assignment"].staff_id for g in self.groups for e in g["entries"]]
        staff = staff_of_mall(self.mall)
        kwargs["staff"] = staff
        kwargs["offered"] = staff.exclude(pk__in=[*rostered, self.request.user.pk])
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = self.now
        form = context["form"]
        context["groups"] = self.groups
        context["ticked"] = (
            {str(v) for v in form.data.getlist("present")} if form.is_bound else set()
        )
        context["suggested"] = suggested_check_times(mall=self.mall, day=timezone.localdate(now))
        context["now"] = now
        return context

    def perform(self, form):
        check = spot_check_record(actor=self.request.user, mall=self.mall, **form.cleaned_data)
        return redirect("rosters:spot_check", pk=check.pk)


class SpotCheckDetailView(DeskView, DetailView):
    """A check's result: found, missing (with the absence's state), off post
    as recorded, not clocked in, found off the roster."""

    permission_required = perms.VIEW_SPOTCHECK
    template_name = "rosters/spot_check_detail.html"
    context_object_name = "check"

    def get_queryset(self):
        return spot_check_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = list(spot_check_entries(check=self.object))
        context["sections"] = [
            (value, label, [e for e in entries if e.result == value])
            for value, label in SpotCheckEntry.Result.choices
        ]
        context["absences"] = undeclared_absence_list(user=self.request.user).filter(
            spot_check=self.object
        )
        return context


class SpotCheckListView(DeskView, TemplateView):
    permission_required = perms.VIEW_SPOTCHECK
    template_name = "rosters/spot_check_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listed = SpotCheckFilter(self.request.GET or None, user=self.request.user)
        page = page_of(listed.qs, self.request.GET.get("page"), PAGE_SIZE)
        checks = list(page.object_list)
        counts = spot_check_counts(checks)
        context.update(
            form=listed.form,
            page_obj=page,
            rows=[(c, counts[c.pk]) for c in checks],
            query=filter_query(self.request.GET),
        )
        return context


class UndeclaredAbsenceListView(DeskView, TemplateView):
    """Staff see their own absences and explain them here; supervisors see
    their malls' and decide."""

    permission_required = perms.EXPLAIN_UNDECLAREDABSENCE
    template_name = "rosters/spot_check_absences.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listed = UndeclaredAbsenceFilter(self.request.GET or None, user=self.request.user)
        page = page_of(listed.qs, self.request.GET.get("page"), PAGE_SIZE)
        context.update(
            form=listed.form,
            page_obj=page,
            absences=page.object_list,
            query=filter_query(self.request.GET),
            explain_form=ExplainForm(),
            review_form=NoteForm(),
        )
        return context


class AbsenceActionView(RecordActionView):
    list_url_name = "rosters:absences"

    def get_queryset(self):
        return undeclared_absence_list(user=self.request.user)


class AbsenceExplainView(AbsenceActionView):
    permission_required = perms.EXPLAIN_UNDECLAREDABSENCE
    form_class = ExplainForm
    success_message = gettext_lazy("Your explanation was sent to the supervisor.")

    def perform(self, obj, data):
        undeclared_absence_explain(actor=self.request.user, absence=obj, **data)


class AbsenceExcuseView(AbsenceActionView):
    permission_required = perms.REVIEW_UNDECLAREDABSENCE
    form_class = NoteForm
    success_message = gettext_lazy("Explanation accepted: the absence is not counted.")

    def perform(self, obj, data):
        undeclared_absence_review(
            actor=self.request.user, absence=obj, decision=UndeclaredAbsence.State.EXCUSED, **data
        )


class AbsenceConfirmView(AbsenceActionView):
    permission_required = perms.REVIEW_UNDECLAREDABSENCE
    form_class = NoteForm
    success_message = gettext_lazy("Undeclared absence confirmed: it counts on the monthly report.")

    def perform(self, obj, data):
        undeclared_absence_review(
            actor=self.request.user,
            absence=obj,
            decision=UndeclaredAbsence.State.CONFIRMED,
            **data,
        )
