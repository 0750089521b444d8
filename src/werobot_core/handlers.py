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
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar, get_args, overload

from typing_extensions import Self

if TYPE_CHECKING:
    from werobot_core.messages.base import WeChatMessage

__all__ = ["STRATEGIES", "HandlerTable", "Match", "On", "Register", "Strategy", "arity_of"]

M = TypeVar("M", bound="WeChatMessage", covariant=True)
T = TypeVar("T", bound="WeChatMessage")
R = TypeVar("R")
Strategy = Literal["retry", "push", "next_message"]
#: The reply-deadline strategies (DESIGN §5a).
STRATEGIES: tuple[Strategy, ...] = get_args(Strategy)
#: ``match(message)``: ``None`` to skip the handler, else a 1-tuple of its third argument.
Match = Callable[[Any], "tuple[object] | None"]


def arity_of(func: Callable[..., object]) -> int:
    """How many arguments a handler takes (each of ``*args``/``**kwargs`` counts one)."""
    return len(inspect.signature(func).parameters)


class HandlerTable(Protocol):
    """What a decorator registers into: a router, or a robot (which holds one)."""

    def add_handler(
        self,
        func: Callable[..., object],
        type: str = "all",
        *,
        deadline: float | None = None,
        strategy: str | None = None,
        match: Match | None = None,
    ) -> None: ...


class Register(Generic[M]):
    """A decorator bound to a handler table and a set of dispatch keys.

    Use it bare (``@robot.text``) or with options (``@robot.text(deadline=10,
    strategy="push")``). It returns the handler unchanged, so decorators stack.
    """

    def __init__(
        self,
        table: HandlerTable,
        keys: tuple[str, ...],
        deadline: float | None = None,
        strategy: str | None = None,
        match: Match | None = None,
    ) -> None:
        self._table = table
        self._keys = keys
        self._deadline = deadline
        self._strategy = strategy
        self._match = match

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
            return Register(self._table, self._keys, deadline, strategy, self._match)
        for key in self._keys:
            self._table.add_handler(
                func, type=key, deadline=self._deadline, strategy=self._strategy, match=self._match
            )
        return func


class On(Generic[M]):
    """Class attribute of the robot: ``robot.<name>`` is a :class:`Register` for a type.

    ``On("text")`` names the dispatch key only, so declaring the robot's decorators imports
    no model class (a fast cold start); :attr:`cls` finds the class when first asked.
    ``On(SomeMessage)`` takes the class itself; ``On()`` is every type (``"all"``).
    """

    def __init__(self, key: str | type[M] = "all") -> None:
        self._cls = None if isinstance(key, str) else key
        self.key = key if isinstance(key, str) else key.dispatch_key()

    @property
    def cls(self) -> type[M] | None:
        """The message class of this key (``None`` for ``"all"``)."""
        if self._cls is None and self.key != "all":
            from werobot_core.messages import DISPATCH_KEYS

            self._cls = DISPATCH_KEYS[self.key]  # type: ignore[assignment]
        return self._cls

    @overload
    def __get__(self, table: None, owner: type[Any]) -> On[M]: ...
    @overload
    def __get__(self, table: HandlerTable, owner: type[Any]) -> Register[M]: ...

    def __get__(self, table: HandlerTable | None, owner: type[Any]) -> On[M] | Register[M]:
        if table is None:
            return self
        return Register(table, (self.key,))
