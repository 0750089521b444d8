"""The reply deadline engine: WeChat's 5-second rule and its retries (DESIGN §5a).

``deliver(router, engine, settings, message)`` returns the plaintext outcome of one
delivery: ``b""`` (no reply), ``b"success"`` or the reply XML. It runs the handlers at most
once per push (see :mod:`werobot_core.dedup`) and, when they are slow, answers by strategy:

- ``retry``: the first delivery runs the handlers in its own thread; later deliveries
  join and wait (deliveries 1-2 until WeChat's cut-off, then answer empty after it has
  hung up, so WeChat retries; delivery 3 until the deadline, else "result lost").
- ``push``: answer ``success`` at the deadline; send the result through the
  customer-service API when it is ready.
- ``next_message``: answer ``success`` at the deadline; keep the result and send it
  with the answer to the user's next message.

One pure step decides what a delivery does (:func:`plan_for`, then :func:`step` on its
claim); ``deliver`` and ``deliver_async`` are the two thin drivers that carry it out, on
the engine's one pool.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from werobot_core import dispatch, late
from werobot_core.dedup import Claim, default_dedup_key
from werobot_core.engine import Engine
from werobot_core.messages import WeChatMessage
from werobot_core.outcomes import combine_pending, keeps_results
from werobot_core.replies import WeChatReply
from werobot_core.routing import Router
from werobot_core.settings import Settings, Strategy

if TYPE_CHECKING:
    import asyncio

__all__ = ["SUCCESS", "Plan", "deliver", "deliver_async", "plan_for", "step"]

SUCCESS = b"success"
#: An empty answer to a withheld delivery is sent this long after WeChat's cut-off.
WITHHOLD_FACTOR = 1.1
#: How long a result waits for the user's next message (``next_message``).
PENDING_TTL = late.PENDING_TTL
#: At most this long a missed delivery waits for the first ``Typing`` to learn whether the
#: account has the customer-service API (48001: answer ``NEXT_MESSAGE_HINT`` instead).
TYPING_PROBE = 0.2
#: What a delivery does after its claim: join the first delivery, answer by itself
#: (``retry``), or run the handlers against the deadline.
Step = Literal["join", "answer", "race"]
T = TypeVar("T")


@dataclass(slots=True)
class Plan:
    """How one message is delivered: its dedup key, deadline and strategy."""

    key: str | None
    deadline: float
    strategy: Strategy
    cutoff: float
    ttl: float


def plan_for(
    router: Router, engine: Engine, settings: Settings, message: WeChatMessage
) -> Plan | None:
    """The plan of ``message`` (handler options first, then settings); ``None`` when there
    is nothing to plan: no dedup, no deadline, no result kept for a next message."""
    deadline, strategy = settings.reply_deadline, settings.deadline_strategy
    if router.has_handler_options:
        for entry in router.get_handlers(message.dispatch_key()):
            if entry.has_options:
                deadline = entry.deadline if entry.deadline is not None else deadline
                strategy = entry.strategy or strategy
                break
    elif not settings.dedup and strategy == "retry":
        return None
    key = engine.dedup_key(message) if settings.dedup else None
    return Plan(key, deadline, strategy, settings.wechat_timeout, settings.dedup_ttl)


def step(plan: Plan, claim: Claim | None) -> bytes | Step:
    """What this delivery does: the finished outcome to answer with, or the next step."""
    if claim is not None:
        if claim.outcome is not None:
            return claim.outcome
        if not claim.first:
            return "join"
    return "answer" if plan.strategy == "retry" else "race"


# -- shared pieces --------------------------------------------------------------------------


def _compute(
    router: Router, engine: Engine, message: WeChatMessage
) -> tuple[WeChatReply | None, bytes]:
    reply = dispatch.get_reply(router, engine, message)
    return combine_pending(router, engine, message, reply)


def _answer(
    router: Router, engine: Engine, settings: Settings, message: WeChatMessage, keeps: bool
) -> bytes:
    """The outcome of a delivery that answers itself: no reply model is needed, unless
    results kept for ``next_message`` have to be joined to it (``keeps``: ``keeps_results``,
    which the default path, without handler options and under ``retry``, knows is false)."""
    if keeps:
        outcome = _compute(router, engine, message)[1]
    else:
        outcome = dispatch.get_reply_with(router, engine, message, engine.outcome_of) or b""
    if len(outcome) > settings.text_limit:  # a long text: its first part now, the rest after
        return late.in_time(engine, message, settings.deadline_strategy, outcome)
    return outcome


def _deliver_late(
    engine: Engine,
    message: WeChatMessage,
    plan: Plan,
    reply: WeChatReply | None,
    outcome: bytes,
    typing: late.Typing | None = None,
) -> None:
    """A result that missed its deadline: pushed, or kept for the user's next message."""
    late.deliver_late(engine, message, plan.strategy, reply, outcome, typing)


