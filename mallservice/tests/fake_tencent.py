"""A local Tencent Cloud SMS server for the tests: it speaks the API's JSON
(SendSms, PullSmsSendStatusByPhoneNumber, version 2021-01-11) on
127.0.0.1 and checks each request's TC3-HMAC-SHA256 signature itself, so
the real SDK is exercised end to end without the internet."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import threading
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SECRET_ID = "AKIDtest0000000000000000000000000000"
SECRET_KEY = "test-secret-key-0000000000000000"
APP_ID = "1400000001"
# A number that unsubscribed: Tencent refuses it for good.
BLACKLISTED = "+8613900000009"


def tc3_signature(
    *,
    secret_key: str,
    method: str,
    host: str,
    content_type: str,
    body: bytes,
    timestamp: str,
    service: str = "sms",
) -> str:
    """TC3-HMAC-SHA256 as Tencent documents it (our own code, not the SDK's)."""
    canonical = "\n".join(
        [
            method,
            "/",
            "",
            f"content-type:{content_type}\nhost:{host}\n",
            "content-type;host",
            hashlib.sha256(body).hexdigest(),
        ]
    )
    date = datetime.datetime.fromtimestamp(int(timestamp), datetime.UTC).strftime("%Y-%m-%d")
    scope = f"{date}/{service}/tc3_request"
    to_sign = "\n".join(
        ["TC3-HMAC-SHA256", timestamp, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = ("TC3" + secret_key).encode()
    for part in (date, service, "tc3_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


class FakeTencentSms:
    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.sent: list[dict[str, Any]] = []
        self.bad_signatures = 0
        # HTTP statuses to answer the next requests with, before any work.
        self.fail_next: list[int] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, payload = fake.handle(self.headers, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeTencentSms:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def accepted(self, session_context: str) -> int:
        return sum(1 for s in self.sent if s["SessionContext"] == session_context)

    @staticmethod
    def _error(code: str, message: str) -> tuple[int, dict[str, Any]]:
        return 200, {
            "Response": {
                "Error": {"Code": code, "Message": message},
                "RequestId": str(uuid.uuid4()),
            }
        }

    def _signed(self, headers: Any, body: bytes) -> bool:
        auth = headers.get("Authorization", "")
        prefix = f"TC3-HMAC-SHA256 Credential={SECRET_ID}/"
        if not auth.startswith(prefix) or "SignedHeaders=content-type;host" not in auth:
            return False
        expected = tc3_signature(
            secret_key=SECRET_KEY,
            method="POST",
            host=headers.get("Host", ""),
            content_type=headers.get("Content-Type", ""),
            body=body,
            timestamp=headers.get("X-TC-Timestamp", "0"),
        )
        return hmac.compare_digest(auth.rsplit("Signature=", 1)[-1], expected)

    def handle(self, headers: Any, body: bytes) -> tuple[int, dict[str, Any]]:
        action = headers.get("X-TC-Action", "")
        with self.lock:
            self.requests[action] += 1
            if self.fail_next:
                return self.fail_next.pop(0), {"message": "internal error"}
            if not self._signed(headers, body):
                self.bad_signatures += 1
                return self._error("AuthFailure.SignatureFailure", "signature mismatch")
            if headers.get("X-TC-Version") != "2021-01-11":
                return self._error("InvalidAction", "unknown version")
            params = json.loads(body or b"{}")
            if params.get("SmsSdkAppId") != APP_ID:
                return self._error("FailedOperation.SmsSdkAppIdVerifyFail", "wrong app")
            if action == "SendSms":
                return self._send(params)
            if action == "PullSmsSendStatusByPhoneNumber":
                return self._pull(params)
            return self._error("InvalidAction", action)

    def _send(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        statuses = []
        for phone in params.get("PhoneNumberSet", []):
            serial = f"2433:{uuid.uuid4().hex[:20]}"
            status = {
                "SerialNo": serial,
                "PhoneNumber": phone,
                "Fee": 1,
                "SessionContext": params.get("SessionContext", ""),
                "Code": "Ok",
                "Message": "send success",
                "IsoCode": "CN",
            }
            if phone == BLACKLISTED:
                status |= {
                    "SerialNo": "",
                    "Fee": 0,
                    "Code": "FailedOperation.PhoneNumberInBlacklist",
                    "Message": "phone number in blacklist",
                }
            elif not (phone.startswith("+861") and len(phone) == 14):
                status |= {
                    "SerialNo": "",
                    "Fee": 0,
                    "Code": "InvalidParameterValue.IncorrectPhoneNumber",
                    "Message": "incorrect phone number",
                }
            else:
                self.sent.append(
                    {
                        **params,
                        "SerialNo": serial,
                        "PhoneNumber": phone,
                        "at": datetime.datetime.now(datetime.UTC),
                    }
                )
            statuses.append(status)
        return 200, {"Response": {"SendStatusSet": statuses, "RequestId": str(uuid.uuid4())}}

    def _pull(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        begin = datetime.datetime.fromtimestamp(params["BeginTime"], datetime.UTC)
        reports = [
            {
                "UserReceiveTime": s["at"].strftime("%Y-%m-%d %H:%M:%S"),
                "CountryCode": "86",
                "SubscriberNumber": s["PhoneNumber"][3:],
                "PhoneNumber": s["PhoneNumber"],
                "SerialNo": s["SerialNo"],
                "ReportStatus": "SUCCESS",
                "Description": "DELIVRD",
                "SessionContext": s["SessionContext"],
            }
            for s in self.sent
            if s["PhoneNumber"] == params.get("PhoneNumber") and s["at"] >= begin
        ]
        return 200, {
            "Response": {
                "PullSmsSendStatusSet": reports[: params.get("Limit", 100)],
                "RequestId": str(uuid.uuid4()),
            }
        }
