"""``Config``: the robot's settings, a ``dict`` as in WeRoBot, read when used."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

__all__ = ["DEFAULTS", "Config"]

#: Every key the SDK reads, with its default (SPEC §7).
DEFAULTS: dict[str, Any] = {
    "TOKEN": None,
    "SERVER": "auto",
    "HOST": "127.0.0.1",
    "PORT": "8888",
    "SESSION_STORAGE": None,
    "APP_ID": None,
    "APP_SECRET": None,
    "ENCODING_AES_KEY": None,
    "MAX_BODY_SIZE": 1024 * 1024,
    "TIMESTAMP_TOLERANCE": None,
    "DEDUP": True,
    "DEDUP_TTL": 30,
    "DEDUP_STORE": None,
    "REPLY_DEADLINE": 4.5,
    "DEADLINE_STRATEGY": "retry",
    "DEADLINE_WORKERS": 16,
    "WECHAT_TIMEOUT": 5.0,
}


class Config(dict[str, Any]):
    """A ``dict`` of settings that can also load them from an object or a Python file."""

    def from_object(self, obj: object) -> None:
        """Copy every UPPER-CASE attribute of ``obj`` (a module, class or instance)."""
        for key in dir(obj):
            if key.isupper():
                self[key] = getattr(obj, key)

    def from_pyfile(self, filename: str | Path) -> None:
        """Execute a Python file and copy its UPPER-CASE globals."""
        module = types.ModuleType("config")
        module.__file__ = str(filename)
        source = Path(filename).read_text(encoding="utf-8")
        exec(compile(source, str(filename), "exec"), module.__dict__)
        self.from_object(module)
