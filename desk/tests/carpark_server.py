"""A local stand-in for the car-park system, started by a test: a real HTTP
server on a free port in a thread, speaking the JSON the HTTP adapter
sends, and checking its HMAC signature."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SECRET = "test-carpark-secret"


class CarParkHandler(BaseHTTPRequestHandler):
    server: Any

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        if self.path != "/api/validations" or not hmac.compare_digest(
            expected, self.headers.get("X-Signature", "")
        ):
            self._answer(401, {"ok": False, "message": "bad signature"})
            return
        payload = json.loads(body)
        self.server.received.append(payload)
        if self.server.refuse:
            self._answer(200, {"ok": False, "message": "车辆不在场"})
            return
        self._answer(200, {"ok": True, "ticket": f"CP{len(self.server.received):06d}"})

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def carpark_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), CarParkHandler)
    server.received = []
    server.refuse = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