def _missed(engine: Engine, message: WeChatMessage, plan: Plan, arrived: float) -> bytes:
    """The answer of a delivery whose handlers missed the deadline: ``success``, or
    ``NEXT_MESSAGE_HINT`` under ``push`` for an account without the customer-service API."""
    if plan.strategy == "push" and late.push_unavailable(engine):
        return engine.outcome_of(engine.settings.next_message_hint, message)
    return SUCCESS


def _probe(engine: Engine, typing: late.Typing | None, plan: Plan, arrived: float) -> None:
    """Wait briefly (before WeChat's cut-off) for the first ``Typing`` to be answered."""
    if typing is not None:
        left = plan.cutoff * 0.95 - (time.monotonic() - arrived)
        typing.first.wait(min(max(left, 0.0), TYPING_PROBE))


def _joined(engine: Engine, plan: Plan, delivery: int, arrived: float) -> bytes:
    """A later delivery of an in-flight push: wait for the first one's outcome."""
    assert plan.key is not None
    withhold = plan.strategy == "retry" and delivery < 3
    budget = plan.cutoff if withhold else plan.deadline
    outcome = engine.dedup_store.wait(plan.key, max(budget - (time.monotonic() - arrived), 0.0))
    if outcome is not None:
        return outcome
    if plan.strategy != "retry":
        return SUCCESS
    if delivery < 3:
        time.sleep(max(plan.cutoff * WITHHOLD_FACTOR - (time.monotonic() - arrived), 0.0))
        return b""
    engine.logger.error("result lost: the handler missed all three deliveries of %s", plan.key)
    return b""


def _release(engine: Engine, key: str | None) -> None:
    """Forget the claim of a delivery that failed; a failure here is only logged, so the
    delivery's own exception is the one answered."""
    if key is None:
        return
    try:
        engine.dedup_store.release(key)
    except Exception as exc:
        engine.logger.warning("dedup claim %r not released: %s", key, exc)


def _finish(engine: Engine, plan: Plan, outcome: bytes) -> None:
    if plan.key is not None:
        engine.dedup_store.finish(plan.key, outcome, plan.ttl)


# -- the sync driver ------------------------------------------------------------------------


def deliver(
    router: Router,
    engine: Engine,
    settings: Settings,
    message: WeChatMessage,
    arrived: float | None = None,
) -> bytes:
    """The outcome for one delivery of ``message`` (which arrived at ``arrived``, a
    ``time.monotonic()``), under ``settings`` (``engine.settings``, as the pipeline read
    them for this request). ``None``: now, read when a deadline first needs it (the first
    delivery under the defaults never does; ~0.6k instructions a push)."""
    if not router.has_handler_options and settings.deadline_strategy == "retry":
        # The defaults, the hot path, inline (a call costs ~0.5k instructions): the first
        # delivery answers by itself, later ones join it.
        key = None
        if settings.dedup:
            # engine.dedup_key(message), without its call for a robot of its own without
            # key functions (~1k)
            if engine.dedup_keys or engine.namespace:
                key = engine.dedup_key(message)
            else:
                key = default_dedup_key(message)
        if key is not None:  # (None: DEDUP off, or dedup_keys turned it off for this message)
            store, ttl = engine.dedup_store, settings.dedup_ttl
            claimed = store.claim(key, ttl)
            if claimed.outcome is not None:
                return claimed.outcome
            if not claimed.first:  # rare: a retry while the first delivery runs
                plan = plan_for(router, engine, settings, message)
                assert plan is not None
                joined_at = time.monotonic() if arrived is None else arrived
                return _joined(engine, plan, claimed.delivery, joined_at)
        try:  # _answer(..., False), inline
            outcome = dispatch.answer(router, engine, message) or b""
            if len(outcome) > settings.text_limit:  # a long text: its first part now
                outcome = late.in_time(engine, message, settings.deadline_strategy, outcome)
            if key is not None:
                store.finish(key, outcome, ttl)
        except BaseException:  # 503, or a bug answered 200 empty: the retry runs afresh
            _release(engine, key)
            raise
        return outcome
    if arrived is None:
        arrived = time.monotonic()
    plan = plan_for(router, engine, settings, message)
    assert plan is not None  # handler options, or a strategy other than retry: planned
    claim = None if plan.key is None else engine.dedup_store.claim(plan.key, plan.ttl)
    next_step = step(plan, claim)
    if isinstance(next_step, bytes):
        return next_step
    if next_step == "join":
        assert claim is not None
        return _joined(engine, plan, claim.delivery, arrived)
    try:
        if next_step == "answer":
            outcome = _answer(router, engine, settings, message, keeps_results(router, settings))
            _finish(engine, plan, outcome)
            return outcome
        if settings.deadline_queue != "pool":
            return _race_queue(router, engine, message, plan, arrived)
        return _race(router, engine, message, plan, arrived)
    except BaseException:  # 503, or a bug answered 200 empty: the retry runs afresh
        _release(engine, plan.key)
        raise


