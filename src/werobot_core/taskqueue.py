"""Late handler runs on a task queue (``DEADLINE_QUEUE = "dramatiq"``, issue 13).

Under ``push`` and ``next_message`` a delivery that may miss its deadline does not run the
handlers in the web process: it sends a :class:`LateJob` (the push's plaintext XML, its dedup
key, the strategy and the deadline) to a Dramatiq queue and waits for the outcome in the
shared dedup store until the deadline. A queue worker (``python -m werobot_core.taskqueue
module:robot``) imports the robot, rebuilds the message from its XML, runs the handlers and:

- when done before the deadline, records the outcome under the dedup key
  (:meth:`~werobot_core.dedup.DedupStore.settle`); the waiting delivery answers it;
- otherwise (the delivery answered ``success``, or the web worker is gone), delivers it by
  the strategy: pushed through the customer-service API with the typing indicator shown
  from the deadline on, or kept for the user's next message.

The dedup store records each delivery (``delivered:<key>``), so a job that the queue runs
twice (Dramatiq acknowledges a message after it is processed: a worker killed mid-job has
it delivered again) answers once. The web processes and the workers must share the dedup
store and the session storage (``RedisDedupStore``, ``RedisStorage``).

Dramatiq (extra ``queue``) is imported when a job is sent or a worker starts, never by
``import werobot_core``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import signal
import sys
import threading
import time
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from werobot_core import dispatch, late
from werobot_core.engine import Engine
from werobot_core.outcomes import combine_pending
from werobot_core.parser import parse_message
from werobot_core.routing import Router
from werobot_core.settings import Strategy


class Served(Protocol):
    """What a worker needs of a robot: its router and its engine."""

    @property
    def router(self) -> Router: ...

    @property
    def engine(self) -> Engine: ...


__all__ = ["ACTOR_NAME", "QUEUE_NAME", "LateJob", "enqueue", "main", "run_job", "serve"]

#: The Dramatiq queue and actor of late handler runs.
QUEUE_NAME = "werobot-late"
ACTOR_NAME = "werobot_late_reply"
#: A worker that finishes this close after the deadline still offers its outcome to the
#: delivery (the delivery decides, atomically, whether it came in time).
SLACK = 0.5

_actors: dict[str, Any] = {}
_actors_guard = threading.Lock()
_served: dict[str, tuple[Router, Engine]] = {}


@dataclass(frozen=True)
class LateJob:
    """One handler run on the queue: what the worker needs to answer the push."""

    xml: str
    """The push as plaintext XML (decrypted when it came encrypted)."""
    key: str | None
    """Its dedup key: where the outcome or the delivery is recorded."""
    strategy: Strategy
    deadline_at: float
    """The reply deadline, in Unix seconds."""
    decrypted: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LateJob:
        return cls(**data)


def _broker(url: str) -> Any:
    if url.startswith(("amqp://", "amqps://")):
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        return RabbitmqBroker(url=url, confirm_delivery=True)  # sent before the delivery waits
    if url.startswith(("redis://", "rediss://", "unix://")):
        from dramatiq.brokers.redis import RedisBroker

        redis_broker: Any = RedisBroker  # untyped __init__
        return redis_broker(url=url)
    if url == "stub://":
        from dramatiq.brokers.stub import StubBroker

        return StubBroker()
    raise ValueError(f"QUEUE_BROKER must be an amqp://, redis:// or stub:// URL, not {url!r}")


def actor_for(url: str) -> Any:
    """The Dramatiq actor of late runs on the broker at ``url`` (one per URL and process)."""
    with _actors_guard:
        actor = _actors.get(url)
        if actor is None:
            import dramatiq

            actor = dramatiq.actor(
                actor_name=ACTOR_NAME, queue_name=QUEUE_NAME, broker=_broker(url), max_retries=3
            )(_perform)
            _actors[url] = actor
        return actor


def enqueue(engine: Engine, job: LateJob) -> None:
    """Send ``job`` to the queue of ``engine``'s ``QUEUE_BROKER``."""
    actor_for(engine.settings.queue_broker).send(job.to_dict())


def _perform(payload: dict[str, Any]) -> None:
    """The actor: run one job for the robot this worker serves."""
    if not _served:
        raise RuntimeError("no robot served: start workers with python -m werobot_core.taskqueue")
    router, engine = next(iter(_served.values()))
    run_job(router, engine, LateJob.from_dict(payload))


def run_job(router: Router, engine: Engine, job: LateJob) -> None:
    """Run the handlers of ``job`` and answer by its strategy (the worker's side)."""
    message = parse_message(job.xml)
    if job.decrypted or engine.account:
        message.mark_origin(decrypted=job.decrypted, account=engine.account)
    store, key = engine.dedup_store, job.key
    typing = None
    if job.strategy == "push":
        typing = late.start_typing(engine, message, start_at=job.deadline_at)
    try:
        reply = dispatch.get_reply(router, engine, message)
        reply, outcome = combine_pending(router, engine, message, reply)
    except Exception:
        engine.logger.exception("late handler failed for %s", message.type)
        if typing is not None:
            typing.stop()
        if key is not None and time.time() < job.deadline_at + SLACK:
            store.settle(key, b"", engine.settings.dedup_ttl)
        return
    ttl = engine.settings.dedup_ttl
    if key is not None and time.time() < job.deadline_at + SLACK:
        limit = engine.settings.text_limit
        parts = late.split_outcome(outcome, limit, message) if len(outcome) > limit else [outcome]
        if store.settle(key, parts[0], ttl) is None:  # in time: the delivery answers it
            if typing is not None:
                typing.stop()
            store.finish("delivered:" + key, b"passive", late.DELIVERED_TTL)
            late.follow_up(engine, message, job.strategy, parts[1:])
            return
    late.deliver_late(engine, message, job.strategy, reply, outcome, typing, delivery=key)
    if key is not None:
        store.settle(key, b"success", ttl)  # a later delivery of the push answers at once


def serve(robot: Served) -> None:
    """Make this process's actor run ``robot``'s jobs (``main`` calls it; tests too)."""
    _served.clear()
    _served["robot"] = (robot.router, robot.engine)


def load_robot(ref: str) -> Served:
    """The robot named by ``module:attribute`` (``attribute`` defaults to ``robot``)."""
    module_name, _, attribute = ref.partition(":")
    module = importlib.import_module(module_name)
    robot: Served = getattr(module, attribute or "robot")
    return robot


def main(argv: list[str] | None = None) -> int:
    """``python -m werobot_core.taskqueue module:robot``: a queue worker for that robot."""
    parser = argparse.ArgumentParser(prog="python -m werobot_core.taskqueue")
    parser.add_argument("robot", help="the robot to serve, as module:attribute")
    parser.add_argument("--threads", type=int, default=8, help="jobs run at once (default 8)")
    parser.add_argument("--path", action="append", default=[], help="add to sys.path")
    parser.add_argument("--log-level", default="INFO", help="logging level (default INFO)")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(process)d %(name)s %(message)s"
    )
    sys.path[:0] = [*args.path, "."]
    robot = load_robot(args.robot)
    serve(robot)
    import dramatiq

    actor = actor_for(robot.engine.settings.queue_broker)
    worker = dramatiq.Worker(actor.broker, queues={QUEUE_NAME}, worker_threads=args.threads)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    worker.start()
    print(f"werobot queue worker: {args.robot} on {QUEUE_NAME}", flush=True)
    stop.wait()
    worker.stop()
    actor.broker.close()
    return 0


if __name__ == "__main__":  # run the imported module's main: one copy of its state
    from werobot_core.taskqueue import main as run

    sys.exit(run())
