"""Benchmark: our pipeline against WeRoBot 1.13.1 and wechatpy 1.8.18, in one run.

    python bench/run.py            # about 80 s: 7 interleaved repetitions of ~1 s each
    python bench/run.py --quick    # a few seconds, for a smoke test
    python bench/run.py --profile plain   # cProfile of our side only

See bench/README.md for the method. Targets (issue 2): plaintext text >= 2.2x WeRoBot,
safe-mode text >= 2.0x WeRoBot.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cases import SCENARIOS, Answer, Scenario, build_scenarios, check_answer
from bench_ours import ours
from bench_peers import peer_versions, wechatpy_peer, werobot_peer
from bench_timing import Measurement, measure

LIBRARIES: dict[str, Callable[[Scenario], Callable[[], Answer] | None]] = {
    "ours": ours,
    "WeRoBot": werobot_peer,
    "wechatpy": wechatpy_peer,
}
#: Minimum ours/WeRoBot ratio per scenario (issue 2, item 10).
TARGETS = {"plain": 2.2, "safe": 2.0}


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 short repetitions (~10 s)")
    parser.add_argument("--reps", type=int, default=None, help="repetitions (default 7)")
    parser.add_argument("--seconds", type=float, default=None, help="seconds per repetition")
    parser.add_argument("--budget", type=float, default=100.0, help="stop repeating after this")
    parser.add_argument("--only", action="append", choices=SCENARIOS, help="scenario to run")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--profile", choices=SCENARIOS, help="profile our side of a scenario")
    args = parser.parse_args(argv)
    args.reps = args.reps or (3 if args.quick else 7)
    args.seconds = args.seconds or (0.4 if args.quick else 1.0)
    args.slices = 4 if args.quick else 10
    return args


def _contenders(scenarios: Sequence[Scenario]) -> list[tuple[str, Callable[[], Answer]]]:
    """Every (scenario, library) pair that exists, each checked once for a valid answer."""
    found: list[tuple[str, Callable[[], Answer]]] = []
    for scenario in scenarios:
        for library, build in LIBRARIES.items():
            func = build(scenario)
            if func is None:
                continue
            check_answer(scenario, func())
            found.append((f"{scenario.key}/{library}", func))
    return found


def _ratio(results: dict[str, Measurement], key: str, peer: str) -> float | None:
    """The median over repetitions of ours/peer (both timed in the same repetition)."""
    ours_, other = results.get(f"{key}/ours"), results.get(f"{key}/{peer}")
    if ours_ is None or other is None:
        return None
    return statistics.median(a / b for a, b in zip(ours_.rates, other.rates, strict=True))


def _row(results: dict[str, Measurement], scenario: Scenario) -> list[str]:
    cells = [scenario.title]
    for library in LIBRARIES:
        found = results.get(f"{scenario.key}/{library}")
        cells.append("n/a" if found is None else f"{found.median:,.0f}")
    for peer in ("WeRoBot", "wechatpy"):
        ratio = _ratio(results, scenario.key, peer)
        cells.append("n/a" if ratio is None else f"{ratio:.2f}x")
    target, ratio = TARGETS.get(scenario.key), _ratio(results, scenario.key, "WeRoBot")
    if target is None:
        cells.append("(informative)" if scenario.key == "wsgi" else "")
    elif ratio is None:
        cells.append(f">= {target}x: n/a")
    else:
        cells.append(f">= {target}x: {'met' if ratio >= target else 'MISSED'}")
    return cells


def _table(results: dict[str, Measurement], scenarios: Sequence[Scenario]) -> str:
    header = ["scenario", "ours req/s", "WeRoBot req/s", "wechatpy req/s"]
    header += ["ours/WeRoBot", "ours/wechatpy", "target"]
    rows = [header] + [_row(results, s) for s in scenarios]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = []
    for row in rows:
        first = row[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(row[1:-1], widths[1:-1], strict=True)]
        lines.append("  ".join([first, *rest, row[-1]]).rstrip())
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def _missed(results: dict[str, Measurement]) -> list[str]:
    missed = []
    for key, target in TARGETS.items():
        ratio = _ratio(results, key, "WeRoBot")
        if ratio is not None and ratio < target:
            missed.append(f"{key}: {ratio:.2f}x < {target}x")
    return missed


def _write_json(path: Path, results: dict[str, Measurement], args: argparse.Namespace) -> None:
    data = {
        "python": platform.python_version(),
        "versions": peer_versions(),
        "reps": len(next(iter(results.values())).rates),
        "seconds": args.seconds,
        "results": {k: {"median": m.median, "rates": m.rates} for k, m in results.items()},
    }
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark (or a profile) and print the table; the exit status for ``make``."""
    args = _parse_args(argv)
    all_scenarios = build_scenarios()
    if args.profile:
        from bench_profile import profile

        profile(ours(all_scenarios[args.profile]), seconds=max(args.seconds, 2.0))
        return 0
    scenarios = [all_scenarios[k] for k in (args.only or SCENARIOS)]
    versions = ", ".join(f"{k} {v}" for k, v in peer_versions().items())
    print(f"Python {platform.python_version()}; {versions}", flush=True)
    print(
        f"{args.reps} repetitions of ~{args.seconds:g} s per contender, "
        f"interleaved in slices of {args.seconds / args.slices * 1000:.0f} ms",
        flush=True,
    )
    contenders = _contenders(scenarios)
    results = measure(
        contenders,
        args.reps,
        args.seconds,
        slices=args.slices,
        budget=args.budget,
        progress=_progress,
    )
    print()
    print(_table(results, scenarios))
    noisiest = max(results.values(), key=lambda m: m.spread)
    reps = len(noisiest.rates)
    print(
        f"\nreq/s: median of {reps} repetitions; ratios: median of the per-repetition ratios"
        f"\nnoisiest: {noisiest.name}, (max - min) / median = {noisiest.spread:.0%}"
    )
    if args.json:
        _write_json(args.json, results, args)
    missed = _missed(results)
    if missed:
        print("targets missed: " + "; ".join(missed))
    return 1 if missed and args.check else 0


def _progress(text: str) -> None:
    print(f"  {text}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