@dataclass
class _Job:
    """One run of the handlers whose answer may miss its deadline."""

    done: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    missed: bool = False
    outcome: bytes = b""
    reply: WeChatReply | None = None
    error: BaseException | None = None
    typing: late.Typing | None = None


def _run_job(router: Router, engine: Engine, message: WeChatMessage, plan: Plan, job: _Job) -> None:
    """Pool thread: run the handlers, then hand the outcome to whoever still listens."""
    outcome, parts = b"", None
    limit = engine.settings.text_limit
    try:
        job.reply, outcome = _compute(router, engine, message)
        if len(outcome) > limit:
            parts = late.split_outcome(outcome, limit, message)
    except BaseException as exc:  # re-raised by the delivering thread, or logged
        job.error = exc
    with job.lock:
        missed = job.missed
        job.outcome = parts[0] if parts and not missed else outcome
        job.done.set()
    if not missed:
        if job.error is None:
            _finish(engine, plan, job.outcome)
            if parts:
                late.follow_up(engine, message, plan.strategy, parts[1:])
    elif job.error is not None:
        engine.logger.error("late handler failed for %s", message.type, exc_info=job.error)
        if job.typing is not None:
            job.typing.stop()
    else:
        _deliver_late(engine, message, plan, job.reply, outcome, job.typing)


def _race(
    router: Router, engine: Engine, message: WeChatMessage, plan: Plan, arrived: float
) -> bytes:
    job = _Job()
    engine.pool.submit(_run_job, router, engine, message, plan, job)
    job.done.wait(max(plan.deadline - (time.monotonic() - arrived), 0.0))
    with job.lock:
        if not job.done.is_set():
            job.missed = True
            if plan.strategy == "push":
                job.typing = late.start_typing(engine, message)
    if job.missed:
        _probe(engine, job.typing, plan, arrived)
        answer = _missed(engine, message, plan, arrived)
        _finish(engine, plan, answer)
        return answer
    if job.error is not None:
        raise job.error
    return job.outcome


def _race_queue(
    router: Router, engine: Engine, message: WeChatMessage, plan: Plan, arrived: float
) -> bytes:
    """``DEADLINE_QUEUE``: a queue worker runs the handlers; this delivery waits for the
    outcome in the dedup store until the deadline (see :mod:`werobot_core.taskqueue`). A
    broker that cannot take the job leaves the handlers to this process's pool."""
    from werobot_core import taskqueue

    remaining = max(plan.deadline - (time.monotonic() - arrived), 0.0)
    job = taskqueue.LateJob(
        message.raw, plan.key, plan.strategy, time.time() + remaining, message.decrypted
    )
    try:
        taskqueue.enqueue(engine, job)
    except Exception as exc:
        engine.logger.error("queue %s unavailable, handled here: %s", job.strategy, exc)
        return _race(router, engine, message, plan, arrived)
    if plan.key is None:  # no dedup: the worker cannot hand an outcome back
        return SUCCESS
    store = engine.dedup_store
    outcome = store.wait(plan.key, remaining)
    if outcome is not None:
        return outcome
    answer = _missed(engine, message, plan, arrived)
    recorded = store.settle(plan.key, answer, plan.ttl)  # unless the worker was just in time
    return answer if recorded is None else recorded


