"""Input shapes. Business rules live in the services, whose
ValidationErrors are attached to these forms' fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from complaints import selectors
from complaints.models import (
    Channel,
    Compensation,
    Department,
    HandlerKind,
    PhoneCall,
    Satisfaction,
    Severity,
    StatusCategory,
)
from mallservice.forms import BootstrapWidgetsMixin, SubmitOnceFormMixin, UserFormMixin
from mallservice.selectors import floor_list, unit_list
from members.selectors import member_search, tier_list

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


# Shop lists: by floor, then by name, as the desk walks the mall.
UNIT_ORDER = ("mall", "floor__level", "name")


def unit_label(unit: Any) -> str:
    return f"{unit.floor.code} · {unit.name} ({unit.get_kind_display()})"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return unit_label(obj)


def searchable(field: forms.Field) -> None:
    """A long list gets a box above it that filters it as one types
    (`complaints.js`; no CDN widget)."""
    field.widget.attrs.update(
        {"data-searchable": "", "data-search-placeholder": _("Type to filter the list")}
    )


def floor_narrows_units(form: forms.Form, *, floor_field: str = "floor", unit_field: str = "unit"):
    """Choosing a floor reloads the shop list with that floor's places
    (HTMX, `complaints:unit_options`). A form shown with a floor already
    chosen lists that floor's places only; a place of another floor is then
    refused next to the field."""
    floor, unit = form.fields[floor_field], form.fields[unit_field]
    floor.widget.attrs.update(
        {
            "hx-get": reverse_lazy("complaints:unit_options"),
            "hx-target": f"#{form[unit_field].id_for_label}",
            "hx-include": f"#{form[unit_field].id_for_label}",
            "hx-trigger": "change",
        }
    )
    searchable(unit)
    chosen = form.data.get(form.add_prefix(floor_field)) if form.is_bound else None
    if chosen is None:
        chosen = getattr(form.initial.get(floor_field), "pk", form.initial.get(floor_field))
    if chosen and str(chosen).isdigit():
        unit.queryset = unit.queryset.filter(floor_id=int(chosen))
        unit.error_messages["invalid_choice"] = _("This place is not on the chosen floor.")


class IntakeForm(SubmitOnceFormMixin, UserFormMixin, forms.Form):
    mall = forms.ModelChoiceField(queryset=None, label=_("mall"))
    channel = forms.ChoiceField(choices=Channel.choices, label=_("channel"), initial=Channel.DESK)
    source_case_number = forms.CharField(
        max_length=40,
        required=False,
        label=_("channel's case number"),
        help_text=_("The number 12315, the bureau or 12345 gave the case."),
    )
    member_lookup = forms.CharField(
        max_length=32,
        required=False,
        label=_("member card or mobile"),
        help_text=_("Links the member; their tier sets the SLA."),
    )
    complainant_name = forms.CharField(
        max_length=50,
        required=False,
        label=_("complainant"),
        help_text=_("Left empty: the member's name."),
    )
    complainant_phone = forms.CharField(max_length=20, required=False, label=_("phone"))
    member_tier = forms.ChoiceField(
        choices=[],
        required=False,
        label=_("member tier"),
        help_text=_("Only without a linked member; a tier above the base tier tightens the SLA."),
    )
    floor = forms.ModelChoiceField(queryset=None, required=False, label=_("floor"))
    unit = UnitChoiceField(queryset=None, required=False, label=_("shop / counter / area"))
    category = forms.ModelChoiceField(queryset=None, label=_("category"))
    severity = forms.ChoiceField(
        choices=Severity.choices, label=_("severity"), initial=Severity.NORMAL
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=_("what happened")
    )
    remedy_requested = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("remedy the customer asks for"),
    )
    attachment = forms.FileField(
        required=False,
        label=_("photo or PDF"),
        help_text=_("JPEG, PNG, WebP or PDF, at most 5 MB."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["floor"].queryset = floor_list(user=user).order_by("mall", "level")
        self.fields["floor"].label_from_instance = lambda obj: obj.code
        self.fields["unit"].queryset = unit_list(user=user).order_by(*UNIT_ORDER)
        floor_narrows_units(self)
        self.fields["category"].queryset = selectors.category_list(user=user).select_related("mall")
        # The tiers of the user's malls by code (the service checks the code
        # is one of the chosen mall's).
        tiers = {t.code: t.name for t in tier_list(user=user).order_by("mall", "rank")}
        self.fields["member_tier"].choices = [("", "—"), *tiers.items()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["member"] = None
        text = "".join(ch for ch in data.get("member_lookup") or "" if ch not in " -")
        if text:
            data["member"] = self._find_member(text, data.get("mall"))
        elif not (data.get("complainant_name") or "").strip():
            self.add_error("complainant_name", _("Enter the name or find the member."))
        return data

    def _find_member(self, text: str, mall: Any) -> Any:
        """The counter search of the members app, limited to a card number
        or a full mobile number (last four digits or a name could match
        several people) in the complaint's mall."""
        if not text.isdigit() or len(text) <= 4:
            self.add_error("member_lookup", _("Type a card number or the full mobile number."))
            return None
        if mall is None:
            return None
        found = list(member_search(user=self.user, query=text).filter(mall=mall)[:2])
        if len(found) != 1:
            self.add_error("member_lookup", _("No member with this card or mobile in this mall."))
            return None
        return found[0]


