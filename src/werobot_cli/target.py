"""Find the robot a ``TARGET`` names: ``module:attr``, ``module``, ``path/to/file.py[:attr]``.

Without ``:attr`` the module must hold exactly one ``BaseRoBot`` instance (or one named
``robot``). A file is imported under its own name with its folder on ``sys.path`` (so its
sibling imports work); its ``if __name__ == "__main__":`` block does not run.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (imported when a robot is loaded: `werobot --help` needs none)
    from werobot_core.robot import BaseRoBot

__all__ = ["TargetError", "load_robot"]


class TargetError(Exception):
    """``target`` does not name a robot; ``reason`` says why and what to write instead."""

    def __init__(self, target: str, reason: str) -> None:
        super().__init__(f"{target}: {reason}")
        self.target = target
        self.reason = reason


def _split(target: str) -> tuple[str, str | None]:
    head, sep, attr = target.rpartition(":")
    # "C:\\bot.py" is a drive letter, not an attribute
    if not sep or not attr.isidentifier() or (len(head) == 1 and head.isalpha()):
        return target, None
    return head, attr


def _import_file(target: str, path: Path) -> ModuleType:
    if not path.is_file():
        raise TargetError(target, f"no such file: {path}")
    folder = str(path.resolve().parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    name = path.stem if path.stem.isidentifier() else "werobot_target"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise TargetError(target, f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _import(target: str, where: str) -> ModuleType:
    if where.endswith(".py") or "/" in where or "\\" in where:
        return _import_file(target, Path(where))
    if "" not in sys.path and "." not in sys.path:
        sys.path.insert(0, "")  # like `python -m`: the current folder is importable
    try:
        return importlib.import_module(where)
    except ModuleNotFoundError as exc:
        if exc.name != where.split(".")[0] and exc.name != where:
            raise
        reason = f"no module named {where!r}; give a file path or module:attr"
        raise TargetError(target, reason) from None


def _pick(target: str, module: ModuleType) -> BaseRoBot:
    from werobot_core.robot import BaseRoBot

    found = {k: v for k, v in vars(module).items() if isinstance(v, BaseRoBot)}
    if len(found) == 1:
        return next(iter(found.values()))
    if "robot" in found:
        return found["robot"]
    if not found:
        raise TargetError(target, "no WeRoBot instance in the module")
    names = ", ".join(sorted(found))
    raise TargetError(target, f"several robots ({names}); name one as {target}:NAME")


def load_robot(target: str) -> BaseRoBot:
    """Import ``target`` and return the robot it names; raises :class:`TargetError`."""
    from werobot_core.robot import BaseRoBot

    where, attr = _split(target)
    module = _import(target, where)
    if attr is None:
        return _pick(target, module)
    robot = getattr(module, attr, None)
    if not isinstance(robot, BaseRoBot):
        kind = "missing" if robot is None else f"a {type(robot).__name__}, not a WeRoBot"
        raise TargetError(target, f"{attr} is {kind}")
    return robot
