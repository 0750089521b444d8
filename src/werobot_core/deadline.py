"""The reply deadline engine: WeChat's 5-second rule and its retries (DESIGN §5a).

``deliver(robot, message, arrived)`` returns the plaintext outcome of one delivery:
``b""`` (no reply), ``b"success"`` or the reply XML. It runs the handlers at most once
per push (see :mod:`werobot_core.dedup`) and, when they are slow, answers by strategy:

- ``retry``: the first delivery runs the handlers in its own thread; later deliveries
  join and wait (deliveries 1-2 until WeChat's cut-off, then answer empty after it has
  hung up, so WeChat retries; delivery 3 until the deadline, else "result lost").
- ``push``: answer ``success`` at the deadline; send the result through the
  customer-service API when it is ready.
- ``next_message``: answer ``success`` at the deadline; keep the result and send it
  with the answer to the user's next message.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from werobot_core import dispatch
from werobot_core.messages import WeChatMessage
from werobot_core.outcomes import combine_pending, push_outcome, render_outcome
from werobot_core.replies import WeChatReply, process_function_reply
from werobot_core.xmlcodec import render_text_reply

if TYPE_CHECKING:
    from werobot_core.robot import BaseRoBot

__all__ = ["SUCCESS", "Plan", "deliver", "deliver_async", "plan_for"]

SUCCESS = b"success"
#: An empty answer to a withheld delivery is sent this long after WeChat's cut-off.
WITHHOLD_FACTOR = 1.1
#: How long a result waits for the user's next message (``next_message``).
PENDING_TTL = 48 * 3600.0


@dataclass(frozen=True, slots=True)
class Plan:
    """How one message is delivered: its dedup key, deadline and strategy."""

    key: str | None
    deadline: float
    strategy: str
    cutoff: float
    ttl: float


def plan_for(robot: BaseRoBot, message: WeChatMessage) -> Plan:
    """Read the deadline and strategy (handler options first, then config)."""
    cfg = robot.config
    deadline, strategy = cfg.get("REPLY_DEADLINE", 4.5), cfg.get("DEADLINE_STRATEGY", "retry")
    for entry in robot.get_handlers(message.dispatch_key()):
        if entry.deadline is not None or entry.strategy is not None:
            deadline = entry.deadline if entry.deadline is not None else deadline
            strategy = entry.strategy or strategy
            break
    key = robot.dedup_key(message) if cfg.get("DEDUP", True) else None
    cutoff = float(cfg.get("WECHAT_TIMEOUT", 5.0))
    return Plan(key, float(deadline), str(strategy), cutoff, float(cfg.get("DEDUP_TTL", 30)))


@dataclass
class _Job:
    """One run of the handlers whose answer may miss its deadline."""

    done: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    missed: bool = False
    outcome: bytes = b""
    reply: WeChatReply | None = None
    error: BaseException | None = None


def _compute(robot: BaseRoBot, message: WeChatMessage) -> tuple[WeChatReply | None, bytes]:
    reply = dispatch.get_reply(robot, message)
    return combine_pending(robot, message, reply)


def _finish_job(robot: BaseRoBot, message: WeChatMessage, plan: Plan, job: _Job) -> None:
    """Pool thread: run the handlers, then hand the outcome to whoever still listens."""
    try:
        job.reply, job.outcome = _compute(robot, message)
    except BaseException as exc:  # re-raised by the delivering thread, or logged
        job.error = exc
    with job.lock:
        missed = job.missed
        job.done.set()
    store = robot.dedup_store
    if not missed:
        if plan.key is not None and job.error is None:
            store.finish(plan.key, job.outcome, plan.ttl)
        return
    if job.error is not None:
        robot.logger.error("late handler failed for %s", message.type, exc_info=job.error)
    else:
        _deliver_late(robot, message, plan, job.reply, job.outcome)


def _deliver_late(
    robot: BaseRoBot,
    message: WeChatMessage,
    plan: Plan,
    reply: WeChatReply | None,
    outcome: bytes,
) -> None:
    if not outcome or outcome == SUCCESS:
        return
    if plan.strategy == "push":
        push_outcome(robot, message, reply)
    else:
        robot.dedup_store.stash(message.source, outcome, PENDING_TTL)


def _joined(robot: BaseRoBot, plan: Plan, delivery: int, arrived: float) -> bytes:
    """A later delivery of an in-flight push: wait for the first one's outcome."""
    assert plan.key is not None
    withhold = plan.strategy == "retry" and delivery < 3
    budget = plan.cutoff if withhold else plan.deadline
    outcome = robot.dedup_store.wait(plan.key, max(budget - (time.monotonic() - arrived), 0.0))
    if outcome is not None:
        return outcome
    return _timed_out(robot, plan, delivery, arrived)


def _timed_out(robot: BaseRoBot, plan: Plan, delivery: int, arrived: float) -> bytes:
    if plan.strategy != "retry":
        return SUCCESS
    if delivery < 3:
        time.sleep(max(plan.cutoff * WITHHOLD_FACTOR - (time.monotonic() - arrived), 0.0))
        return b""
    robot.logger.error("result lost: the handler missed all three deliveries of %s", plan.key)
    return b""


