"""The car-park system that grants the free hours (停车场系统). With
`settings.DESK_CARPARK_URL` set, `HttpCarPark` POSTs each validation as
JSON to `<url>/validations`, signed with HMAC-SHA256 of the body under
`DESK_CARPARK_SECRET` (header `X-Signature`, hex); the car park answers
`{"ok": true, "ticket": "...", "message": ""}`. Without a URL,
`ConsoleCarPark` logs the validation instead. The validation's reference
is sent with it: the car park treats a second send of the same reference
as the same validation."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Signature"


@dataclass(frozen=True)
class CarParkAnswer:
    ok: bool
    ticket: str = ""
    message: str = ""


class CarParkSystem(Protocol):
    def validate(self, *, mall: str, reference: str, plate: str, hours: int) -> CarParkAnswer:
        """Grant `hours` free hours to the car `plate` now parked in the mall."""
        ...


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class ConsoleCarPark:
    def validate(self, *, mall: str, reference: str, plate: str, hours: int) -> CarParkAnswer:
        logger.info("car park (console): %s %s %s h at %s", reference, plate, hours, mall)
        return CarParkAnswer(ok=True, ticket=f"LOCAL-{reference}", message="console")


class HttpCarPark:
    def __init__(self, *, base_url: str, secret: str, timeout: float) -> None:
        self.url = base_url.rstrip("/") + "/validations"
        self.secret = secret
        self.timeout = timeout

    def validate(self, *, mall: str, reference: str, plate: str, hours: int) -> CarParkAnswer:
        body = json.dumps(
            {"mall": mall, "reference": reference, "plate": plate, "hours": hours},
            ensure_ascii=False,
        ).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                SIGNATURE_HEADER: sign(self.secret, body),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as exc:
            logger.warning("car park refused %s: HTTP %s", reference, exc.code)
            return CarParkAnswer(ok=False, message=f"HTTP {exc.code}")
        except (OSError, ValueError) as exc:
            # Unreachable, timed out, or not JSON: the desk may send it again.
            logger.warning("car park unreachable for %s: %s", reference, exc)
            return CarParkAnswer(ok=False, message="unreachable")
        return CarParkAnswer(
            ok=bool(answer.get("ok")),
            ticket=str(answer.get("ticket", ""))[:40],
            message=str(answer.get("message", ""))[:200],
        )


def carpark_system() -> CarParkSystem:
    if settings.DESK_CARPARK_URL:
        return HttpCarPark(
            base_url=settings.DESK_CARPARK_URL,
            secret=settings.DESK_CARPARK_SECRET,
            timeout=settings.DESK_CARPARK_TIMEOUT,
        )
    return ConsoleCarPark()
