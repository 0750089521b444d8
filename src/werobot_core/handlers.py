"""Handler registration: typed decorators, derived from the message classes.

``@robot.text`` is an :class:`On` descriptor built from ``TextMessage``; the dispatch key
comes from the class, so a decorator cannot disagree with the model it names. The
overloads make mypy reject a handler whose message annotation does not accept the
decorator's type (``@robot.image`` on ``def f(message: TextMessage)``), while keeping
stacked decorators valid: the returned callable's parameters are typed ``Any``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

from typing_extensions import Self

from werobot_core.messages.base import WeChatMessage

if TYPE_CHECKING:
    from werobot_core.robot import BaseRoBot

__all__ = ["STRATEGIES", "HandlerEntry", "On", "Register", "Strategy", "arity_of"]

M = TypeVar("M", bound=WeChatMessage, covariant=True)
T = TypeVar("T", bound=WeChatMessage)
R = TypeVar("R")

Strategy = Literal["retry", "push", "next_message"]
#: The reply-deadline strategies (DESIGN §5a).
STRATEGIES: tuple[str, ...] = ("retry", "push", "next_message")


def arity_of(func: Callable[..., object]) -> int:
    """How many arguments a handler takes (each of ``*args``/``**kwargs`` counts one)."""
    return len(inspect.signature(func).parameters)


class HandlerEntry(tuple[Callable[..., object], int]):
    """A registered handler: the ``(func, arity)`` pair WeRoBot kept, plus its options.

    It unpacks and compares as that pair (``robot.get_handlers("text") == [(f, 1)]``, as
    in WeRoBot); ``func``, ``arity``, ``deadline``, ``strategy`` and ``is_async`` are
    attributes.
    """

    func: Callable[..., object]
    arity: int
    deadline: float | None
    strategy: str | None
    is_async: bool

    def __new__(
        cls,
        func: Callable[..., object],
        arity: int,
        deadline: float | None = None,
        strategy: str | None = None,
        is_async: bool = False,
    ) -> Self:
        entry = super().__new__(cls, (func, arity))
        entry.func, entry.arity = func, arity
        entry.deadline, entry.strategy, entry.is_async = deadline, strategy, is_async
        return entry


class Register(Generic[M]):
    """A decorator bound to a robot and a set of dispatch keys.

    Use it bare (``@robot.text``) or with options (``@robot.text(deadline=10,
    strategy="push")``). It returns the handler unchanged, so decorators stack.
    """

    def __init__(
        self,
        robot: BaseRoBot,
        keys: tuple[str, ...],
        deadline: float | None = None,
        strategy: str | None = None,
    ) -> None:
        self._robot = robot
        self._keys = keys
        self._deadline = deadline
        self._strategy = strategy

    @overload
    def __call__(self: Register[T], func: Callable[[], R], /) -> Callable[[], R]: ...
    @overload
    def __call__(self: Register[T], func: Callable[[T], R], /) -> Callable[[Any], R]: ...
    @overload
    def __call__(self: Register[T], func: Callable[[T, Any], R], /) -> Callable[[Any, Any], R]: ...
    @overload
    def __call__(
        self: Register[T], func: Callable[[T, Any, Any], R], /
    ) -> Callable[[Any, Any, Any], R]: ...
    @overload
    def __call__(
        self, *, deadline: float | None = None, strategy: Strategy | None = None
    ) -> Self: ...

    def __call__(
        self,
        func: Callable[..., Any] | None = None,
        *,
        deadline: float | None = None,
        strategy: Any = None,
    ) -> Any:
        if func is None:
            return Register(self._robot, self._keys, deadline, strategy)
        for key in self._keys:
            self._robot.add_handler(
                func, type=key, deadline=self._deadline, strategy=self._strategy
            )
        return func


class On(Generic[M]):
    """Class attribute of the robot: ``robot.<name>`` is a :class:`Register` for ``cls``."""

    def __init__(self, cls: type[M] | None = None) -> None:
        self.cls = cls
        self.key = "all" if cls is None else cls.dispatch_key()

    @overload
    def __get__(self, robot: None, owner: type[Any]) -> On[M]: ...
    @overload
    def __get__(self, robot: BaseRoBot, owner: type[Any]) -> Register[M]: ...

    def __get__(self, robot: BaseRoBot | None, owner: type[Any]) -> On[M] | Register[M]:
        if robot is None:
            return self
        return Register(robot, (self.key,))
