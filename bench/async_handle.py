"""``robot.handle_async`` in one event loop: µs per request, DEDUP off and on.

    python bench/async_handle.py              # 3,000 requests per setting, 3 repetitions

The robot has one ``async def`` text handler, without sessions and then with in-memory
sessions (the handler counts in it); every request carries its own ``MsgId``. What this
shows is the event-loop path's own cost (thread hops, tasks), which ``bench/count.py`` (the
sync ``handle``) does not see. Medians of the repetitions.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cases import HELLO, TOKEN

from werobot_core import WeChatRequest, WeRoBot
from werobot_core.messages import TextMessage
from werobot_core.session.memorystorage import MemoryStorage
from werobot_core.testing import make_xml, post_request


def _robot(dedup: bool, sessions: bool) -> WeRoBot:
    storage = MemoryStorage() if sessions else False
    robot = WeRoBot(token=TOKEN, SESSION_STORAGE=storage, DEDUP=dedup)

    @robot.text
    async def hello(message: TextMessage, session: dict[str, int] | None) -> str:
        if session is not None:
            session["count"] = session.get("count", 0) + 1
        return HELLO

    return robot


def per_request(dedup: bool, sessions: bool, count: int) -> float:
    """µs per ``await robot.handle_async(request)`` over ``count`` distinct pushes."""
    robot = _robot(dedup, sessions)
    requests: list[WeChatRequest] = [
        post_request(TOKEN, make_xml(TextMessage, content="hi", message_id=7000000000 + number))
        for number in range(count + 1)
    ]

    async def run() -> float:
        answer = await robot.handle_async(requests[count])
        assert HELLO.encode() in answer.body, answer
        started = time.perf_counter()
        for request in requests[:count]:
            await robot.handle_async(request)
        return (time.perf_counter() - started) / count * 1e6

    return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    print("DEDUP  sessions  µs per request (median)  repetitions")
    for dedup, sessions in ((False, False), (True, False), (True, True)):
        runs = [per_request(dedup, sessions, args.count) for _ in range(args.reps)]
        shown = ", ".join(f"{run:.1f}" for run in runs)
        median = statistics.median(runs)
        label = f"{'on' if dedup else 'off':<6} {'memory' if sessions else 'off':<8}"
        print(f"{label} {median:>10.1f}               {shown}")


if __name__ == "__main__":
    main()
