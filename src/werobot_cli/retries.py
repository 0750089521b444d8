"""WeChat's delivery schedule: up to three deliveries of one push, each cut off at 5 s.

WeChat sends a push, hangs up after 5 s without an answer and sends the same push again
(same body, timestamp and nonce), three deliveries in all, 5 s apart. An answered delivery
(a 200, whatever its body) ends the schedule; any other status brings the next delivery at
once. :func:`replay` plays that schedule against a robot and returns every delivery.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from werobot_cli.wire import CUTOFF, Account, Exchange, deliver

__all__ = ["Schedule", "replay", "summary"]


@dataclass(frozen=True)
class Schedule:
    """How many deliveries, how far apart (from start to start) and each one's cut-off."""

    deliveries: int = 3
    interval: float = 5.0
    cutoff: float = CUTOFF


def replay(
    http: httpx.Client,
    account: Account,
    xml: str,
    user: str,
    schedule: Schedule = Schedule(),
    *,
    on_delivery: Callable[[int, Exchange], None] | None = None,
) -> list[Exchange]:
    """Deliver ``xml`` as WeChat does until one delivery is answered; every delivery, in order."""
    request = account.request(xml, user)
    exchanges: list[Exchange] = []
    start = time.monotonic()
    for number in range(1, schedule.deliveries + 1):
        due = start + (number - 1) * schedule.interval
        if exchanges and exchanges[-1].status is None:  # cut off: wait for the slot
            time.sleep(max(0.0, due - time.monotonic()))
        exchange = deliver(http, account, request, xml, cutoff=schedule.cutoff)
        exchanges.append(exchange)
        if on_delivery is not None:
            on_delivery(number, exchange)
        if exchange.answered:
            break
    return exchanges


def summary(exchanges: list[Exchange]) -> str:
    """``delivery 2 got the answer`` or why none did."""
    for number, exchange in enumerate(exchanges, 1):
        if exchange.answered:
            return f"delivery {number} got the answer"
    return (
        f"no delivery was answered: after {len(exchanges)} deliveries WeChat gives up and "
        "the user sees 该公众号提供的服务出现故障"
    )
