"""Running the handlers of a message, with its session loaded once and saved once."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from types import CoroutineType
from typing import TYPE_CHECKING, Any, TypeVar

from werobot_core.handlers import HandlerEntry
from werobot_core.messages import WeChatMessage
from werobot_core.replies import WeChatReply, process_function_reply
from werobot_core.session.base import SessionStorage

if TYPE_CHECKING:
    from werobot_core.robot import BaseRoBot

__all__ = [
    "AsyncKeyedLock",
    "SyncInLoopError",
    "get_reply",
    "get_reply_async",
    "get_reply_with",
    "lock_timeout",
    "run_handlers",
]

Session = dict[str, Any] | None
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
    return not isinstance(exc, (KeyboardInterrupt, asyncio.CancelledError))


class AsyncKeyedLock:
    """One ``asyncio.Lock`` per key, created on demand and dropped when unused."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """Hold the lock of ``key``."""
        lock, users = self._locks.get(key, (None, 0))
        lock = lock or asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _await_in_sync(result: Coroutine[Any, Any, object]) -> object:
    return asyncio.run(result)


def run_handlers(
    entries: Sequence[HandlerEntry],
    message: WeChatMessage,
    session: Session,
    convert: Convert[T],
) -> T | None:
    """Call handlers in order; the first non-empty result, converted, is the answer."""
    for entry in entries:
        result = entry.func(*(message, session, None)[: entry.arity])
        if isinstance(result, CoroutineType):
            result = _await_in_sync(result)
        if result:
            return convert(result, message)
    return None


def _check_sync_use(entries: Sequence[HandlerEntry]) -> None:
    for entry in entries:
        if entry.is_async:
            if _loop_running():
                raise SyncInLoopError("use handle_async inside an event loop")
            return


def get_reply(robot: BaseRoBot, message: WeChatMessage) -> WeChatReply | None:
    """The reply model for ``message`` (see :func:`get_reply_with`)."""
    return get_reply_with(robot, message, process_function_reply)


def get_reply_with(robot: BaseRoBot, message: WeChatMessage, convert: Convert[T]) -> T | None:
    """The answer to ``message``: the first non-empty handler result, through ``convert``.

    A handler's exception (any but ``KeyboardInterrupt``) is reported and gives ``None``;
    so does a session the handler filled with a value JSON cannot hold.

    The session is loaded and saved under the user's lock; a handler that raises
    leaves the stored session untouched. ``StorageUnavailable`` propagates.
    """
    entries = robot.get_handlers(message.dispatch_key())
    _check_sync_use(entries)
    storage = robot.session_storage
    if storage is None:
        return _guarded(robot, entries, message, None, convert)
    try:
        with storage.lock(message.source, lock_timeout(robot)):
            session = storage.get(message.source)
            try:
                reply = run_handlers(entries, message, session, convert)
            except BaseException as exc:
                if not contained(exc):
                    raise
                robot.report_error(exc, message)
                return None
            if not _saved(robot, storage, message, session):
                return None
    except TimeoutError as exc:
        robot.logger.error("message not handled: %s", exc)
        return None
    return reply


def _saved(
    robot: BaseRoBot, storage: SessionStorage, message: WeChatMessage, session: Session
) -> bool:
    """Save the session; a value JSON cannot hold is the handler's error, nothing saved.

    Every backend encodes the whole session before it writes anything, so a ``TypeError``
    (or ``ValueError``, for a circular reference) leaves the stored session untouched.
    """
    try:
        storage.set(message.source, session)
    except (TypeError, ValueError) as exc:
        robot.report_error(exc, message)
        return False
    return True


def lock_timeout(robot: BaseRoBot) -> float:
    """How long a message waits for its user's session lock: WeChat's whole retry span.

    A lock held longer than that (a stuck handler) leaves the message unanswered,
    logged, instead of piling up waiting threads.
    """
    return 3 * float(robot.config.get("WECHAT_TIMEOUT", 5.0))


def _guarded(
    robot: BaseRoBot,
    entries: Sequence[HandlerEntry],
    message: WeChatMessage,
    session: Session,
    convert: Convert[T],
) -> T | None:
    try:
        return run_handlers(entries, message, session, convert)
    except BaseException as exc:
        if not contained(exc):
            raise
        robot.report_error(exc, message)
        return None


async def _arun_handlers(
    entries: Sequence[HandlerEntry], message: WeChatMessage, session: Session
) -> WeChatReply | None:
    for entry in entries:
        args = (message, session, None)[: entry.arity]
        if entry.is_async:
            result = await entry.func(*args)  # type: ignore[misc]
        else:
            result = await asyncio.to_thread(entry.func, *args)
        if inspect.isawaitable(result):
            result = await result
        if result:
            return process_function_reply(result, message)
    return None


async def get_reply_async(robot: BaseRoBot, message: WeChatMessage) -> WeChatReply | None:
    """``get_reply`` for event loops: async handlers are awaited, the rest run in threads."""
    entries = robot.get_handlers(message.dispatch_key())
    if not any(e.is_async for e in entries):
        return await asyncio.to_thread(get_reply, robot, message)
    storage = robot.session_storage
    if storage is None:
        return await _aguarded(robot, entries, message, None)
    # One coroutine per user at a time takes the storage's (blocking) lock, so waiting
    # requests wait on the loop, not in worker threads the lock holder needs to finish.
    async with robot.async_user_locks.hold(message.source):
        return await _locked_reply_async(robot, entries, message, storage)


async def _locked_reply_async(
    robot: BaseRoBot,
    entries: Sequence[HandlerEntry],
    message: WeChatMessage,
    storage: SessionStorage,
) -> WeChatReply | None:
    stack = contextlib.ExitStack()
    try:
        session = await asyncio.to_thread(
            _lock_and_load, stack, storage, message.source, lock_timeout(robot)
        )
    except TimeoutError as exc:
        robot.logger.error("message not handled: %s", exc)
        return None
    try:
        try:
            reply = await _arun_handlers(entries, message, session)
        except BaseException as exc:
            if not contained(exc):
                raise
            robot.report_error(exc, message)
            return None
        saved = await asyncio.to_thread(_saved, robot, storage, message, session)
        return reply if saved else None
    finally:
        await asyncio.to_thread(stack.close)


def _lock_and_load(
    stack: contextlib.ExitStack[Any], storage: SessionStorage, id: str, timeout: float
) -> Any:
    stack.enter_context(storage.lock(id, timeout))
    try:
        return storage.get(id)
    except BaseException:
        stack.close()
        raise


async def _aguarded(
    robot: BaseRoBot, entries: Sequence[HandlerEntry], message: WeChatMessage, session: Session
) -> WeChatReply | None:
    try:
        return await _arun_handlers(entries, message, session)
    except BaseException as exc:
        if not contained(exc):
            raise
        robot.report_error(exc, message)
        return None
