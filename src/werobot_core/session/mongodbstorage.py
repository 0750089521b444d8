"""Sessions in a MongoDB collection, through pymongo."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from werobot_core.exceptions import ConfigError
from werobot_core.session import codec
from werobot_core.session.base import SessionStorage

if TYPE_CHECKING:
    from pymongo.collection import Collection

__all__ = ["MongoDBStorage"]


class MongoDBStorage(SessionStorage):
    """Sessions as documents ``{"wechat_id": openid, "session": "<JSON text>"}``.

    WeRoBot 1.x wrote ``wechat_id`` as BSON binary (the openid's UTF-8 bytes): such a
    document is read when no ``str`` one exists, and the next ``set`` (or ``delete``) of
    that user removes it. An index on ``wechat_id`` is created on first use.

    The per-user lock is per process (the default of
    :class:`~werobot_core.session.base.SessionStorage`): several processes sharing one
    collection may lose an update when one user's messages reach two of them at once.

    :param collection: a ``pymongo`` collection (``pip install "werobot-sdk[mongodb]"``).
    """

    def __init__(self, collection: Collection[Any]) -> None:
        super().__init__()
        self._errors = _driver_errors()
        self.collection = collection
        self._indexed = False

    def get(self, id: str) -> Any:
        """The session of ``id`` (or of its WeRoBot 1.x document), or ``{}``."""
        keys = [id, codec.legacy_key(id)]
        with self._translate():
            docs = list(self.collection.find({"wechat_id": {"$in": keys}}))
        docs.sort(key=lambda doc: not isinstance(doc.get("wechat_id"), str))
        return codec.decode(docs[0]["session"]) if docs else {}

    def set(self, id: str, value: Any) -> None:
        """Replace the session of ``id`` and drop its WeRoBot 1.x document."""
        document = {"wechat_id": id, "session": codec.encode(value)}
        with self._translate():
            self.collection.replace_one({"wechat_id": id}, document, upsert=True)
            self.collection.delete_many({"wechat_id": codec.legacy_key(id)})

    def delete(self, id: str) -> None:
        """Remove the session of ``id`` (both documents), if any."""
        keys = [id, codec.legacy_key(id)]
        with self._translate():
            self.collection.delete_many({"wechat_id": {"$in": keys}})

    @contextmanager
    def _translate(self) -> Iterator[None]:
        try:
            if not self._indexed:
                self.collection.create_index("wechat_id")
                self._indexed = True
            yield
        except self._errors as exc:
            raise self.unavailable(exc) from exc


def _driver_errors() -> tuple[type[Exception], ...]:
    """pymongo's errors that mean the server cannot be reached."""
    try:
        from pymongo.errors import ConnectionFailure
    except ImportError as exc:  # pragma: no cover - pymongo is in the test environment
        raise ConfigError(
            'MongoDBStorage needs pymongo: pip install "werobot-sdk[mongodb]"'
        ) from exc
    return (ConnectionFailure,)
