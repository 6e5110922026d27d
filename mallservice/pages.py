"""The kernel's own pages: home, profile, search, staff, dashboard, daily
reports, health and the history panel. The kit every app's views are built
from is `mallservice.views`."""

from __future__ import annotations

import time

import redis
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from mallservice.clock import local_date
from mallservice.daily_report import stored_sections
from mallservice.dashboard import build_panels, panel_details, summary_tiles
from mallservice.filters import DailyReportFilter
from mallservice.forms import ProfileForm, StaffRenameForm
from mallservice.history import history_for, history_visible
from mallservice.home import today_items
from mallservice.masking import mask_phone
from mallservice.models import Heartbeat
from mallservice.net import client_ip
from mallservice.pagination import page_of
from mallservice.permissions import (
    BUILD_DAILY_REPORT,
    ENTER_CALENDAR_YEAR,
    RENAME_STAFF,
    VIEW_DAILY_REPORT,
    VIEW_DASHBOARD,
    VIEW_HEALTH,
    VIEW_HISTORY,
)
from mallservice.phone_search import LIMITED_MESSAGE, full_number, full_number_search_allow
from mallservice.roles import Role, user_roles
from mallservice.search import jump_target, normalise_query, search_all
from mallservice.selectors import (
    daily_report_list,
    mall_list,
    staff_list,
)
from mallservice.services import (
    RenameRefused,
    daily_report_build,
    staff_may_rename,
    staff_rename,
    staff_update_profile,
)
from mallservice.tasks import BEAT_HEARTBEAT
from mallservice.views import DeskView, MallScopedMixin
from mallservice.workdays.calendar import calendar_warnings


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "mallservice/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["roles"] = [Role(code).label for code in sorted(user_roles(user)) if code in Role]
        context["today"] = today_items(user)
        return context


class ProfileView(LoginRequiredMixin, FormView):
    template_name = "mallservice/profile.html"
    form_class = ProfileForm

    def get_initial(self):
        return {"phone": self.request.user.phone}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_rename_staff"] = self.request.user.has_perm(RENAME_STAFF)
        return context

    def form_valid(self, form):
        user = staff_update_profile(user=self.request.user, **form.cleaned_data)
        # Say what was done (issue 25): the number as it is now, masked.
        if user.phone:
            text = _("Your phone number is now %(phone)s.") % {"phone": mask_phone(user.phone)}
        else:
            text = _("Your phone number was removed.")
        messages.success(self.request, text)
        return redirect("profile")


class SearchView(LoginRequiredMixin, TemplateView):
    """The counter's search box: jump to the one record, or list matches."""

    template_name = "mallservice/search.html"

    def get(self, request, *args, **kwargs):
        query = request.GET.get("q", "")
        number = full_number(normalise_query(query))
        if number and not full_number_search_allow(
            user=request.user, number=number, where="header", ip=client_ip(request)
        ):
            context = self.get_context_data(
                query=normalise_query(query), grouped={}, limited=LIMITED_MESSAGE
            )
            return self.render_to_response(context, status=429)
        grouped = search_all(request.user, query)
        target = jump_target(grouped)
        if target:
            return redirect(target)
        return self.render_to_response(
            self.get_context_data(query=normalise_query(query), grouped=grouped)
        )


class StaffListView(DeskView, ListView):
    """The staff of the supervisor's malls, with the names colleagues see;
    the names are changed here, not by each person (issue 16 item 8)."""

    permission_required = RENAME_STAFF
    template_name = "mallservice/staff_list.html"
    context_object_name = "staff"

    def get_queryset(self):
        return staff_list(user=self.request.user).prefetch_related("groups")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["rows"] = [
            (member, staff_may_rename(actor=user, staff=member)) for member in context["staff"]
        ]
        return context


class StaffRenameView(LoginRequiredMixin, FormView):
    template_name = "mallservice/staff_rename.html"
    form_class = StaffRenameForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.staff = get_object_or_404(staff_list(user=request.user), pk=kwargs["pk"])
        if not staff_may_rename(actor=request.user, staff=self.staff):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"display_name": self.staff.display_name}

    def get_context_data(self, **kwargs):
        return super().get_context_data(staff=self.staff, **kwargs)

    def form_valid(self, form):
        try:
            renamed = staff_rename(
                actor=self.request.user,
                staff=self.staff,
                display_name=form.cleaned_data["display_name"],
            )
        except RenameRefused as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(login)s is now shown to colleagues as “%(name)s”.")
            % {"login": renamed.username, "name": renamed.display_name},
        )
        return redirect("staff_list")


class DashboardView(DeskView, TemplateView):
    """Per mall for supervisors; managers pick a mall or see all side by
    side. The page refreshes its panels every minute through HTMX."""

    permission_required = VIEW_DASHBOARD
    template_name = "mallservice/dashboard.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["mallservice/_dashboard_panels.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        malls = list(mall_list(user=self.request.user))
        chosen = self.request.GET.get("mall", "")
        if chosen.isdigit() and int(chosen) in {m.pk for m in malls}:
            columns = [[m for m in malls if m.pk == int(chosen)]]
        elif chosen == "all" and len(malls) > 1:
            columns = [[m] for m in malls]  # side by side, one column a mall
        else:
            home = [m for m in malls if m.pk == self.request.user.mall_id] or malls[:1]
            columns = [home]
        now = timezone.now()
        context.update(
            malls=malls,
            chosen=chosen,
            columns=[
                _dashboard_column(self.request.user, column, now=now, prefix=str(index))
                for index, column in enumerate(columns)
            ],
            now=now,
        )
        if not self.request.htmx and self.request.user.has_perm(ENTER_CALENDAR_YEAR):
            # The manager who enters a missing year's holiday table is told
            # (until then working days count weekends only).
            context["calendar_warnings"] = calendar_warnings(local_date(now))
        return context


