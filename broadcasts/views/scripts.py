"""Script templates and the daily routine schedule (supervisors)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from broadcasts import forms, selectors
from broadcasts.models import SCRIPT_FIELDS, AnnouncementKind, ScriptTemplate
from broadcasts.permissions import ADD_ROUTINESLOT, ADD_SCRIPTTEMPLATE, VIEW_SCRIPTTEMPLATE
from broadcasts.services.routine import routine_slot_save
from broadcasts.services.scripts import script_template_save
from mallservice.views import DeskView, MallScopedMixin, ServiceFormView


class TemplateListView(DeskView, TemplateView):
    permission_required = VIEW_SCRIPTTEMPLATE
    template_name = "broadcasts/template_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return super().get_context_data(
            templates=selectors.template_list(user=user),
            slots=selectors.routine_slot_list(user=user),
            fields=SCRIPT_FIELDS,
            can_manage=user.has_perm(ADD_SCRIPTTEMPLATE),
            **kwargs,
        )


class TemplateFormView(MallScopedMixin, ServiceFormView):
    """A new script template (`templates/new/`, for the page's mall) or a
    change to one (`templates/<pk>/`)."""

    permission_required = ADD_SCRIPTTEMPLATE
    form_class = forms.ScriptTemplateForm
    template_name = "broadcasts/simple_form.html"

    def get_object(self) -> ScriptTemplate | None:
        pk = self.kwargs.get("pk")
        if pk is None:
            return None
        return get_object_or_404(selectors.template_list(user=self.request.user), pk=pk)

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        obj = self.object
        if obj is None:
            return super().get_initial()
        return {"kind": obj.kind, "name": obj.name, "body": obj.body, "is_active": obj.is_active}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("Script template"), **kwargs)

    def perform(self, form: forms.ScriptTemplateForm) -> HttpResponse:
        obj = self.object
        template = script_template_save(
            actor=self.request.user,
            mall=obj.mall if obj else self.mall,
            template=obj,
            **form.cleaned_data,
        )
        if obj is None:
            messages.success(
                self.request, _("Script template %(name)s added.") % {"name": template}
            )
        else:
            messages.success(
                self.request, _("Script template %(name)s changed.") % {"name": template}
            )
        return redirect("broadcasts:template_list")


class RoutineSlotCreateView(MallScopedMixin, ServiceFormView):
    """A time of the page's mall's daily routine schedule."""

    permission_required = ADD_ROUTINESLOT
    form_class = forms.RoutineSlotForm
    template_name = "broadcasts/simple_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        templates = selectors.template_list(user=self.request.user).filter(
            mall=self.mall, kind=AnnouncementKind.ROUTINE, is_active=True
        )
        return {**super().get_form_kwargs(), "templates": templates}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("Routine broadcast"), **kwargs)

    def perform(self, form: forms.RoutineSlotForm) -> HttpResponse:
        slot = routine_slot_save(actor=self.request.user, mall=self.mall, **form.cleaned_data)
        messages.success(
            self.request,
            _("%(name)s added to the daily schedule at %(time)s.")
            % {"name": slot.template, "time": f"{slot.at:%H:%M}"},
        )
        return redirect("broadcasts:template_list")
