"""A local WeCom (企业微信) server for the tests: `gettoken` checks the corp
id and secret, `message/send` checks the token and the agent, knows its
users, honours the documented duplicate check, and can expire its tokens."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

CORP_ID = "ww0000000000000001"
SECRET = "wecom-app-secret"
AGENT_ID = 1000002


class FakeWeCom:
    def __init__(self, users: set[str]) -> None:
        self.users = users
        self.requests: Counter[str] = Counter()
        self.tokens: dict[str, bool] = {}  # token -> still valid
        self.delivered: list[dict[str, Any]] = []
        self.fail_next: list[int] = []
        self._recent: dict[tuple[str, str], float] = {}
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._answer(*fake.handle("GET", self.path, b""))

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self._answer(*fake.handle("POST", self.path, body))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeWeCom:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def expire_tokens(self) -> None:
        self.tokens = dict.fromkeys(self.tokens, False)

    def handle(self, method: str, path: str, body: bytes) -> tuple[int, dict[str, Any]]:
        url = urlparse(path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        name = url.path.removeprefix("/cgi-bin/")
        with self.lock:
            self.requests[name] += 1
            if self.fail_next:
                return self.fail_next.pop(0), {}
            if name == "gettoken" and method == "GET":
                return 200, self._gettoken(query)
            if name == "message/send" and method == "POST":
                return 200, self._send(query, json.loads(body))
            return 404, {}

    def _gettoken(self, query: dict[str, str]) -> dict[str, Any]:
        if query.get("corpid") != CORP_ID:
            return {"errcode": 40013, "errmsg": "invalid corpid"}
        if query.get("corpsecret") != SECRET:
            return {"errcode": 40001, "errmsg": "invalid credential"}
        token = uuid.uuid4().hex
        self.tokens[token] = True
        return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}

    def _send(self, query: dict[str, str], payload: dict[str, Any]) -> dict[str, Any]:
        token = query.get("access_token", "")
        if token not in self.tokens:
            return {"errcode": 40014, "errmsg": "invalid access_token"}
        if not self.tokens[token]:
            return {"errcode": 42001, "errmsg": "access_token expired"}
        if payload.get("agentid") != AGENT_ID:
            return {"errcode": 40056, "errmsg": "invalid agentid"}
        users = payload.get("touser", "").split("|")
        unknown = [u for u in users if u not in self.users]
        if len(unknown) == len(users):
            return {"errcode": 81013, "errmsg": "user & party & tag all invalid"}
        content = json.dumps(payload.get(payload.get("msgtype", "")), sort_keys=True)
        msgid = uuid.uuid4().hex
        for user in users:
            if user in unknown:
                continue
            key = (user, content)
            # Duplicate check: the same content to the same user within the
            # interval is accepted and not delivered again.
            window = payload.get("duplicate_check_interval", 1800)
            if (
                payload.get("enable_duplicate_check")
                and time.time() - self._recent.get(key, -1e9) < window
            ):
                continue
            self._recent[key] = time.time()
            self.delivered.append({"touser": user, "msgid": msgid, **payload})
        return {"errcode": 0, "errmsg": "ok", "invaliduser": "|".join(unknown), "msgid": msgid}
