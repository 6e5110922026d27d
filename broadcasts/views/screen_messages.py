"""Messages for the entrance screens: the list, entering and changing one,
a change waiting for approval beside what runs now, one URL per action
on a message or a change, and their images for staff."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, TemplateView

from broadcasts import forms, selectors
from broadcasts.filters import ScreenMessageFilter
from broadcasts.models import ScreenMessage, ScreenMessageEdit
from broadcasts.permissions import (
    ADD_SCREENMESSAGE,
    APPROVE_SCREENMESSAGE,
    VIEW_SCREENMESSAGE,
)
from broadcasts.services.screen_edits import (
    screen_message_edit,
    screen_message_edit_approve,
    screen_message_edit_reject,
    screen_message_edit_withdraw,
)
from broadcasts.services.screen_messages import (
    screen_message_approve,
    screen_message_reject,
    screen_message_submit,
    screen_message_withdraw,
)
from mallservice.files import ScopedFileView
from mallservice.pagination import page_of
from mallservice.views import DeskView, MallScopedMixin, ServiceActionView, ServiceFormView


class MessageListView(DeskView, TemplateView):
    permission_required = VIEW_SCREENMESSAGE
    template_name = "broadcasts/message_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        request = self.request
        listed = ScreenMessageFilter(request.GET, user=request.user)
        return super().get_context_data(
            page_obj=page_of(listed.qs, request.GET.get("page"), 30),
            filters=listed,
            can_approve=request.user.has_perm(APPROVE_SCREENMESSAGE),
            user_id=request.user.pk,
            **kwargs,
        )


class MessageCreateView(MallScopedMixin, ServiceFormView):
    """A message for the page's mall's screens."""

    permission_required = ADD_SCREENMESSAGE
    form_class = forms.ScreenMessageForm
    template_name = "broadcasts/message_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        screens = selectors.screen_list(user=self.request.user).filter(
            mall=self.mall, is_active=True
        )
        return {**super().get_form_kwargs(), "screens": screens}

    def perform(self, form: forms.ScreenMessageForm) -> HttpResponse:
        data = {**form.cleaned_data, "screens": list(form.cleaned_data["screens"])}
        message = screen_message_submit(actor=self.request.user, mall=self.mall, **data)
        if message.state == ScreenMessage.State.APPROVED:
            messages.success(self.request, _("The message is live on its screens."))
        else:
            messages.info(self.request, _("Saved; it goes live once a supervisor approves."))
        return redirect("broadcasts:message_list")


class MessageEditView(ServiceFormView):
    """Change a message. On an approved one the change waits for a
    supervisor while the approved version keeps playing (see
    `services.screen_edits.screen_message_edit`)."""

    permission_required = ADD_SCREENMESSAGE
    form_class = forms.ScreenMessageEditForm
    template_name = "broadcasts/message_form.html"

    def get_message(self) -> ScreenMessage:
        message = get_object_or_404(
            selectors.screen_message_list(user=self.request.user), pk=self.kwargs["pk"]
        )
        if message.state not in (ScreenMessage.State.PENDING, ScreenMessage.State.APPROVED):
            raise Http404
        return message

    def get(self, request, *args, **kwargs):
        self.message = self.get_message()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.message = self.get_message()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        message = self.message
        screens = selectors.screen_list(user=self.request.user).filter(
            mall_id=message.mall_id, is_active=True
        )
        source = message.pending_edits[0] if message.pending_edits else message
        return {
            **super().get_form_kwargs(),
            "screens": screens,
            "initial": forms.screen_message_initial(source),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            message=self.message, title=_("Change screen message"), **kwargs
        )

    def perform(self, form: forms.ScreenMessageEditForm) -> HttpResponse:
        data = {**form.cleaned_data, "screens": list(form.cleaned_data["screens"])}
        edit = screen_message_edit(actor=self.request.user, message=self.message, **data)
        if edit is not None:
            messages.info(
                self.request,
                _(
                    "Change saved; the approved version stays on the screens "
                    "until a supervisor approves it."
                ),
            )
        elif self.message.state == ScreenMessage.State.APPROVED:
            messages.success(self.request, _("Message changed; the screens show it at once."))
        else:
            messages.success(self.request, _("Message changed; it still waits for approval."))
        return redirect("broadcasts:message_list")


class MessageEditDetailView(DeskView, DetailView):
    """An edit beside what runs now, for the supervisor to approve."""

    permission_required = VIEW_SCREENMESSAGE
    template_name = "broadcasts/message_edit_detail.html"
    context_object_name = "edit"

    def get_queryset(self):
        return selectors.screen_message_edit_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        edit, user = self.object, self.request.user
        pending = edit.state == ScreenMessageEdit.State.PENDING
        return super().get_context_data(
            changes=selectors.screen_message_edit_changes(edit),
            can_approve=pending and user.has_perm(APPROVE_SCREENMESSAGE),
            can_withdraw=pending
            and (edit.submitted_by_id == user.pk or user.has_perm(APPROVE_SCREENMESSAGE)),
            reject_form=forms.RejectForm(),
            **kwargs,
        )


class MessageEditActionView(ServiceActionView):
    """A button on a change: done, back to the list; refused, back to the
    change."""

    def get_queryset(self):
        return selectors.screen_message_edit_list(user=self.request.user)

    def get_success_url(self) -> str:
        return reverse("broadcasts:message_list")

    def refused(self, errors: list[str]) -> HttpResponse:
        messages.error(self.request, " ".join(errors))
        return redirect(self.object)


class MessageEditApproveView(MessageEditActionView):
    permission_required = APPROVE_SCREENMESSAGE
    success_message = gettext_lazy("Change approved; the screens show it on their next refresh.")

    def perform(self, obj: ScreenMessageEdit, data: dict[str, Any]) -> None:
        screen_message_edit_approve(actor=self.request.user, edit=obj)


class MessageEditRejectView(MessageEditActionView):
    permission_required = APPROVE_SCREENMESSAGE
    form_class = forms.RejectForm
    success_message = gettext_lazy("Change rejected; the approved version stays on the screens.")

    def perform(self, obj: ScreenMessageEdit, data: dict[str, Any]) -> None:
        screen_message_edit_reject(actor=self.request.user, edit=obj, note=data["note"])


class MessageEditWithdrawView(MessageEditActionView):
    permission_required = ADD_SCREENMESSAGE
    success_message = gettext_lazy("Change withdrawn; the approved version stays on the screens.")

    def perform(self, obj: ScreenMessageEdit, data: dict[str, Any]) -> None:
        screen_message_edit_withdraw(actor=self.request.user, edit=obj)


class MessageActionView(ServiceActionView):
    """A button on a message in the list; back to the list either way."""

    def get_queryset(self):
        return selectors.screen_message_list(user=self.request.user)

    def get_success_url(self) -> str:
        return reverse("broadcasts:message_list")


class MessageApproveView(MessageActionView):
    permission_required = APPROVE_SCREENMESSAGE
    success_message = gettext_lazy("Approved; the screens show it on their next refresh.")

    def perform(self, obj: ScreenMessage, data: dict[str, Any]) -> None:
        screen_message_approve(actor=self.request.user, message=obj)


class MessageRejectView(MessageActionView):
    permission_required = APPROVE_SCREENMESSAGE
    success_message = gettext_lazy("Rejected.")

    def perform(self, obj: ScreenMessage, data: dict[str, Any]) -> None:
        screen_message_reject(actor=self.request.user, message=obj)


class MessageWithdrawView(MessageActionView):
    permission_required = ADD_SCREENMESSAGE
    success_message = gettext_lazy("Withdrawn.")

    def perform(self, obj: ScreenMessage, data: dict[str, Any]) -> None:
        screen_message_withdraw(actor=self.request.user, message=obj)


class MessageImageView(DeskView, ScopedFileView):
    """A screen message's image (what the screens show), for staff."""

    permission_required = VIEW_SCREENMESSAGE
    field = "image"

    def get_queryset(self, request):
        return selectors.screen_message_list(user=request.user)


class MessageEditImageView(MessageImageView):
    """The image a pending edit proposes, for the supervisor's review."""

    def get_queryset(self, request):
        return selectors.screen_message_edit_list(user=request.user)
