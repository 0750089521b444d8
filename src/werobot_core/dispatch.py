"""Running the handlers of a message, with its session loaded once and saved once.

Takes a :class:`~werobot_core.routing.Router` (which handlers, which error hooks) and an
:class:`~werobot_core.engine.Engine` (the session storage, the pool, the logger). The sync
and async drivers share everything but how a handler is called.
"""

from __future__ import annotations

import contextlib
import inspect
import sys
from collections.abc import Callable, Coroutine, Sequence
from types import CoroutineType
from typing import Any, TypeVar

from werobot_core.engine import CURRENT_ENGINE, Engine
from werobot_core.messages import WeChatMessage
from werobot_core.replies import WeChatReply, process_function_reply
from werobot_core.routing import HandlerEntry, Router
from werobot_core.session.base import SessionStorage
from werobot_core.xmlcodec import render_text_reply

__all__ = [
    "SyncInLoopError",
    "contained",
    "get_reply",
    "get_reply_async",
    "get_reply_with",
    "lock_timeout",
    "report_error",
    "run_handlers",
]

Session = Any
T = TypeVar("T")
#: Turns a handler's non-empty result into the answer (a reply model, or wire bytes).
Convert = Callable[[object, WeChatMessage], T]


class SyncInLoopError(RuntimeError):
    """``handle`` (sync) was called inside a running event loop with an async handler."""


def contained(exc: BaseException) -> bool:
    """Whether a handler's exception is reported as a handler error rather than raised.

    Everything is, ``SystemExit`` included (a handler must not stop the server), except
    ``KeyboardInterrupt`` and the cancellation of the running task.
    """
    if isinstance(exc, KeyboardInterrupt):
        return False
    # A CancelledError exists only once asyncio is imported, which a sync robot never does
    asyncio = sys.modules.get("asyncio")
    return asyncio is None or not isinstance(exc, asyncio.CancelledError)


def report_error(
    router: Router, engine: Engine, exc: BaseException, message: WeChatMessage
) -> object:
    """Log a handler's exception and run the error hooks; the first non-empty result.

    A hook that raises is logged and skipped.
    """
    engine.logger.error("handler failed for %s message", message.type, exc_info=exc)
    for hook in router.error_hooks:
        try:
            result = hook(exc, message)
        except Exception:
            engine.logger.exception("error_handler %r failed", hook)
            continue
        if result:
            return result
    return None


def _arguments(entry: HandlerEntry, message: WeChatMessage, session: Session) -> tuple[Any, ...]:
    """The arguments of ``entry`` for ``message``; ``_SKIP`` when its ``match`` (a filter,
    a key click) does not match."""
    if entry.match is None:
        return (message, session, None)[: entry.arity]
    found = entry.match(message)
    if found is None:
        return _SKIP
    return (message, session, found[0])[: entry.arity]


#: The arguments of a handler whose ``match`` failed (compared by identity).
_SKIP: tuple[Any, ...] = (object(),)


def _await_in_sync(result: Coroutine[Any, Any, object]) -> object:
    import asyncio

    return asyncio.run(result)


def run_handlers(
    entries: Sequence[HandlerEntry],
    message: WeChatMessage,
    session: Session,
    convert: Convert[T],
) -> T | None:
    """Call handlers in order; the first non-empty result, converted, is the answer."""
    for entry in entries:
        if entry.match is None:
            arity = entry.arity  # one argument, the common case, without a tuple and a slice
            if arity == 1:
                result = entry.func(message)
            else:
                result = entry.func(*(message, session, None)[:arity])
        else:
            args = _arguments(entry, message, session)
            if args is _SKIP:
                continue
            result = entry.func(*args)
        if isinstance(result, CoroutineType):
            result = _await_in_sync(result)
        if result:
            return convert(result, message)
    return None


