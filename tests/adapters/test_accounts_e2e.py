"""Two Official Accounts on one real server (gunicorn, uvicorn, tornado, Django).

Each account answers with its own crypto (plain and safe mode), its own sessions (the same
OpenID on both never shares one) and its own API client; a request signed with the other
account's Token is refused; an unknown account is 404.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from tests.adapters.accounts_apps import A, B
from tests.adapters.contract import decrypt, encrypted_post, fields, sign, signed, text_xml
from tests.adapters.test_adapter_e2e import _gunicorn, _send, _server

APP = "tests.adapters.accounts_apps"
SERVERS = [
    pytest.param(_gunicorn(f"{APP}:make_wsgi()"), "/wechat/{app_id}", id="gunicorn-wsgi"),
    pytest.param(_gunicorn(f"{APP}:make_django()"), "/wechat/{app_id}", id="gunicorn-django"),
    pytest.param(
        [
            *(sys.executable, "-m", "uvicorn", "--factory", f"{APP}:make_fastapi"),
            *("--host", "127.0.0.1", "--port", "{port}", "--log-level", "warning"),
        ],
        "/wechat/{app_id}",
        id="uvicorn-fastapi",
    ),
    pytest.param(
        [sys.executable, "-m", APP, "tornado", "{port}"], "/wechat/{app_id}", id="tornado"
    ),
]


def _answer_text(port: int, path: str, account: tuple[str, str, str, str], content: str) -> str:
    token = account[1]
    answer = _send(port, "POST", f"{path}?{urlencode(signed(token))}", text_xml(content))
    assert answer.status == 200, answer.body
    return fields(answer.body)["Content"]


def _encrypted_text(port: int, path: str, account: tuple[str, str, str, str], content: str) -> str:
    app_id, token, aes_key, _ = account
    query, body = encrypted_post(text_xml(content), token=token, app_id=app_id, aes_key=aes_key)
    answer = _send(port, "POST", f"{path}?{urlencode(query)}", body)
    assert answer.status == 200, answer.body
    envelope = fields(answer.body)
    parts = (token, envelope["TimeStamp"], envelope["Nonce"], envelope["Encrypt"])
    assert envelope["MsgSignature"] == sign(*parts)
    return fields(decrypt(envelope["Encrypt"], app_id, aes_key))["Content"]


@pytest.mark.parametrize(("command", "path"), SERVERS)
def test_two_accounts_on_one_server(command: list[str], path: str, tmp_path: Path) -> None:
    path_a, path_b = path.format(app_id=A[0]), path.format(app_id=B[0])
    with _server(command, tmp_path) as (port, _):
        # plain and safe mode, each account with its own session for the same OpenID
        assert _answer_text(port, path_a, A, "one") == f"{A[0]} {A[0]} #1: one"
        assert _encrypted_text(port, path_a, A, "two") == f"{A[0]} {A[0]} #2: two"
        assert _encrypted_text(port, path_b, B, "one") == f"{B[0]} {B[0]} #1: one"
        assert _answer_text(port, path_b, B, "two") == f"{B[0]} {B[0]} #2: two"
        assert _answer_text(port, path_a, A, "three") == f"{A[0]} {A[0]} #3: three"
        # B's Token does not open A's door, nor A's B's
        for target, other in ((path_a, B), (path_b, A)):
            bad = _send(port, "POST", f"{target}?{urlencode(signed(other[1]))}", text_xml("x"))
            assert bad.status == 403
        unknown = path.format(app_id="wxnobody")
        missing = _send(port, "POST", f"{unknown}?{urlencode(signed(A[1]))}", text_xml("x"))
        assert missing.status == 404
