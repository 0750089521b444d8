"""A sync handler raising ``SystemExit`` (or any ``BaseException`` but ``KeyboardInterrupt``)
is a handler error: the real server answers 200 empty and keeps serving (issue 10 §2.3).

Under uvicorn the handler runs in a worker thread of ``handle_async``; under a threaded WSGI
server (``robot.run()``, SERVER ``auto``) in the request's thread through ``handle``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from tests.adapters.contract import assert_reply, signed, text_xml
from tests.adapters.test_adapter_e2e import _send, _server

PY = sys.executable
APP = "tests.adapters.fault_apps"
UVICORN = [PY, "-m", "uvicorn", "--factory", f"{APP}:make_asgi", "--host", "127.0.0.1"]
SERVERS = [
    pytest.param([*UVICORN, "--port", "{port}", "--log-level", "warning"], id="uvicorn-asgi"),
    pytest.param([PY, "-m", APP, "{port}"], id="threaded-wsgi"),
]


@pytest.mark.parametrize("command", SERVERS)
def test_system_exit_in_a_sync_handler_does_not_stop_the_server(
    command: list[str], tmp_path: Path
) -> None:
    with _server(command, tmp_path) as (port, process):
        for fatal in ("exit", "base", "exit"):
            answer = _send(port, "POST", f"/?{urlencode(signed())}", text_xml(fatal))
            assert (answer.status, answer.body) == (200, b"")
            assert process.poll() is None, "the server died"
            after = _send(port, "POST", f"/?{urlencode(signed())}", text_xml("still here"))
            assert_reply(after, "echo: still here")
    log = (tmp_path / "stderr.log").read_text(errors="replace")
    assert "handler failed for text message" in log
    assert "SystemExit: 3" in log