def _check_sync_use() -> None:
    """Refuse to run async handlers from ``handle`` inside a running event loop."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise SyncInLoopError("use handle_async inside an event loop")


def get_reply(router: Router, engine: Engine, message: WeChatMessage) -> WeChatReply | None:
    """The reply model for ``message`` (see :func:`get_reply_with`)."""
    return get_reply_with(router, engine, message, process_function_reply)


def get_reply_with(
    router: Router, engine: Engine, message: WeChatMessage, convert: Convert[T]
) -> T | None:
    """The answer to ``message``: the first non-empty handler result, through ``convert``.

    A handler's exception (any but ``KeyboardInterrupt``) is reported; the error hooks'
    first non-empty result answers instead, else ``None``. So is a session the handler
    filled with a value JSON cannot hold.

    The session is loaded and saved under the user's lock; a handler that raises
    leaves the stored session untouched. ``StorageUnavailable`` propagates.
    """
    entries, any_async, _ = router.handlers_of(message)
    if any_async:
        _check_sync_use()
    storage = engine.session_storage
    # An account's handlers see its robot.client; a robot of its own needs nothing set.
    token = None if engine.parent is None else CURRENT_ENGINE.set(engine)
    try:
        if storage is not None:
            return _with_session(router, engine, storage, entries, message, convert)
        try:
            return run_handlers(entries, message, None, convert)
        except BaseException as exc:
            return _failed(router, engine, exc, message, convert)
    finally:
        if token is not None:
            CURRENT_ENGINE.reset(token)


def answer(router: Router, engine: Engine, message: WeChatMessage) -> bytes | None:
    """``get_reply_with(router, engine, message, engine.outcome_of)``: the wire bytes of the
    answer. Handlers that take the message alone, of a robot of its own without sessions,
    are called here, and a ``str`` answer rendered here (~3k instructions less a push)."""
    _, _, funcs = router.handlers_of(message)
    if funcs is None or engine.parent is not None or engine.session_storage is not None:
        return get_reply_with(router, engine, message, engine.outcome_of)
    try:
        for func in funcs:
            result = func(message)
            if result:
                if type(result) is str:  # (its fields read from the instance dict: cheaper)
                    values = message.__dict__
                    return render_text_reply(
                        values["source"], values["target"], engine.clock(), result
                    )
                if isinstance(result, CoroutineType):  # a def that returns a coroutine
                    result = _await_in_sync(result)
                    if not result:
                        continue
                return engine.outcome_of(result, message)
    except BaseException as exc:
        return _failed(router, engine, exc, message, engine.outcome_of)
    return None


def _with_session(
    router: Router,
    engine: Engine,
    storage: SessionStorage,
    entries: Sequence[HandlerEntry],
    message: WeChatMessage,
    convert: Convert[T],
) -> T | None:
    user = engine.user_key(message)
    try:
        with storage.lock(user, lock_timeout(engine)):
            session = storage.get(user)
            try:
                reply = run_handlers(entries, message, session, convert)
            except BaseException as exc:
                return _failed(router, engine, exc, message, convert)
            error = _save(storage, user, session)
            if error is not None:
                return _failed(router, engine, error, message, convert)
    except TimeoutError as exc:
        engine.logger.error("message not handled: %s", exc)
        return None
    return reply


def _failed(
    router: Router, engine: Engine, exc: BaseException, message: WeChatMessage, convert: Convert[T]
) -> T | None:
    if not contained(exc):
        raise exc
    result = report_error(router, engine, exc, message)
    return convert(result, message) if result else None


def _save(storage: SessionStorage, user: str, session: Session) -> Exception | None:
    """Save the session; a value JSON cannot hold is returned (the handler's error).

    Every backend encodes the whole session before it writes anything, so a ``TypeError``
    (or ``ValueError``, for a circular reference) leaves the stored session untouched.
    """
    try:
        storage.set(user, session)
    except (TypeError, ValueError) as exc:
        return exc
    return None


def lock_timeout(engine: Engine) -> float:
    """How long a message waits for its user's session lock: WeChat's whole retry span.

    A lock held longer than that (a stuck handler) leaves the message unanswered,
    logged, instead of piling up waiting threads.
    """
    return 3 * engine.settings.wechat_timeout


# -- the async driver -------------------------------------------------------------------------


async def _arun_handlers(
    engine: Engine, entries: Sequence[HandlerEntry], message: WeChatMessage, session: Session
) -> WeChatReply | None:
    for entry in entries:
        args = _arguments(entry, message, session)
        if args is _SKIP:
            continue
        if entry.is_async:
            result = await entry.func(*args)  # type: ignore[misc]
        else:
            result = await engine.in_pool(entry.func, *args)
        if inspect.isawaitable(result):
            result = await result
        if result:
            return process_function_reply(result, message)
    return None


async def get_reply_async(
    router: Router, engine: Engine, message: WeChatMessage
) -> WeChatReply | None:
    """``get_reply`` for event loops: async handlers are awaited, the rest run in the pool."""
    token = CURRENT_ENGINE.set(engine)
    try:
        return await _reply_async(router, engine, message)
    finally:
        CURRENT_ENGINE.reset(token)


async def _reply_async(
    router: Router, engine: Engine, message: WeChatMessage
) -> WeChatReply | None:
    entries, any_async, _ = router.handlers_of(message)
    if not any_async:
        return await engine.in_pool(get_reply, router, engine, message)
    storage = engine.session_storage
    if storage is None:
        try:
            return await _arun_handlers(engine, entries, message, None)
        except BaseException as exc:
            return _failed(router, engine, exc, message, process_function_reply)
    # One coroutine per user at a time takes the storage's (blocking) lock, so waiting
    # requests wait on the loop, not in worker threads the lock holder needs to finish.
    user = engine.user_key(message)
    async with engine.async_user_locks.hold(user):
        stack = contextlib.ExitStack()
        try:
            session = await engine.in_pool(
                _lock_and_load, stack, storage, user, lock_timeout(engine)
            )
        except TimeoutError as exc:
            engine.logger.error("message not handled: %s", exc)
            return None
        try:
            reply = await _arun_handlers(engine, entries, message, session)
        except BaseException as exc:
            await engine.in_pool(stack.close)
            return _failed(router, engine, exc, message, process_function_reply)
        error = await engine.in_pool(_save_and_unlock, stack, storage, user, session)
        if error is not None:
            return _failed(router, engine, error, message, process_function_reply)
        return reply


def _save_and_unlock(
    stack: contextlib.ExitStack[Any], storage: SessionStorage, user: str, session: Session
) -> Exception | None:
    """``_save``, then release the session lock (one trip to the pool for both)."""
    with stack:
        return _save(storage, user, session)


def _lock_and_load(
    stack: contextlib.ExitStack[Any], storage: SessionStorage, id: str, timeout: float
) -> Any:
    stack.enter_context(storage.lock(id, timeout))
    try:
        return storage.get(id)
    except BaseException:
        stack.close()
        raise