# -- the async driver -----------------------------------------------------------------------


async def _off_loop(engine: Engine, func: Callable[..., T], *args: Any) -> T:
    """``func(*args)`` in the pool when the dedup store may block on I/O, else right here
    (the in-memory store: a thread hop would cost far more than the call)."""
    if engine.dedup_store.blocking:
        return await engine.in_pool(func, *args)
    return func(*args)


async def _compute_async(
    router: Router, engine: Engine, message: WeChatMessage
) -> tuple[WeChatReply | None, bytes]:
    reply = await dispatch.get_reply_async(router, engine, message)
    return await _off_loop(engine, combine_pending, router, engine, message, reply)


async def _long_text(engine: Engine, message: WeChatMessage, plan: Plan, outcome: bytes) -> bytes:
    """The outcome to answer now: a long text's first part (the rest follows), else all."""
    if len(outcome) > engine.settings.text_limit:
        return await engine.in_pool(late.in_time, engine, message, plan.strategy, outcome)
    return outcome


async def deliver_async(
    router: Router, engine: Engine, settings: Settings, message: WeChatMessage, arrived: float
) -> bytes:
    """``deliver`` for event loops: ``async def`` handlers run on the loop."""
    plan = plan_for(router, engine, settings, message)
    if plan is None:
        return (await _compute_async(router, engine, message))[1]
    store = engine.dedup_store
    claim = None if plan.key is None else await _off_loop(engine, store.claim, plan.key, plan.ttl)
    next_step = step(plan, claim)
    if isinstance(next_step, bytes):
        return next_step
    if next_step == "join":
        assert claim is not None
        return await engine.in_pool(_joined, engine, plan, claim.delivery, arrived)
    if next_step == "race" and settings.deadline_queue != "pool":
        try:
            return await engine.in_pool(_race_queue, router, engine, message, plan, arrived)
        except BaseException:
            await _off_loop(engine, _release, engine, plan.key)
            raise
    if next_step == "answer":  # no deadline to race: the handlers are awaited right here
        try:
            computed = await _compute_async(router, engine, message)
            outcome = await _long_text(engine, message, plan, computed[1])
        except BaseException:
            await _off_loop(engine, _release, engine, plan.key)
            raise
        await _off_loop(engine, _finish, engine, plan, outcome)
        return outcome
    import asyncio  # (here: a sync robot's requests never import it)

    task = asyncio.ensure_future(_compute_async(router, engine, message))
    remaining = plan.deadline - (time.monotonic() - arrived)
    typing = None
    try:
        done, _ = await asyncio.wait({task}, timeout=max(remaining, 0.0))
        if done:
            outcome = await _long_text(engine, message, plan, task.result()[1])
        else:
            if plan.strategy == "push":
                typing = late.start_typing(engine, message)
                await engine.in_pool(_probe, engine, typing, plan, arrived)
            outcome = _missed(engine, message, plan, arrived)
    except BaseException:
        await _off_loop(engine, _release, engine, plan.key)
        raise
    if not done:  # the handlers go on; their result takes the strategy's late path
        engine.late_tasks.add(task)
        task.add_done_callback(lambda t: _on_late_task(engine, message, plan, t, typing))
    await _off_loop(engine, _finish, engine, plan, outcome)
    return outcome


def _on_late_task(
    engine: Engine,
    message: WeChatMessage,
    plan: Plan,
    task: asyncio.Future[Any],
    typing: late.Typing | None = None,
) -> None:
    engine.late_tasks.discard(task)
    error = None if task.cancelled() else task.exception()
    if task.cancelled() or error is not None:
        if error is not None:
            engine.logger.error("late handler failed for %s", message.type, exc_info=error)
        if typing is not None:
            engine.pool.submit(typing.stop)
        return
    reply, outcome = task.result()
    engine.pool.submit(_deliver_late, engine, message, plan, reply, outcome, typing)
