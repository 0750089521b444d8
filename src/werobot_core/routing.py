"""``Router``: the handler table, and nothing else (DESIGN §5b).

A router maps dispatch keys (``"text"``, ``"subscribe_event"``, ``"all"``) to
:class:`HandlerEntry` lists, in registration order; it knows no config and does no I/O.
Filters and menu-key clicks are entries with a ``match``; error hooks live here too.
``include_router(other)`` serves another router's handlers after this one's, as aiogram
does, so a large robot can be split into modules::

    greetings = Router()

    @greetings.text
    def hello(message):
        return "hi"

    robot.include_router(greetings)
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from typing_extensions import Self

from werobot_core.decorators import HandlerDecorators
from werobot_core.handlers import STRATEGIES, Match, On, Register, Strategy, arity_of
from werobot_core.pages import default_error_page

if TYPE_CHECKING:
    from werobot_core.messages import ClickEvent, TextMessage, WeChatMessage

__all__ = ["HANDLER_TYPES", "ErrorHook", "HandlerEntry", "Match", "Router"]

F = TypeVar("F", bound=Callable[..., Any])
#: ``hook(exc, message)``: a non-empty result answers the user (as a handler's would).
ErrorHook = Callable[[BaseException, "WeChatMessage"], object]

#: Every ``add_handler(type=...)`` key: the dispatch keys plus ``"all"`` (read off the
#: decorators, so that registering a handler imports no model class).
HANDLER_TYPES: frozenset[str] = frozenset(
    on.key for on in vars(HandlerDecorators).values() if isinstance(on, On)
)
_NO_ARGUMENT: tuple[object] = (None,)


class HandlerEntry(tuple[Callable[..., object], int]):
    """A registered handler: the ``(func, arity)`` pair WeRoBot kept, plus its options.

    It unpacks and compares as that pair (``robot.get_handlers("text") == [(f, 1)]``, as
    in WeRoBot); ``func``, ``arity``, ``deadline``, ``strategy``, ``is_async`` and
    ``match`` (``None``: every message of its type) are attributes.
    """

    func: Callable[..., object]
    arity: int
    deadline: float | None
    strategy: Strategy | None
    is_async: bool
    match: Match | None

    def __new__(
        cls,
        func: Callable[..., object],
        arity: int,
        deadline: float | None = None,
        strategy: Strategy | None = None,
        is_async: bool = False,
        match: Match | None = None,
    ) -> Self:
        entry = super().__new__(cls, (func, arity))
        entry.func, entry.arity, entry.match = func, arity, match
        entry.deadline, entry.strategy, entry.is_async = deadline, strategy, is_async
        return entry

    @property
    def has_options(self) -> bool:
        """Whether the entry overrides the deadline or the strategy."""
        return self.deadline is not None or self.strategy is not None


#: What ``Router.handlers_of`` gives: the entries, whether any is async, and the entries'
#: functions when each takes the message alone and every message of its type (else ``None``).
Handlers = tuple[list[HandlerEntry], bool, "tuple[Callable[..., object], ...] | None"]


class Router(HandlerDecorators):
    """Handlers by dispatch key, filters, key clicks and error hooks; no config, no I/O.

    The decorators are the robot's (``router.text``, ``router.subscribe``, ``router.filter``
    ...). ``get_handlers(type)`` gives the entries for ``type`` in dispatch order: this
    router's and its included routers' type-specific handlers, then their ``"all"`` ones.
    """

    def __init__(self) -> None:
        self._handlers: dict[str, list[HandlerEntry]] = {}
        self._cache: dict[str, list[HandlerEntry]] = {}
        self._by_class: dict[type[WeChatMessage], Handlers] = {}
        self._included: list[Router] = []
        self._parents: list[Router] = []
        self._error_hooks: list[ErrorHook] = []
        #: Whether any handler overrides the deadline or the strategy.
        self.has_handler_options = False
        #: Whether any handler asks for the ``next_message`` strategy.
        self.uses_next_message = False
        self._error_page: Callable[[str], str] = default_error_page

    # -- registration ---------------------------------------------------------------------

    def add_handler(
        self,
        func: Callable[..., object],
        type: str = "all",
        *,
        deadline: float | None = None,
        strategy: str | None = None,
        match: Match | None = None,
    ) -> None:
        """Register ``func`` for the dispatch key ``type`` (``"all"``: every message)."""
        if not callable(func):
            raise ValueError(f"{func} is not callable")
        if type not in HANDLER_TYPES:
            valid = ", ".join(sorted(HANDLER_TYPES))
            raise ValueError(f"unknown handler type {type!r}; valid types: {valid}")
        if strategy is not None and strategy not in STRATEGIES:
            raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}")
        is_async = inspect.iscoroutinefunction(func)
        entry = HandlerEntry(func, arity_of(func), deadline, strategy, is_async, match)
        self._handlers.setdefault(type, []).append(entry)
        self._changed()

    def include_router(self, router: Router) -> Router:
        """Serve ``router``'s handlers and error hooks after this router's; returns it."""
        if router is self or router in self._ancestors():
            raise ValueError("a router cannot include itself")
        self._included.append(router)
        router._parents.append(self)
        self._changed()
        return router

    def key_click(self, key: str) -> Register[ClickEvent]:
        """``@robot.key_click("KEY")``: handle taps on the click menu item ``KEY``."""
        return Register(self, ("click_event",), match=_key_match(key))

    def filter(self, *rules: str | re.Pattern[str]) -> Callable[[F], F]:
        """``@robot.filter("a", re.compile("b.*"))``: text handlers matched by content.

        A string matches the whole content; a compiled regex is matched at the start and
        its match object is passed to a three-argument handler.
        """
        for rule in rules:
            _check_rule(rule)

        def wrap(func: F) -> F:
            self.add_filter(func, list(rules))
            return func

        return wrap

    def add_filter(self, func: Callable[..., object], rules: list[str | re.Pattern[str]]) -> None:
        """Register ``func`` as a text handler for each rule, in order.

        ``ValueError`` when ``func`` is not callable or ``rules`` not a list, ``TypeError``
        for a rule that is neither a string nor a compiled regex (WeRoBot's messages).
        """
        if not callable(func):
            raise ValueError(f"{func} is not callable")
        if not isinstance(rules, list):
            raise ValueError(f"{rules} is not list")
        for rule in rules:
            _check_rule(rule)
        for rule in rules:
            self.add_handler(func, type="text", match=_content_match(rule))

    def error_handler(self, func: ErrorHook) -> ErrorHook:
        """``@robot.error_handler``: ``func(exc, message)`` runs when a handler raises.

        A hook's non-empty result (anything a handler may return) answers the user, e.g.
        ``"sorry, try again"``; the first non-empty result wins.
        """
        self._error_hooks.append(func)
        self._changed()
        return func

    def error_page(self, func: Callable[[str], str]) -> Callable[[str], str]:
        """``@robot.error_page``: ``func(url) -> html`` renders the 403 page."""
        self._error_page = func
        return func

    def render_error_page(self, url: str) -> str:
        """The HTML of the signature error page for ``url``."""
        return self._error_page(url)

    # -- reading ----------------------------------------------------------------------------

    def get_handlers(self, type: str) -> list[HandlerEntry]:
        """The handlers for ``type`` in dispatch order, then the ``"all"`` handlers.

        Each entry is a ``(func, arity)`` pair, as in WeRoBot (see ``HandlerEntry``).
        """
        entries = self._cache.get(type)
        if entries is None:
            entries = self._collect(type) + (self._collect("all") if type != "all" else [])
            self._cache[type] = entries
        return entries

    def handlers_of(self, message: WeChatMessage) -> Handlers:
        """``get_handlers`` of ``message``'s dispatch key, as :data:`Handlers` (looked up by
        the message's class: the dispatcher's per-request call)."""
        cls = type(message)  # (message.__class__ goes through pydantic's __getattr__ hook)
        found = self._by_class.get(cls)
        if found is None:
            entries = self.get_handlers(message.dispatch_key())
            plain = all(e.match is None and e.arity == 1 and not e.is_async for e in entries)
            funcs = tuple(entry.func for entry in entries) if plain else None
            found = (entries, any(entry.is_async for entry in entries), funcs)
            self._by_class[cls] = found
        return found

    @property
    def error_hooks(self) -> list[ErrorHook]:
        """This router's error hooks, then its included routers'."""
        return [*self._error_hooks, *(h for r in self._included for h in r.error_hooks)]

    @property
    def message_types(self) -> list[str]:
        """Every dispatch key a handler may be registered for (WeRoBot's list, extended)."""
        return sorted(HANDLER_TYPES - {"all"})

    def entries(self) -> list[HandlerEntry]:
        """Every entry of this router and its included ones."""
        own = [entry for entries in self._handlers.values() for entry in entries]
        return own + [entry for router in self._included for entry in router.entries()]

    def _collect(self, type: str) -> list[HandlerEntry]:
        found = list(self._handlers.get(type, ()))
        for router in self._included:
            found += router._collect(type)
        return found

    def _ancestors(self) -> list[Router]:
        return [a for parent in self._parents for a in (parent, *parent._ancestors())]

    def _changed(self) -> None:
        self._cache.clear()
        self._by_class.clear()
        entries = self.entries()
        self.has_handler_options = any(entry.has_options for entry in entries)
        self.uses_next_message = any(entry.strategy == "next_message" for entry in entries)
        for parent in self._parents:
            parent._changed()


def _check_rule(rule: object) -> None:
    if not isinstance(rule, (str, re.Pattern)):
        raise TypeError(f"{rule} is not a valid rule")


def _content_match(rule: str | re.Pattern[str]) -> Match:
    """The ``match`` of a filter rule: the whole content, or a regex at its start."""
    if isinstance(rule, str):

        def equal(message: TextMessage) -> tuple[object] | None:
            return _NO_ARGUMENT if message.content == rule else None

        return equal

    def search(message: TextMessage) -> tuple[object] | None:
        found = rule.match(message.content)
        return None if found is None else (found,)

    return search


def _key_match(key: str) -> Match:
    def clicked(message: ClickEvent) -> tuple[object] | None:
        return _NO_ARGUMENT if message.key == key else None

    return clicked
