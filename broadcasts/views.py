"""Pages of the broadcast room. Each view: permission → selector/service → render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from broadcasts import forms, selectors, services
from broadcasts.models import (
    SCRIPT_FIELDS,
    Announcement,
    MissingPersonCase,
    RoutineAiring,
    ScreenMessage,
)
from broadcasts.playlist import player_payload
from mallservice.files import ScopedFileView, file_response
from mallservice.forms import add_service_error
from mallservice.models import Mall
from mallservice.roles import Role, has_role
from mallservice.selectors import filter_mall_param, mall_list
from mallservice.views import RevealPhoneView, SubmitOnceMixin


def _home_mall(user: Any) -> Mall:
    """New records go to the user's home mall (or their first mall)."""
    if user.mall_id:
        return user.mall
    mall = mall_list(user=user).first()
    if mall is None:
        raise Http404
    return mall


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _paginate(request: HttpRequest, qs, per_page: int = 30):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


class Page(LoginRequiredMixin, PermissionRequiredMixin, View):
    pass


# --- queue and announcements -----------------------------------------------


def _routine_airings_ensure_once(user: Any, day) -> None:
    """Today's routine airings, if the dispatcher has not made them yet —
    once a day per set of malls, not on every poll of the queue (the
    dispatcher adds a slot created later in the day within a minute)."""
    malls = list(mall_list(user=user))
    key = f"broadcasts:routine-ensured:{day}:{'-'.join(str(m.pk) for m in malls)}"
    if cache.add(key, True, timeout=36 * 3600):
        services.routine_airings_ensure(day=day, malls=malls)


class QueueView(Page):
    """The broadcaster's queue: due now by urgency, routine broadcasts,
    and (for supervisors) what waits for approval. Polled every 30 s."""

    permission_required = "broadcasts.view_announcement"

    def get(self, request):
        now = timezone.now()
        _routine_airings_ensure_once(request.user, timezone.localdate(now))
        context = {
            "queue": selectors.announcement_queue(user=request.user, now=now),
            "routine": selectors.routine_due(user=request.user, now=now),
            "pending": list(selectors.pending_announcements(user=request.user)[:50]),
            # 10 minutes without a find: the broadcaster, who sits here, is
            # told to call the police as the desk is.
            "police_overdue": list(
                selectors.missing_case_list(user=request.user)
                .filter(selectors.police_overdue_q(now))
                .order_by("police_due_at")[:10]
            ),
            "can_air": request.user.has_perm("broadcasts.air_announcement"),
            "can_approve": request.user.has_perm("broadcasts.approve_announcement"),
            "now": now,
        }
        template = "broadcasts/_queue.html" if request.htmx else "broadcasts/queue.html"
        return render(request, template, context)


class AnnouncementListView(Page):
    permission_required = "broadcasts.view_announcement"

    def get(self, request):
        qs = filter_mall_param(
            selectors.announcement_list(user=request.user),
            user=request.user,
            value=request.GET.get("mall", ""),
        )
        state = request.GET.get("state", "")
        if state in Announcement.State.values:
            qs = qs.filter(state=state)
        return render(
            request,
            "broadcasts/announcement_list.html",
            {
                "page_obj": _paginate(request, qs),
                "states": Announcement.State.choices,
                "state": state,
            },
        )


