"""One URL per card action (`cards/<pk>/lost/` …): a POST from the member
page's card table, one service, back to the member page. A refusal (a move
the card's state does not allow, a scanned card not in stock) is the page's
error message and changes nothing."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mallservice.views import ServiceActionView
from members import forms, selectors
from members.models import Card
from members.permissions import CHANGE_CARD
from members.services.cards import (
    card_confirm_entered,
    card_freeze,
    card_reissue,
    card_report_lost,
    card_unfreeze,
    card_void,
)


class CardActionView(ServiceActionView):
    permission_required = CHANGE_CARD

    def get_queryset(self):
        return selectors.card_list(user=self.request.user).exclude(member=None)

    def get_success_url(self) -> str:
        return reverse("members:detail", args=[self.object.member_id])


class CardEnterView(CardActionView):
    """录入系统."""

    success_message = gettext_lazy("The card is entered in the system.")

    def perform(self, obj: Card, data: dict[str, Any]) -> None:
        card_confirm_entered(actor=self.request.user, card=obj)


class CardLostView(CardActionView):
    """挂失: the next steps are 冻结, then 补卡."""

    success_message = gettext_lazy("The card is reported lost. Next: freeze it, then reissue.")

    def perform(self, obj: Card, data: dict[str, Any]) -> None:
        card_report_lost(actor=self.request.user, card=obj)


class CardFreezeView(CardActionView):
    success_message = gettext_lazy("The card is frozen.")

    def perform(self, obj: Card, data: dict[str, Any]) -> None:
        card_freeze(actor=self.request.user, card=obj)


class CardUnfreezeView(CardActionView):
    success_message = gettext_lazy("The card is active again.")

    def perform(self, obj: Card, data: dict[str, Any]) -> None:
        card_unfreeze(actor=self.request.user, card=obj)


class CardReissueView(CardActionView):
    """补卡: the new card handed over is scanned into the form (or the next
    in stock is taken)."""

    form_class = forms.CardReissueForm

    def perform(self, obj: Card, data: dict[str, Any]) -> str:
        card = card_reissue(actor=self.request.user, card=obj, number=data.get("number") or None)
        return _("New card %(number)s issued.") % {"number": card.number}


class CardVoidView(CardActionView):
    """A mis-issued card: its number is never used again."""

    success_message = gettext_lazy("The card is void.")

    def perform(self, obj: Card, data: dict[str, Any]) -> None:
        card_void(actor=self.request.user, card=obj)
