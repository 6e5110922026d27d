"""The e-invoice service the finance contact issues through (电子发票). No
provider is contracted yet: `settings.DESK_EINVOICE_ADAPTER` names the
adapter class, by default `ConsoleEInvoice`, which logs what it would do and
returns a local number. A real provider is one class with these two
methods; the services never know which one runs."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IssuedInvoice:
    number: str


class EInvoiceService(Protocol):
    def issue(self, *, request: Any) -> IssuedInvoice:
        """Issue the invoice of an invoice request; returns its number."""
        ...

    def send(self, *, request: Any) -> None:
        """E-mail the issued invoice to `request.email`."""
        ...


class ConsoleEInvoice:
    """Logs instead of issuing: the number is the request's reference."""

    def issue(self, *, request: Any) -> IssuedInvoice:
        logger.info(
            "e-invoice (console): would issue %s for %s, %s yuan",
            request.reference,
            request.title,
            request.amount,
        )
        return IssuedInvoice(number=f"LOCAL-{request.reference}")

    def send(self, *, request: Any) -> None:
        logger.info("e-invoice (console): would e-mail %s", request.reference)


def einvoice_service() -> EInvoiceService:
    return import_string(settings.DESK_EINVOICE_ADAPTER)()