class AnnouncementCreateView(SubmitOnceMixin, Page):
    permission_required = "broadcasts.add_announcement"

    def _template(self, request):
        pk = request.GET.get("template") or request.POST.get("template")
        if not pk:
            return None
        if not str(pk).isdigit():
            raise Http404
        return get_object_or_404(
            selectors.template_list(user=request.user).filter(is_active=True), pk=pk
        )

    def _render(self, request, form):
        templates = (
            selectors.template_list(user=request.user)
            .filter(is_active=True)
            .exclude(kind="routine")
        )
        return render(
            request,
            "broadcasts/announcement_form.html",
            {"form": form, "template": form.template, "templates": templates},
        )

    def get(self, request):
        return self._render(request, forms.AnnouncementForm(template=self._template(request)))

    def post(self, request):
        template = self._template(request)
        form = forms.AnnouncementForm(request.POST, template=template)
        if form.is_valid():
            data = form.cleaned_data
            try:
                announcement = services.announcement_request(
                    actor=request.user,
                    mall=template.mall if template else _home_mall(request.user),
                    kind=template.kind if template else data["kind"],
                    template=template,
                    fields=form.script_fields,
                    script=data.get("script", ""),
                    wanted_at=data["wanted_at"],
                    repetitions=data["repetitions"],
                    interval_minutes=data["interval_minutes"],
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                if announcement.state == Announcement.State.PENDING_APPROVAL:
                    messages.info(request, _("Requested; it waits for a supervisor's approval."))
                else:
                    messages.success(request, _("In the broadcaster's queue."))
                return redirect("broadcasts:announcement_detail", pk=announcement.pk)
        return self._render(request, form)


class AnnouncementDetailView(Page):
    permission_required = "broadcasts.view_announcement"

    def get(self, request, pk):
        announcement = get_object_or_404(selectors.announcement_list(user=request.user), pk=pk)
        airings = announcement.airings.select_related("aired_by").order_by("sequence")
        user = request.user
        return render(
            request,
            "broadcasts/announcement_detail.html",
            {
                "announcement": announcement,
                "airings": airings,
                "can_approve": user.has_perm("broadcasts.approve_announcement")
                and announcement.state == Announcement.State.PENDING_APPROVAL,
                "can_air": user.has_perm("broadcasts.air_announcement")
                and announcement.state == Announcement.State.QUEUED,
                "can_cancel": user.has_perm("broadcasts.change_announcement")
                and announcement.state
                in (Announcement.State.QUEUED, Announcement.State.PENDING_APPROVAL),
                "note_form": forms.NoteForm(),
                "cancel_form": forms.CancelForm(),
                "is_supervisor": has_role(user, Role.SUPERVISOR, Role.MANAGER),
            },
        )


def _announcement_action(request, pk, action) -> HttpResponse:
    announcement = get_object_or_404(selectors.announcement_list(user=request.user), pk=pk)
    try:
        action(announcement)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    nxt = request.POST.get("next")
    if nxt == "queue":
        return redirect("broadcasts:queue")
    return redirect("broadcasts:announcement_detail", pk=announcement.pk)


@require_POST
@login_required
@permission_required("broadcasts.approve_announcement", raise_exception=True)
def announcement_approve(request, pk):
    form = forms.NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""

    def act(a):
        services.announcement_approve(actor=request.user, announcement=a, note=note)
        messages.success(request, _("Approved: it is in the broadcaster's queue."))

    return _announcement_action(request, pk, act)


@require_POST
@login_required
@permission_required("broadcasts.approve_announcement", raise_exception=True)
def announcement_reject(request, pk):
    form = forms.NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""

    def act(a):
        services.announcement_reject(actor=request.user, announcement=a, note=note)
        messages.success(request, _("Rejected."))

    return _announcement_action(request, pk, act)


@require_POST
@login_required
@permission_required("broadcasts.change_announcement", raise_exception=True)
def announcement_cancel(request, pk):
    form = forms.CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""

    def act(a):
        services.announcement_cancel(actor=request.user, announcement=a, reason=reason)
        messages.success(request, _("Cancelled; the remaining repeats are dropped."))

    return _announcement_action(request, pk, act)


@require_POST
@login_required
@permission_required("broadcasts.air_announcement", raise_exception=True)
def announcement_air(request, pk):
    def act(a):
        airing = services.announcement_air(actor=request.user, announcement=a)
        messages.success(
            request,
            _("Aired (%(n)s of %(total)s).") % {"n": airing.sequence, "total": a.repetitions},
        )

    return _announcement_action(request, pk, act)


@require_POST
@login_required
@permission_required("broadcasts.air_announcement", raise_exception=True)
def routine_aired(request, pk):
    airing = get_object_or_404(selectors.routine_airing_list(user=request.user), pk=pk)
    try:
        services.routine_airing_mark_aired(actor=request.user, airing=airing)
        messages.success(request, _("Marked aired."))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("broadcasts:queue")


# --- templates and routine schedule ----------------------------------------


class TemplateListView(Page):
    permission_required = "broadcasts.view_scripttemplate"

    def get(self, request):
        return render(
            request,
            "broadcasts/template_list.html",
            {
                "templates": selectors.template_list(user=request.user),
                "slots": selectors.routine_slot_list(user=request.user),
                "fields": SCRIPT_FIELDS,
                "can_manage": request.user.has_perm("broadcasts.add_scripttemplate"),
            },
        )


class TemplateFormView(SubmitOnceMixin, Page):
    permission_required = "broadcasts.add_scripttemplate"

    def _object(self, request, pk):
        if pk is None:
            return None
        return get_object_or_404(selectors.template_list(user=request.user), pk=pk)

    def get(self, request, pk=None):
        obj = self._object(request, pk)
        initial = (
            {"kind": obj.kind, "name": obj.name, "body": obj.body, "is_active": obj.is_active}
            if obj
            else None
        )
        return render(
            request,
            "broadcasts/simple_form.html",
            {"form": forms.ScriptTemplateForm(initial=initial), "title": _("Script template")},
        )

    def post(self, request, pk=None):
        obj = self._object(request, pk)
        form = forms.ScriptTemplateForm(request.POST)
        if form.is_valid():
            try:
                services.script_template_save(
                    actor=request.user,
                    mall=obj.mall if obj else _home_mall(request.user),
                    template=obj,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("broadcasts:template_list")
        return render(
            request, "broadcasts/simple_form.html", {"form": form, "title": _("Script template")}
        )


class RoutineSlotCreateView(SubmitOnceMixin, Page):
    permission_required = "broadcasts.add_routineslot"

    def _form(self, request, data=None):
        mall = _home_mall(request.user)
        templates = selectors.template_list(user=request.user).filter(
            mall=mall, kind="routine", is_active=True
        )
        return forms.RoutineSlotForm(data, templates=templates)

    def get(self, request):
        return render(
            request,
            "broadcasts/simple_form.html",
            {"form": self._form(request), "title": _("Routine broadcast")},
        )

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                services.routine_slot_save(
                    actor=request.user, mall=_home_mall(request.user), **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("broadcasts:template_list")
        return render(
            request, "broadcasts/simple_form.html", {"form": form, "title": _("Routine broadcast")}
        )


class RoutineLogView(Page):
    permission_required = "broadcasts.view_routineairing"

    def get(self, request):
        qs = filter_mall_param(
            selectors.routine_airing_list(user=request.user).order_by("-due_at"),
            user=request.user,
            value=request.GET.get("mall", ""),
        )
        # The dashboard links here for today's missed ones: ?state=missed&day=today.
        state = request.GET.get("state", "")
        state = state if state in RoutineAiring.State.values else ""
        if state:
            qs = qs.filter(state=state)
        today = request.GET.get("day") == "today"
        if today:
            qs = qs.filter(day=timezone.localdate())
        return render(
            request,
            "broadcasts/routine_log.html",
            {"page_obj": _paginate(request, qs), "filtered": bool(state) or today},
        )


# --- missing persons -------------------------------------------------------


class CaseListView(Page):
    permission_required = "broadcasts.view_missingpersoncase"

    def get(self, request):
        now = timezone.now()
        qs = filter_mall_param(
            selectors.missing_case_list(user=request.user),
            user=request.user,
            value=request.GET.get("mall", ""),
        )
        state = request.GET.get("state", "")
        state = state if state in MissingPersonCase.State.values else ""
        if state:
            qs = qs.filter(state=state)
        police_overdue = request.GET.get("police") == "overdue"
        if police_overdue:
            qs = qs.filter(selectors.police_overdue_q(now))
        return render(
            request,
            "broadcasts/case_list.html",
            {
                "page_obj": _paginate(request, qs),
                "now": now,
                "filtered": bool(state) or police_overdue,
            },
        )


class CaseCreateView(SubmitOnceMixin, Page):
    permission_required = "broadcasts.add_missingpersoncase"

    def get(self, request):
        return render(request, "broadcasts/case_form.html", {"form": forms.MissingCaseForm()})

    def post(self, request):
        form = forms.MissingCaseForm(request.POST)
        if form.is_valid():
            try:
                case = services.missing_case_open(
                    actor=request.user, mall=_home_mall(request.user), **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Case opened; the page is in the broadcaster's queue."))
                return redirect("broadcasts:case_detail", pk=case.pk)
        return render(request, "broadcasts/case_form.html", {"form": form})


class CaseDetailView(Page):
    permission_required = "broadcasts.view_missingpersoncase"

    def get(self, request, pk):
        case = get_object_or_404(selectors.missing_case_list(user=request.user), pk=pk)
        return self.render_case(request, case)

    @staticmethod
    def render_case(request, case, **forms_override):
        exits = selectors.exit_choices(case=case).exclude(
            pk__in=case.exits.values_list("exit_id", flat=True)
        )
        context = {
            "case": case,
            "now": timezone.now(),
            "overdue": case.police_overdue(timezone.now()),
            "exits": case.exits.select_related("exit", "watched_by"),
            "announcements": case.announcements.order_by("-requested_at"),
            "exit_form": forms.ExitForm(exits=exits),
            "police_form": forms.PoliceCalledForm(),
            "resolve_form": forms.ResolveForm(),
            "can_change": request.user.has_perm("broadcasts.change_missingpersoncase"),
            "is_supervisor": has_role(request.user, Role.SUPERVISOR, Role.MANAGER),
        }
        context.update(forms_override)
        return render(request, "broadcasts/case_detail.html", context)


def _case_post(request, pk, form_name, make_form, act) -> HttpResponse:
    case = get_object_or_404(selectors.missing_case_list(user=request.user), pk=pk)
    form = make_form(case)
    if form.is_valid():
        try:
            act(case, form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return redirect("broadcasts:case_detail", pk=case.pk)
    return CaseDetailView.render_case(request, case, **{form_name: form})


@require_POST
@login_required
@permission_required("broadcasts.change_missingpersoncase", raise_exception=True)
def case_watch_exit(request, pk):
    return _case_post(
        request,
        pk,
        "exit_form",
        lambda case: forms.ExitForm(request.POST, exits=selectors.exit_choices(case=case)),
        lambda case, data: services.missing_case_watch_exit(
            actor=request.user, case=case, exit=data["exit"]
        ),
    )


@require_POST
@login_required
@permission_required("broadcasts.change_missingpersoncase", raise_exception=True)
def case_police_called(request, pk):
    return _case_post(
        request,
        pk,
        "police_form",
        lambda case: forms.PoliceCalledForm(request.POST),
        lambda case, data: services.missing_case_police_called(
            actor=request.user, case=case, at=data["at"]
        ),
    )


@require_POST
@login_required
@permission_required("broadcasts.change_missingpersoncase", raise_exception=True)
def case_resolve(request, pk):
    return _case_post(
        request,
        pk,
        "resolve_form",
        lambda case: forms.ResolveForm(request.POST),
        lambda case, data: services.missing_case_resolve(actor=request.user, case=case, **data),
    )


class CaseRevealPhoneView(PermissionRequiredMixin, RevealPhoneView):
    """Show the reporter's full number: an explicit, logged read."""

    permission_required = "broadcasts.view_missingpersoncase"
    field = "reporter_phone"

    def get_queryset(self, request):
        return selectors.missing_case_list(user=request.user)


# --- screens ----------------------------------------------------------------


# A list filter beside the states: new messages and edits waiting for approval.
AWAITING = "awaiting"


class MessageListView(Page):
    permission_required = "broadcasts.view_screenmessage"

    def get(self, request):
        qs = filter_mall_param(
            selectors.screen_message_list(user=request.user),
            user=request.user,
            value=request.GET.get("mall", ""),
        )
        state = request.GET.get("state", "")
        if state in ScreenMessage.State.values:
            qs = qs.filter(state=state)
        elif state == AWAITING:
            qs = qs.filter(selectors.awaiting_approval_q())
        else:
            state = ""
        live = request.GET.get("live") == "now"
        if live:
            qs = qs.filter(pk__in=selectors.live_message_ids(user=request.user))
        return render(
            request,
            "broadcasts/message_list.html",
            {
                "page_obj": _paginate(request, qs),
                "states": [
                    (AWAITING, _("waiting for approval (new or edited)")),
                    *ScreenMessage.State.choices,
                ],
                "state": state,
                "live": live,
                "can_approve": request.user.has_perm("broadcasts.approve_screenmessage"),
                "user_id": request.user.pk,
            },
        )


class MessageCreateView(SubmitOnceMixin, Page):
    permission_required = "broadcasts.add_screenmessage"

    def _form(self, request, data=None, files=None):
        screens = selectors.screen_list(user=request.user).filter(
            mall=_home_mall(request.user), is_active=True
        )
        return forms.ScreenMessageForm(data, files, screens=screens)

    def get(self, request):
        return render(request, "broadcasts/message_form.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["screens"] = list(data["screens"])
            try:
                message = services.screen_message_submit(
                    actor=request.user, mall=_home_mall(request.user), **data
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                if message.state == ScreenMessage.State.APPROVED:
                    messages.success(request, _("The message is live on its screens."))
                else:
                    messages.info(request, _("Saved; it goes live once a supervisor approves."))
                return redirect("broadcasts:message_list")
        return render(request, "broadcasts/message_form.html", {"form": form})


class MessageEditView(SubmitOnceMixin, Page):
    """Change a message. On an approved one the change waits for a
    supervisor while the approved version keeps playing (see
    services.screen_message_edit)."""

    permission_required = "broadcasts.add_screenmessage"

    def _message(self, request, pk) -> ScreenMessage:
        message = get_object_or_404(selectors.screen_message_list(user=request.user), pk=pk)
        if message.state not in (ScreenMessage.State.PENDING, ScreenMessage.State.APPROVED):
            raise Http404
        return message

    def _form(self, request, message, data=None, files=None):
        screens = selectors.screen_list(user=request.user).filter(
            mall_id=message.mall_id, is_active=True
        )
        source = message.pending_edits[0] if message.pending_edits else message
        return forms.ScreenMessageEditForm(
            data, files, screens=screens, initial=forms.screen_message_initial(source)
        )

    def _render(self, request, message, form):
        return render(
            request,
            "broadcasts/message_form.html",
            {"form": form, "message": message, "title": _("Change screen message")},
        )

    def get(self, request, pk):
        message = self._message(request, pk)
        return self._render(request, message, self._form(request, message))

    def post(self, request, pk):
        message = self._message(request, pk)
        form = self._form(request, message, request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["screens"] = list(data["screens"])
            try:
                edit = services.screen_message_edit(actor=request.user, message=message, **data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                if edit is not None:
                    messages.info(
                        request,
                        _(
                            "Change saved; the approved version stays on the screens "
                            "until a supervisor approves it."
                        ),
                    )
                else:
                    messages.success(request, _("Saved."))
                return redirect("broadcasts:message_list")
        return self._render(request, message, form)


class MessageEditDetailView(Page):
    """An edit beside what runs now, for the supervisor to approve."""

    permission_required = "broadcasts.view_screenmessage"

    def get(self, request, pk):
        edit = get_object_or_404(selectors.screen_message_edit_list(user=request.user), pk=pk)
        return render(
            request,
            "broadcasts/message_edit_detail.html",
            {
                "edit": edit,
                "changes": selectors.screen_message_edit_changes(edit),
                "can_approve": edit.state == edit.State.PENDING
                and request.user.has_perm("broadcasts.approve_screenmessage"),
                "can_withdraw": edit.state == edit.State.PENDING
                and (
                    edit.submitted_by_id == request.user.pk
                    or request.user.has_perm("broadcasts.approve_screenmessage")
                ),
            },
        )


def _edit_action(request, pk, act, done: str) -> HttpResponse:
    edit = get_object_or_404(selectors.screen_message_edit_list(user=request.user), pk=pk)
    try:
        act(edit)
        messages.success(request, done)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("broadcasts:message_edit_detail", pk=edit.pk)
    return redirect("broadcasts:message_list")


@require_POST
@login_required
@permission_required("broadcasts.approve_screenmessage", raise_exception=True)
def message_edit_approve(request, pk):
    return _edit_action(
        request,
        pk,
        lambda edit: services.screen_message_edit_approve(actor=request.user, edit=edit),
        _("Change approved; the screens show it on their next refresh."),
    )


@require_POST
@login_required
@permission_required("broadcasts.approve_screenmessage", raise_exception=True)
def message_edit_reject(request, pk):
    return _edit_action(
        request,
        pk,
        lambda edit: services.screen_message_edit_reject(
            actor=request.user, edit=edit, note=request.POST.get("note", "")[:200]
        ),
        _("Change rejected; the approved version stays on the screens."),
    )


@require_POST
@login_required
@permission_required("broadcasts.add_screenmessage", raise_exception=True)
def message_edit_withdraw(request, pk):
    return _edit_action(
        request,
        pk,
        lambda edit: services.screen_message_edit_withdraw(actor=request.user, edit=edit),
        _("Withdrawn."),
    )


def _message_action(request, pk, fn, done: str) -> HttpResponse:
    message = get_object_or_404(selectors.screen_message_list(user=request.user), pk=pk)
    try:
        fn(actor=request.user, message=message)
        messages.success(request, done)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("broadcasts:message_list")


@require_POST
@login_required
@permission_required("broadcasts.approve_screenmessage", raise_exception=True)
def message_approve(request, pk):
    return _message_action(request, pk, services.screen_message_approve, _("Approved."))


@require_POST
@login_required
@permission_required("broadcasts.approve_screenmessage", raise_exception=True)
def message_reject(request, pk):
    return _message_action(request, pk, services.screen_message_reject, _("Rejected."))


@require_POST
@login_required
@permission_required("broadcasts.add_screenmessage", raise_exception=True)
def message_withdraw(request, pk):
    return _message_action(request, pk, services.screen_message_withdraw, _("Withdrawn."))


class ScreenListView(Page):
    """Screens with what is on each now (the preview) and their player URLs."""

    permission_required = "broadcasts.view_screen"

    def get(self, request):
        return render(
            request,
            "broadcasts/screen_list.html",
            {
                "screens_now": selectors.screens_now(user=request.user),
                "can_manage": request.user.has_perm("broadcasts.change_screen"),
            },
        )


class ScreenFormView(SubmitOnceMixin, Page):
    permission_required = "broadcasts.add_screen"

    def _object(self, request, pk):
        if pk is None:
            return None
        return get_object_or_404(selectors.screen_list(user=request.user), pk=pk)

    def get(self, request, pk=None):
        obj = self._object(request, pk)
        initial = (
            {"name": obj.name, "location": obj.location, "is_active": obj.is_active}
            if obj
            else None
        )
        return render(
            request,
            "broadcasts/simple_form.html",
            {"form": forms.ScreenForm(initial=initial), "title": _("Display screen")},
        )

    def post(self, request, pk=None):
        obj = self._object(request, pk)
        form = forms.ScreenForm(request.POST)
        if form.is_valid():
            try:
                services.screen_save(
                    actor=request.user,
                    mall=obj.mall if obj else _home_mall(request.user),
                    screen=obj,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("broadcasts:screen_list")
        return render(
            request, "broadcasts/simple_form.html", {"form": form, "title": _("Display screen")}
        )


@require_POST
@login_required
@permission_required("broadcasts.change_screen", raise_exception=True)
def screen_rotate_token(request, pk):
    screen = get_object_or_404(selectors.screen_list(user=request.user), pk=pk)
    services.screen_token_rotate(actor=request.user, screen=screen)
    messages.success(request, _("New player address made; update the screen's PC."))
    return redirect("broadcasts:screen_list")


class LiveLogView(Page):
    permission_required = "broadcasts.view_screenliverecord"

    def get(self, request):
        qs = selectors.live_record_list(user=request.user)
        return render(request, "broadcasts/live_log.html", {"page_obj": _paginate(request, qs)})


# --- the player (no login: the secret token is the credential) --------------


@require_GET
def player_page(request: HttpRequest, token: str) -> HttpResponse:
    payload = player_payload(token)
    if payload is None:
        raise Http404
    return render(request, "broadcasts/player.html", {"token": token, "screen": payload["screen"]})


@require_GET
def player_image(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """A message's image for the player: only with the token of an active
    screen the approved message is placed on."""
    message = get_object_or_404(selectors.player_message_list(token=token), pk=pk)
    return file_response(
        message.image,
        download_name=f"screen-message-{message.pk}",
        cache_control="private, max-age=300",
    )


class MessageImageView(Page, ScopedFileView):
    """A screen message's image (what the screens show), for staff."""

    permission_required = "broadcasts.view_screenmessage"
    field = "image"

    def get_queryset(self, request):
        return selectors.screen_message_list(user=request.user)


class MessageEditImageView(MessageImageView):
    """The image a pending edit proposes, for the supervisor's review."""

    def get_queryset(self, request):
        return selectors.screen_message_edit_list(user=request.user)


@never_cache
@require_GET
def player_payload_view(request: HttpRequest, token: str) -> JsonResponse:
    payload = player_payload(token)
    if payload is None:
        return JsonResponse({"error": "unknown screen"}, status=404)
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
