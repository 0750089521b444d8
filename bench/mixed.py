"""Instructions per round trip when pushes of several types arrive in turn (``make bench-mixed``).

    python bench/mixed.py                 # 1, 4 and 6 types in turn, N = 1200

``bench/count.py`` sends one type again and again. A robot in service gets text, images and
events of several kinds mixed, and our parser keeps the shapes of recent pushes: this counts
a round trip (``DEDUP`` off, as for the peers) when K types come in turn, ours against
WeRoBot 1.13.1, under ``valgrind --tool=cachegrind`` (a loop of N round trips minus a loop
of none, as in ``count.py``). Each type has its own sequence of tags.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import itertools
import os
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_cases import HELLO, OTHER, WELCOME, build_scenarios  # noqa: E402
from count import Call, _available, ours_call, per_round_trip, werobot_call  # noqa: E402

CONTENDERS = ("ours", "WeRoBot")
TURNS = (1, 4, 6)


def bodies() -> list[bytes]:
    """Six push types, each with its own sequence of tags."""
    from werobot_core.messages import (
        ClickEvent,
        ImageMessage,
        LocationEvent,
        SubscribeEvent,
        TextMessage,
        ViewEvent,
    )
    from werobot_core.testing import make_xml

    pushes = [
        make_xml(TextMessage, content="hello"),
        make_xml(ImageMessage, img="https://example.com/a.jpg", media_id="media"),
        make_xml(SubscribeEvent),
        make_xml(ClickEvent, key="V1001_TODAY"),
        make_xml(ViewEvent, key="https://example.com", menu_id=1),
        make_xml(LocationEvent, latitude=23.1, longitude=113.3, precision=65.0),
    ]
    return [push.encode() for push in pushes]


def _call(name: str) -> Call:
    """A robot that answers every type (WeRoBot logs a warning for a push nobody answers)."""
    if name == "WeRoBot":
        from bench_peers import _werobot_robot

        return werobot_call(_werobot_robot(False, others=True))
    from bench_ours import make_robot

    return ours_call(make_robot(encrypted=False, others=True))


def child(name: str, turns: int, loops: int) -> None:
    """Answer each of ``turns`` types twice, then ``loops`` round trips with them in turn."""
    call = _call(name)
    query = dict(build_scenarios()["plain"].query)
    mixed = bodies()[:turns]
    for body in mixed * 2:  # each answered with its handler's text
        answer = call(query, body)
        text = answer if isinstance(answer, str) else answer.decode()
        assert any(reply in text for reply in (HELLO, WELCOME, OTHER)), (name, text)
    for body in itertools.islice(itertools.cycle(mixed), loops):
        call(query, body)


def _per_request(name: str, turns: int, total: int) -> float:
    return per_round_trip(Path(__file__).resolve(), total, "--child", name, str(turns))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1200, help="round trips per loop")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--child", nargs=3, metavar=("NAME", "TURNS", "LOOPS"))
    args = parser.parse_args(argv)
    if args.child:
        name, turns, loops = args.child
        child(name, int(turns), int(loops))
        return 0
    names = [name for name in CONTENDERS if _available(name)]
    jobs = [(name, turns) for turns in TURNS for name in names]
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        futures = {job: pool.submit(_per_request, *job, args.n) for job in jobs}
    results = {job: future.result() for job, future in futures.items()}
    print("instructions per round trip, in thousands, K types in turn (cachegrind)")
    print(f"{'K':>2}  {'ours k':>8}  {'WeRoBot k':>9}  WeRoBot/ours")
    for turns in TURNS:
        ours, peer = results.get(("ours", turns)), results.get(("WeRoBot", turns))
        ratio = f"{peer / ours:.2f}x" if ours and peer else "n/a"
        cells = [f"{v / 1000:.1f}" if v else "n/a" for v in (ours, peer)]
        print(f"{turns:>2}  {cells[0]:>8}  {cells[1]:>9}  {ratio:>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