class AssignForm(BootstrapWidgetsMixin, forms.Form):
    handler_kind = forms.ChoiceField(choices=HandlerKind.choices, label=_("handler kind"))
    handler_department = forms.ChoiceField(
        choices=[("", "—"), *Department.choices], required=False, label=_("department")
    )
    handler_unit = UnitChoiceField(queryset=None, required=False, label=_("handling shop"))
    handler_name = forms.CharField(max_length=50, required=False, label=_("handler"))
    due_at = forms.DateTimeField(widget=DATETIME, label=_("due at"))

    def __init__(self, *args: Any, complaint: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler_unit"].queryset = (
            unit_list(user=user, mall=complaint.mall).filter(kind="shop").order_by(*UNIT_ORDER)
        )
        searchable(self.fields["handler_unit"])


class RespondForm(BootstrapWidgetsMixin, forms.Form):
    response = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("response"))


class VerifyForm(BootstrapWidgetsMixin, forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("note")
    )


class CallbackForm(BootstrapWidgetsMixin, forms.Form):
    satisfaction = forms.ChoiceField(
        choices=Satisfaction.choices, widget=forms.RadioSelect, label=_("satisfaction")
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("comment")
    )


class ReopenForm(BootstrapWidgetsMixin, forms.Form):
    reason = forms.CharField(max_length=500, label=_("reason"))
    due_at = forms.DateTimeField(widget=DATETIME, label=_("due at"))


class MergeForm(BootstrapWidgetsMixin, forms.Form):
    into = forms.CharField(max_length=24, label=_("duplicate of (reference number)"))


class NoteForm(SubmitOnceFormMixin, BootstrapWidgetsMixin, forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("text"))
    customer_facing = forms.BooleanField(
        required=False, label=_("this is what the customer was told")
    )


class StatusForm(BootstrapWidgetsMixin, forms.Form):
    status = forms.ModelChoiceField(queryset=None, label=_("status"))

    def __init__(self, *args: Any, complaint: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].queryset = selectors.status_list(
            user=user, mall_id=complaint.mall_id
        ).filter(category__in=[StatusCategory.OPEN, StatusCategory.PAUSED])


class CompensationForm(SubmitOnceFormMixin, BootstrapWidgetsMixin, forms.Form):
    kind = forms.ChoiceField(choices=Compensation.Kind.choices, label=_("kind"))
    amount = forms.DecimalField(
        min_value=0, max_digits=10, decimal_places=2, label=_("amount (yuan)")
    )
    note = forms.CharField(max_length=200, required=False, label=_("note"))


class AttachmentForm(BootstrapWidgetsMixin, forms.Form):
    file = forms.FileField(label=_("photo or PDF"))


class PhoneCallForm(SubmitOnceFormMixin, UserFormMixin, BootstrapWidgetsMixin, forms.Form):
    mall = forms.ModelChoiceField(queryset=None, label=_("mall"))
    direction = forms.ChoiceField(
        choices=PhoneCall.Direction.choices,
        initial=PhoneCall.Direction.INBOUND,
        label=_("direction"),
    )
    caller_name = forms.CharField(max_length=50, required=False, label=_("caller"))
    phone = forms.CharField(max_length=20, required=False, label=_("number"))
    topic = forms.ChoiceField(choices=PhoneCall.Topic.choices, label=_("topic"))
    # An entry says what the call was about (issue 25: an empty entry was
    # saved); the caller may stay anonymous.
    summary = forms.CharField(
        max_length=2000,
        label=_("what was said"),
        error_messages={"required": _("Write what the call was about.")},
    )
    outcome = forms.CharField(max_length=200, required=False, label=_("outcome"))
