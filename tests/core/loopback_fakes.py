"""Real HTTP servers on loopback standing in for WeChat's API and for a model API.

- :class:`WeChatAPI`: grants tokens and records every customer-service call (messages and
  typing) with its arrival time; a robot reaches it through ``API_BASE_URL``.
- :class:`ModelAPI`: an OpenAI-compatible ``/v1/chat/completions`` that answers after a
  delay. A question ``"think <seconds>"`` is answered after that many seconds with
  ``"thought <seconds> s (<n> messages)"``; ``"essay"`` with :data:`ESSAY` after
  ``essay_delay`` seconds; anything else with ``"echo: <question> (<n> messages)"`` after
  ``delay`` seconds (``n``: messages received, system and history included).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: A 6,000-odd byte answer in paragraphs (each about 1,000 bytes of UTF-8).
ESSAY = "\n\n".join(f"第{i}段：" + "模型深度思考的结果，" * 33 + "完。" for i in range(6))


@dataclass(frozen=True)
class Call:
    path: str
    body: dict[str, Any]
    at: float

    @property
    def user(self) -> str:
        return str(self.body.get("touser", ""))

    @property
    def what(self) -> str:
        """The typing command, or the text sent."""
        if "command" in self.body:
            return str(self.body["command"])
        return str(self.body.get("text", {}).get("content", ""))


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class _Fake:
    def __init__(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake._answer(self, "GET", b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                fake._answer(self, "POST", self.rfile.read(length))

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, handler: BaseHTTPRequestHandler, method: str, body: bytes) -> None:
        status, payload = self.respond(method, handler.path.split("?")[0], body)
        data = json.dumps(payload, ensure_ascii=False).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def respond(self, method: str, path: str, body: bytes) -> tuple[int, Any]:
        raise NotImplementedError


class WeChatAPI(_Fake):
    """WeChat's API: tokens, customer-service messages and typing, recorded in order."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.errcode = 0
        self._lock = threading.Lock()
        super().__init__()

    def respond(self, method: str, path: str, body: bytes) -> tuple[int, Any]:
        if path in ("/cgi-bin/token", "/cgi-bin/stable_token"):
            return 200, {"access_token": "AT", "expires_in": 7200}
        with self._lock:
            self.calls.append(Call(path, json.loads(body or b"{}"), time.time()))
        return 200, {"errcode": self.errcode, "errmsg": "ok" if not self.errcode else "no"}

    def of(self, user: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.user == user]

    def texts(self, user: str) -> list[str]:
        return [c.what for c in self.of(user) if c.path == "/cgi-bin/message/custom/send"]

    def typing(self, user: str) -> list[Call]:
        return [c for c in self.of(user) if c.path == "/cgi-bin/message/custom/typing"]


class ModelAPI(_Fake):
    """An OpenAI-compatible chat endpoint that takes its time."""

    def __init__(self, delay: float = 0.0, essay_delay: float = 0.0) -> None:
        self.delay, self.essay_delay = delay, essay_delay
        self.requests: list[dict[str, Any]] = []
        self.keys: list[str] = []
        super().__init__()

    def _answer(self, handler: BaseHTTPRequestHandler, method: str, body: bytes) -> None:
        self.keys.append(handler.headers.get("Authorization", ""))
        super()._answer(handler, method, body)

    def respond(self, method: str, path: str, body: bytes) -> tuple[int, Any]:
        if path != "/v1/chat/completions":
            return 404, {"error": path}
        request = json.loads(body)
        self.requests.append(request)
        messages = request["messages"]
        question = str(messages[-1]["content"])
        if question.startswith("think "):
            seconds = float(question.split()[1])
            time.sleep(seconds)
            answer = f"thought {question.split()[1]} s ({len(messages)} messages)"
        elif question == "essay":
            time.sleep(self.essay_delay)
            answer = ESSAY
        else:
            time.sleep(self.delay)
            answer = f"echo: {question} ({len(messages)} messages)"
        return 200, {"choices": [{"index": 0, "message": {"role": "assistant", "content": answer}}]}
