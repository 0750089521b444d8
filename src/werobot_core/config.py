"""``Config``: the robot's settings, a ``dict`` as in WeRoBot.

Write into it as WeRoBot users do (``robot.config["APP_ID"] = ...``, ``from_object``,
``from_pyfile``); the robot reads it through :class:`~werobot_core.settings.Settings`. Every
change bumps ``version`` and then calls the watchers (``watch``): the robot's engine drops
what it derived from the config, and derives it again when next read.
"""

from __future__ import annotations

import types
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from werobot_core.settings import DEFAULTS

__all__ = ["DEFAULTS", "Config"]


class Config(dict[str, Any]):
    """A ``dict`` of settings that can also load them from an object or a Python file."""

    #: Bumped by every change, so readers know when to read the settings again.
    version = 0

    def watch(self, callback: Callable[[], None]) -> None:
        """Call ``callback``, a bound method, after every change. It is held weakly: it
        leaves the watchers when its object goes."""
        watchers = self.__dict__.setdefault("_watchers", [])
        watchers.append(weakref.WeakMethod(callback, watchers.remove))

    def _changed(self) -> None:
        self.version += 1  # first: a reader that derives meanwhile sees it (engine.Derived)
        for ref in list(self.__dict__.get("_watchers", ())):  # (a copy: others may watch)
            callback = ref()
            if callback is not None:
                callback()

    def __getstate__(self) -> dict[str, Any]:
        # a copy (copy, deepcopy, pickle) is nobody's config yet: no watchers
        return {k: v for k, v in self.__dict__.items() if k != "_watchers"}

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self._changed()

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._changed()

    def __ior__(self, other: Any) -> Config:  # type: ignore[override,misc]
        self.update(other)
        return self

    def update(self, *args: Any, **kwargs: Any) -> None:
        super().update(*args, **kwargs)
        self._changed()

    def setdefault(self, key: str, default: Any = None) -> Any:
        value = super().setdefault(key, default)
        self._changed()
        return value

    def pop(self, key: str, *default: Any) -> Any:
        value = super().pop(key, *default)
        self._changed()
        return value

    def popitem(self) -> tuple[str, Any]:
        item = super().popitem()
        self._changed()
        return item

    def clear(self) -> None:
        super().clear()
        self._changed()

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
