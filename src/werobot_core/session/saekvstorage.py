"""``SaeKVDBStorage``: sessions in Sina App Engine's KVDB (WeRoBot's module, kept importable).

SAE's classic runtime, the only place ``sae.kvdb`` exists, is retired; the class works where
that module can still be imported and otherwise raises ``RuntimeError`` when built, as
WeRoBot's did off SAE. Any other backend is a one-line change (see the migration page).
"""

from __future__ import annotations

import importlib
from typing import Any

from werobot_core.session import codec
from werobot_core.session.base import SessionStorage

__all__ = ["SaeKVDBStorage"]


class SaeKVDBStorage(SessionStorage):
    """Sessions in SAE KVDB under ``prefix + openid``, as JSON text."""

    def __init__(self, prefix: str = "ws_") -> None:
        try:
            kvdb = importlib.import_module("sae.kvdb")
        except ImportError as exc:
            raise RuntimeError("SaeKVDBStorage needs SAE's sae.kvdb (retired platform)") from exc
        super().__init__()
        self.kv = kvdb.KVClient()
        self.prefix = prefix

    def key_name(self, id: str) -> str:
        """The KVDB key of ``id``."""
        return self.prefix + id

    def get(self, id: str) -> Any:
        text = self.kv.get(self.key_name(id))
        return {} if text is None else codec.decode(text)

    def set(self, id: str, value: Any) -> None:
        self.kv.set(self.key_name(id), codec.encode(value))

    def delete(self, id: str) -> None:
        self.kv.delete(self.key_name(id))