def _dashboard_column(user, malls, *, now, prefix: str) -> dict:
    """One mall column: its panels, their one-screen summary and details."""
    panels = build_panels(user=user, malls=malls, now=now)
    return {
        "malls": malls,
        "panels": panels,
        "summary": summary_tiles(panels, prefix=prefix),
        "details": panel_details(panels, prefix=prefix),
    }


def _may_see_health_detail(request: HttpRequest) -> bool:
    """Managers, and monitoring that presents HEALTHZ_TOKEN (as a bearer
    token or `?token=`), see which dependency failed and how."""
    expected = settings.HEALTHZ_TOKEN
    if expected:
        header = request.headers.get("Authorization", "")
        given = (
            header[len("Bearer ") :]
            if header.startswith("Bearer ")
            else request.GET.get("token", "")
        )
        if given and constant_time_compare(given, expected):
            return True
    try:
        return request.user.is_authenticated and request.user.has_perm(VIEW_HEALTH)
    except Exception:  # noqa: BLE001 - the session store may be what is down
        return False


@never_cache
@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in" on the idle warning, and typing in a form: a request
    the idle-timeout middleware counts as activity. 204 while signed in, 401
    once the session has ended (the page then says the user was logged out)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    return HttpResponse(status=204)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for the load balancer and the on-call: database, Redis and
    how long ago beat last proved itself through a worker. Anyone gets the
    status (200 or 503); only managers and a monitoring token get the
    detail, which names the failing dependency and its error."""
    checks: dict[str, object] = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure is "down"
        checks["database"] = f"error: {type(exc).__name__}"
        healthy = False
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
        checks["redis"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["redis"] = f"error: {type(exc).__name__}"
        healthy = False
    beat_age = None
    if checks["database"] == "ok":
        beat = Heartbeat.objects.filter(name=BEAT_HEARTBEAT).first()
        if beat is not None:
            beat_age = round((timezone.now() - beat.at).total_seconds())
    checks["beat_age_seconds"] = beat_age
    if beat_age is None or beat_age > settings.HEARTBEAT_STALE_SECONDS:
        checks["beat"] = "stale"
        healthy = False
    else:
        checks["beat"] = "ok"
    checks["status"] = "ok" if healthy else "degraded"
    checks["time"] = int(time.time())
    if not _may_see_health_detail(request):
        checks = {"status": checks["status"]}
    return JsonResponse(checks, status=200 if healthy else 503)


def history_panel(request: HttpRequest, app_label: str, model_name: str, pk: str) -> HttpResponse:
    """The history of one record, for supervisors and managers of its mall."""
    if not request.user.is_authenticated or not request.user.has_perm(VIEW_HISTORY):
        raise Http404
    if app_label not in settings.PROJECT_APPS:
        raise Http404
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as exc:
        raise Http404 from exc
    obj = model._default_manager.filter(pk=pk).first() if pk.isdigit() else None
    # Scoped like every other read: a record of another mall does not exist
    # for this user. The loader on detail pages asks the same question.
    if obj is None or not history_visible(request.user, obj):
        raise Http404
    return render(
        request,
        "components/_history_panel.html",
        {"entries": history_for(obj), "object": obj},
    )


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


class DailyReportListView(DeskView, TemplateView):
    """The desk's daily reports (每日工作汇总) of the user's malls."""

    permission_required = VIEW_DAILY_REPORT
    template_name = "mallservice/daily_report_list.html"
    paginate_by = 30

    def get_context_data(self, **kwargs):
        listed = DailyReportFilter(self.request.GET, user=self.request.user)
        page = page_of(listed.qs, self.request.GET.get("page"), self.paginate_by)
        return super().get_context_data(
            filters=listed,
            page_obj=page,
            reports=page.object_list,
            malls=list(mall_list(user=self.request.user)),
            **kwargs,
        )


class DailyReportDetailView(DeskView, DetailView):
    """One day of one mall, printable on A4."""

    permission_required = VIEW_DAILY_REPORT
    template_name = "mallservice/daily_report_detail.html"
    context_object_name = "report"

    def get_queryset(self):
        return daily_report_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(sections=stored_sections(self.object.data), **kwargs)


class DailyReportBuildView(MallScopedMixin, DeskView, View):
    """A supervisor builds today's report now (the beat does it at the
    mall's report time anyway); rebuilding replaces the figures."""

    http_method_names = ["post"]
    permission_required = BUILD_DAILY_REPORT

    def post(self, request: HttpRequest) -> HttpResponse:
        report = daily_report_build(mall=self.mall, day=local_date())
        messages.success(
            request,
            _("The daily report of %(mall)s for %(day)s was built.")
            % {"mall": report.mall, "day": report.day.isoformat()},
        )
        return redirect("daily_report", pk=report.pk)
