"""Sessions kept in this process's memory: for tests and single-process experiments."""

from __future__ import annotations

import threading
from typing import Any

from werobot_core.session import codec
from werobot_core.session.base import SessionStorage

__all__ = ["MemoryStorage"]


class MemoryStorage(SessionStorage):
    """Sessions in a ``dict`` of this process, lost when it exits.

    Values are stored as JSON text, like every other backend: a value JSON cannot hold
    fails at ``set``, and changing a ``dict`` returned by ``get`` changes nothing stored
    until it is ``set`` again.
    """

    def __init__(self) -> None:
        super().__init__()
        self._data: dict[str, str] = {}
        self._guard = threading.Lock()

    def get(self, id: str) -> Any:
        """The session of ``id``, or ``{}``."""
        with self._guard:
            text = self._data.get(id)
        return {} if text is None else codec.decode(text)

    def set(self, id: str, value: Any) -> None:
        """Replace the session of ``id``."""
        text = codec.encode(value)
        with self._guard:
            self._data[id] = text

    def delete(self, id: str) -> None:
        """Remove the session of ``id``, if any."""
        with self._guard:
            self._data.pop(id, None)
