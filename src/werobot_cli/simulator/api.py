"""The simulator's JSON API: what the page asks for, answered by forwarding pushes to the robot.

``GET /api/config`` gives the page its settings and menu; ``POST /api/send`` with
``{"kind": "text", "args": ["hello"]}`` builds the push, signs (and encrypts) it, delivers it
to the robot and returns the whole exchange: the XML both ways, status, latency, the reply.
``POST /api/upload`` keeps a picture in memory and returns a URL the robot can fetch.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import httpx

from werobot_cli.describe import reply_data
from werobot_cli.pushes import KINDS, PushError, build_push, usage
from werobot_cli.wire import Account, Exchange, deliver

__all__ = ["ApiError", "Simulator", "exchange_json"]

#: Uploaded pictures kept (the oldest is dropped beyond this) and their size limit.
MAX_UPLOADS = 32
MAX_UPLOAD_SIZE = 5 * 1024 * 1024


class ApiError(Exception):
    """A call the page got wrong: ``status`` and ``message`` go back as JSON."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def exchange_json(exchange: Exchange) -> dict[str, Any]:
    """One exchange as the page shows it."""
    sent = exchange.sent.decode("utf-8", "replace")
    return {
        "request_xml": exchange.request_xml,
        "sent": sent if sent != exchange.request_xml else None,
        "status": exchange.status,
        "latency_ms": round(exchange.latency * 1000, 1),
        "body": exchange.body.decode("utf-8", "replace"),
        "reply_xml": exchange.reply_xml,
        "reply": None if exchange.reply is None else reply_data(exchange.reply),
        "encrypted_reply": exchange.encrypted_reply,
        "error": exchange.error,
        "notes": exchange.notes,
    }


@dataclass
class Simulator:
    """One simulated user talking to one robot through ``http``."""

    account: Account
    http: httpx.Client
    menu: dict[str, Any] | None = None
    user: str = "o_werobot_simulated_user"
    account_id: str = "gh_werobot_simulated"
    name: str = "WeRoBot"
    uploads: OrderedDict[str, tuple[str, bytes]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def config(self) -> dict[str, Any]:
        """What the page needs: names, mode, menu, and the kinds it may send."""
        mode = "plaintext"
        if self.account.safe_mode:
            mode = "compat" if self.account.compat else "safe"
        return {
            "name": self.name,
            "target": self.account.url,
            "mode": mode,
            "user": self.user,
            "account": self.account_id,
            "menu": self.menu,
            "kinds": {kind: usage(kind) for kind in KINDS},
        }

    def send(self, payload: Any) -> dict[str, Any]:
        """Deliver the push ``{"kind", "args"}`` to the robot; the exchange as JSON."""
        if not isinstance(payload, dict) or not isinstance(payload.get("kind"), str):
            raise ApiError(400, 'send {"kind": "text", "args": ["hello"]}')
        args = payload.get("args") or []
        if not isinstance(args, list) or not all(isinstance(a, (str, int, float)) for a in args):
            raise ApiError(400, "args must be a list of strings")
        kind = payload["kind"]
        if kind not in KINDS:
            raise ApiError(400, f"unknown kind {kind!r}")
        try:
            xml = build_push(kind, [str(a) for a in args], user=self.user, account=self.account_id)
        except PushError as exc:
            raise ApiError(400, str(exc)) from None
        request = self.account.request(xml, self.user)
        return exchange_json(deliver(self.http, self.account, request, xml))

    def upload(self, content_type: str, data: bytes) -> str:
        """Keep a picture; returns its id (served at ``/uploads/<id>``)."""
        if not content_type.startswith("image/"):
            raise ApiError(415, "upload an image")
        if len(data) > MAX_UPLOAD_SIZE:
            raise ApiError(413, f"images up to {MAX_UPLOAD_SIZE // 1024 // 1024} MB")
        upload_id = secrets.token_hex(8)
        with self._lock:
            self.uploads[upload_id] = (content_type, data)
            while len(self.uploads) > MAX_UPLOADS:
                self.uploads.popitem(last=False)
        return upload_id

    def uploaded(self, upload_id: str) -> tuple[str, bytes] | None:
        """The content type and bytes of an upload, if still kept."""
        with self._lock:
            return self.uploads.get(upload_id)
