"""WeRoBot's field descriptors (``werobot.messages.entries``), as read-only compatibility.

Messages here are pydantic models and do not use these. WeRoBot users' own classes that
declare ``content = StringEntry("Content")`` over a ``__dict__`` of XML values keep working.
"""

from __future__ import annotations

from typing import Any

__all__ = ["BaseEntry", "FloatEntry", "IntEntry", "StringEntry", "get_value"]


def get_value(instance: object, path: str, default: Any = None) -> Any:
    """The value at dotted ``path`` in ``instance.__dict__``; ``default`` when absent or empty."""
    value: Any = instance.__dict__
    for part in path.split("."):
        value = value.get(part)
        if value is None:
            return default
    return value or default


class BaseEntry:
    """A descriptor reading the XML value ``entry`` (a dotted path) of its instance."""

    def __init__(self, entry: str, default: Any = None) -> None:
        self.entry = entry
        self.default = default

    def value(self, instance: object) -> Any:
        """The raw value of this entry on ``instance``."""
        return get_value(instance, self.entry, self.default)


class IntEntry(BaseEntry):
    """The value as ``int`` (``None`` when absent)."""

    def __get__(self, instance: object, owner: type | None = None) -> int | None:
        value = self.value(instance)
        return None if value is None else int(value)


class FloatEntry(BaseEntry):
    """The value as ``float`` (``None`` when absent)."""

    def __get__(self, instance: object, owner: type | None = None) -> float | None:
        value = self.value(instance)
        return None if value is None else float(value)


class StringEntry(BaseEntry):
    """The value as ``str`` (bytes decoded as UTF-8; ``None`` when absent)."""

    def __get__(self, instance: object, owner: type | None = None) -> str | None:
        value = self.value(instance)
        if value is None:
            return None
        return value.decode("utf-8") if isinstance(value, bytes) else str(value)
