"""Sessions in a ``dbm`` file of the standard library."""

from __future__ import annotations

import dbm
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from werobot_core.session import codec
from werobot_core.session.base import SessionStorage

__all__ = ["FileStorage"]


class FileStorage(SessionStorage):
    """Sessions in a ``dbm`` database (``dbm.gnu``, ``dbm.ndbm`` or ``dbm.dumb``).

    Keys are the openid encoded as UTF-8, which is also what WeRoBot 1.x's bytes keys
    were, so its files are read as they are. The file is opened on first use and kept
    open; a lock lets threads share it. Only one process may use the file at a time.

    :param filename: the database file (some ``dbm`` flavours add a suffix).
    """

    def __init__(self, filename: str | Path = "werobot_session") -> None:
        super().__init__()
        self.filename = str(filename)
        self._db: Any = None
        self._guard = threading.Lock()

    def get(self, id: str) -> Any:
        """The session of ``id``, or ``{}``."""
        with self._open() as db:
            text = db.get(codec.legacy_key(id))
        return {} if text is None else codec.decode(text)

    def set(self, id: str, value: Any) -> None:
        """Replace the session of ``id``."""
        text = codec.encode(value).encode("utf-8")
        with self._open() as db:
            db[codec.legacy_key(id)] = text

    def delete(self, id: str) -> None:
        """Remove the session of ``id``, if any."""
        with self._open() as db:
            key = codec.legacy_key(id)
            if key in db:
                del db[key]

    def close(self) -> None:
        """Close the file; the next use opens it again."""
        with self._guard:
            if self._db is not None:
                self._db.close()
                self._db = None

    @contextmanager
    def _open(self) -> Iterator[Any]:
        with self._guard:
            if self._db is None:
                try:
                    self._db = dbm.open(self.filename, "c")  # noqa: SIM115 - kept open, see close()
                except dbm.error as exc:  # e.g. held by another process
                    raise self.unavailable(exc) from exc
            yield self._db
