"""The in-memory dedup store in steady state: claim + finish per push while keys expire.

    python bench/dedup_store.py            # 100,000 pushes per row

``bench/count.py`` answers 2,000 pushes in well under ``DEDUP_TTL`` (30 s), so no key ever
expires there. A busy robot holds every key of the last 30 s and drops the oldest on each
claim; this measures that, with a fake clock, at several request rates (live keys = rate x
TTL). The cost per push should not grow with the number of live keys (a store whose
expiry walked its keys would show it here first).
"""

from __future__ import annotations

import argparse
import time

from werobot_core.dedup import MemoryDedupStore

TTL = 30.0


def per_push(live: int, pushes: int) -> float:
    """Nanoseconds per claim + finish with ``live`` keys alive (a rate of live / TTL)."""
    now = [0.0]
    store = MemoryDedupStore(clock=lambda: now[0])
    step = TTL / live if live else 0.0
    keys = [f"gh_bench|{7000000000 + number}" for number in range(live + pushes)]
    for key in keys[:live]:  # fill the window
        now[0] += step
        store.claim(key, TTL)
        store.finish(key, b"x", TTL)
    started = time.perf_counter()
    for key in keys[live:]:
        now[0] += step
        store.claim(key, TTL)
        store.finish(key, b"x", TTL)
    elapsed = time.perf_counter() - started
    # (expired keys go in batches: up to a second late, 64 keys per claim at most)
    assert len(store._keys) <= max(live + int(live / TTL) + 64, pushes) + 1, "keys did not expire"
    return elapsed / pushes * 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pushes", type=int, default=100_000)
    args = parser.parse_args()
    print("live keys   ns per claim+finish")
    for live in (0, 1_000, 10_000, 100_000):
        print(f"{live:>9,}   {per_push(live, args.pushes):>8,.0f}")


if __name__ == "__main__":
    main()
