"""examples/ai_chat.py's robot as gunicorn serves it in test_slow_handlers_e2e.py: the WSGI
app records, in Redis under ``E2E_PID_KEY``, the PID of the worker that took each push (the
test kills that worker)."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from typing import Any

import redis

from werobot_core.robot import WeRoBot


def make_wsgi() -> Any:
    """``robot.wsgi`` of examples/ai_chat.py, recording the PID of each POST's worker."""
    robot: WeRoBot = importlib.import_module("examples.ai_chat").robot
    app = robot.wsgi
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    key = os.environ["E2E_PID_KEY"]

    def recorded(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "POST":
            client.set(key, os.getpid())
        return app(environ, start_response)

    return recorded