def _outcome_of(result: object, message: WeChatMessage) -> bytes:
    """A handler's result as wire bytes; a ``str`` is rendered without a reply model."""
    if isinstance(result, str):
        created = int(time.time())
        return render_text_reply(message.source, message.target, created, result)
    return render_outcome(process_function_reply(result, message), message)


def _retry_outcome(robot: BaseRoBot, message: WeChatMessage) -> bytes:
    """The outcome of a delivery that answers itself: no reply model is needed, unless
    results kept for ``next_message`` have to be joined to it."""
    if robot.uses_next_message:
        return _compute(robot, message)[1]
    return dispatch.get_reply_with(robot, message, _outcome_of) or b""


def deliver(robot: BaseRoBot, message: WeChatMessage, arrived: float) -> bytes:
    """The outcome for one delivery of ``message`` (which arrived at ``arrived``)."""
    cfg = robot.config
    if (
        not robot.has_handler_options
        and not cfg.get("DEDUP", True)
        and cfg.get("DEADLINE_STRATEGY", "retry") == "retry"
    ):  # nothing to plan: no dedup, no deadline, no result kept for a next message
        return _retry_outcome(robot, message)
    plan = plan_for(robot, message)
    store = robot.dedup_store
    if plan.key is not None:
        claim = store.claim(plan.key, plan.ttl)
        if claim.outcome is not None:
            return claim.outcome
        if not claim.first:
            return _joined(robot, plan, claim.delivery, arrived)
    try:
        if plan.strategy == "retry":
            outcome = _retry_outcome(robot, message)
            if plan.key is not None:
                store.finish(plan.key, outcome, plan.ttl)
            return outcome
        return _run_with_deadline(robot, message, plan, arrived)
    except BaseException:  # 503, or a bug answered 200 empty: the retry runs afresh
        if plan.key is not None:
            _release(robot, plan.key)
        raise


def _release(robot: BaseRoBot, key: str) -> None:
    """Forget the claim of a delivery that failed; a failure here is only logged, so the
    delivery's own exception is the one answered."""
    try:
        robot.dedup_store.release(key)
    except Exception as exc:
        robot.logger.warning("dedup claim %r not released: %s", key, exc)


def _run_with_deadline(
    robot: BaseRoBot, message: WeChatMessage, plan: Plan, arrived: float
) -> bytes:
    job = _Job()
    robot.deadline_pool.submit(_finish_job, robot, message, plan, job)
    job.done.wait(max(plan.deadline - (time.monotonic() - arrived), 0.0))
    with job.lock:
        if not job.done.is_set():
            job.missed = True
    if job.missed:
        if plan.key is not None:
            robot.dedup_store.finish(plan.key, SUCCESS, plan.ttl)
        return SUCCESS
    if job.error is not None:
        raise job.error
    return job.outcome


async def deliver_async(robot: BaseRoBot, message: WeChatMessage, arrived: float) -> bytes:
    """``deliver`` for event loops: ``async def`` handlers run on the loop."""
    plan = plan_for(robot, message)
    store = robot.dedup_store
    if plan.key is not None:
        claim = await asyncio.to_thread(store.claim, plan.key, plan.ttl)
        if claim.outcome is not None:
            return claim.outcome
        if not claim.first:
            return await asyncio.to_thread(_joined, robot, plan, claim.delivery, arrived)
    task = asyncio.ensure_future(_compute_async(robot, message))
    timeout = None if plan.strategy == "retry" else plan.deadline - (time.monotonic() - arrived)
    try:
        done, _ = await asyncio.wait({task}, timeout=None if timeout is None else max(timeout, 0.0))
        outcome = task.result()[1] if done else SUCCESS
    except BaseException:
        if plan.key is not None:
            await asyncio.to_thread(_release, robot, plan.key)
        raise
    if not done:  # the handlers go on; their result takes the strategy's late path
        robot.late_tasks.add(task)
        task.add_done_callback(lambda t: _on_late_task(robot, message, plan, t))
    if plan.key is not None:
        await asyncio.to_thread(store.finish, plan.key, outcome, plan.ttl)
    return outcome


async def _compute_async(
    robot: BaseRoBot, message: WeChatMessage
) -> tuple[WeChatReply | None, bytes]:
    reply = await dispatch.get_reply_async(robot, message)
    return await asyncio.to_thread(combine_pending, robot, message, reply)


def _on_late_task(
    robot: BaseRoBot, message: WeChatMessage, plan: Plan, task: asyncio.Future[Any]
) -> None:
    robot.late_tasks.discard(task)
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        robot.logger.error("late handler failed for %s", message.type, exc_info=error)
        return
    reply, outcome = task.result()
    threading.Thread(
        target=_deliver_late, args=(robot, message, plan, reply, outcome), daemon=True
    ).start()
