"""The session storage contract every backend implements."""

from __future__ import annotations

import threading
from typing import Any

from werobot_core.exceptions import StorageUnavailable
from werobot_core.locks import KeyedLock

__all__ = ["KeyedLock", "SessionStorage"]


_LOCK_GUARD = threading.Lock()


class SessionStorage:
    """A store of one JSON-serialisable ``dict`` per user, keyed by the openid (``str``).

    ``get`` returns ``{}`` for an unknown id; ``delete`` of an unknown id is not an error.
    Any JSON value may be stored with ``set``; the robot stores a ``dict``. A subclass
    implements ``get``, ``set`` and ``delete`` (here they raise ``NotImplementedError``,
    as WeRoBot's did), and need not call ``super().__init__()``.
    A backend whose server cannot be reached raises
    :class:`~werobot_core.exceptions.StorageUnavailable`.

    ``lock(id)`` serialises the load-handle-save cycle of one user so that two concurrent
    requests from that user never lose an update. The default lock is per process; a
    backend shared by several processes overrides it with a lock held in the store.
    """

    def __init__(self) -> None:
        self._keyed_lock = KeyedLock()

    def get(self, id: str) -> Any:
        """The session of ``id``, or ``{}``."""
        raise NotImplementedError

    def set(self, id: str, value: Any) -> None:
        """Replace the session of ``id``."""
        raise NotImplementedError

    def delete(self, id: str) -> None:
        """Remove the session of ``id``, if any."""
        raise NotImplementedError

    def lock(self, id: str, timeout: float | None = None) -> Any:
        """A context manager holding the per-user lock of ``id``.

        Raises ``TimeoutError`` when the lock is not taken within ``timeout`` seconds.
        """
        try:
            keyed = self._keyed_lock
        except AttributeError:  # a subclass that did not call super().__init__()
            with _LOCK_GUARD:
                keyed = self.__dict__.setdefault("_keyed_lock", KeyedLock())
        return keyed.hold(id, timeout)

    def unavailable(self, cause: BaseException) -> StorageUnavailable:
        """The error to raise (``from cause``) when the store cannot be reached."""
        name = type(self).__name__
        return StorageUnavailable(f"session store {name} unavailable: {cause}", backend=name)

    def __getitem__(self, id: str) -> Any:
        return self.get(id)

    def __setitem__(self, id: str, value: Any) -> None:
        self.set(id, value)

    def __delitem__(self, id: str) -> None:
        self.delete(id)
