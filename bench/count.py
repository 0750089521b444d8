"""Instruction counts per round trip under ``valgrind --tool=cachegrind`` (``make bench-count``).

    python bench/count.py                 # every scenario, N = 2000 (a few minutes)
    python bench/count.py --n 500 --only plain
    python bench/count.py --check         # exit 1 when a target of issue 14 is missed

Each contender runs in a child process under ``valgrind --tool=cachegrind --cache-sim=no``
twice: once with a loop of N round trips and once with a loop of none. Both runs import the
same modules, build the same robot and the same N + 1 signed requests and answer one of them
(checked, as a warm-up), so their difference divided by N is what one round trip costs.
Counts move far less with the machine's load than wall-clock times (bench/README.md has a caveat).

Every request carries its own ``MsgId`` (text) or ``CreateTime`` (subscribe), and in safe
mode its own ciphertext, so with ``DEDUP`` on (our default) each one is a new push, as in
production. Our robot is counted with ``DEDUP`` off and on; the peers have no dedup.

The floor is what the protocol costs with nothing but the standard library and
``cryptography``: ``xml.etree`` parse (no hardening), a dict of children, an f-string
reply, ``==`` on the signatures; AES through the same ``cryptography`` calls.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from werobot_core import BaseRoBot

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_cases import (  # noqa: E402
    APP_ID,
    ENCODING_AES_KEY,
    TOKEN,
    Answer,
    Scenario,
    build_scenarios,
    check_answer,
    floor_call,
)

#: The scenarios counted (the WSGI one is a wall-clock matter: ``run.py``).
COUNTED = ("plain", "safe", "subscribe")
CONTENDERS = ("ours", "ours+dedup", "WeRoBot", "wechatpy", "floor")
#: Minimum WeRoBot/ours instruction ratio per scenario (issue 14), DEDUP off and on.
TARGETS = {"plain": 3.0, "safe": 2.5, "subscribe": 3.0}

Call = Callable[[dict[str, str], bytes], Answer]
_BASES: dict[str, str] = {}


# -- the requests ---------------------------------------------------------------------------


def _variant(scenario: Scenario, number: int) -> Scenario:
    """``scenario`` with its own MsgId (or CreateTime), re-encrypted in safe mode."""
    base = _BASES[scenario.key]
    if "<MsgId>" in base:
        text = re.sub(r"<MsgId>\d+</MsgId>", f"<MsgId>{7000000000 + number}</MsgId>", base)
    else:
        text = re.sub(
            r"<CreateTime>\d+</CreateTime>", f"<CreateTime>{1700000000 + number}</CreateTime>", base
        )
    if not scenario.encrypted:  # the signature does not cover the body
        return dataclasses.replace(scenario, body=text.encode("utf-8"))
    from werobot_core.crypto import MessageCrypt
    from werobot_core.testing import post_request

    crypto = MessageCrypt(TOKEN, ENCODING_AES_KEY, APP_ID)
    request = post_request(TOKEN, text, crypto=crypto, timestamp="1700000000", nonce="123456789")
    assert request.body is not None
    return dataclasses.replace(scenario, query=dict(request.query), body=request.body)


def _requests(scenario: Scenario, count: int) -> list[tuple[dict[str, str], bytes]]:
    from werobot_core.messages import SubscribeEvent, TextMessage
    from werobot_core.testing import make_xml

    text = make_xml(TextMessage, content="hello")
    _BASES.update(plain=text, safe=text, subscribe=make_xml(SubscribeEvent))
    found = []
    for number in range(count):
        variant = _variant(scenario, number)
        found.append((dict(variant.query), variant.body))
    return found


# -- the contenders -------------------------------------------------------------------------


def _ours(scenario: Scenario, dedup: bool) -> Call:
    from bench_ours import make_robot

    return ours_call(make_robot(encrypted=scenario.encrypted, dedup=dedup))


def ours_call(robot: BaseRoBot) -> Call:
    """What an adapter does with a request, for ``robot`` (one of ours)."""
    from werobot_core import WeChatRequest

    handle = robot.handle

    def call(query: dict[str, str], body: bytes) -> Answer:
        return handle(WeChatRequest("POST", query, body)).body

    return call


def _werobot(scenario: Scenario) -> Call:
    from bench_peers import _werobot_robot

    return werobot_call(_werobot_robot(scenario.encrypted))


def werobot_call(robot: Any) -> Call:
    """What WeRoBot's bottle view does with a request, for ``robot`` (a WeRoBot robot)."""

    def call(query: dict[str, str], body: bytes) -> Answer:
        get = query.get
        timestamp, nonce = get("timestamp", ""), get("nonce", "")
        if not robot.check_signature(timestamp, nonce, get("signature", "")):
            raise AssertionError("WeRoBot refused the signature")
        message = robot.parse_message(
            body, timestamp=timestamp, nonce=nonce, msg_signature=get("msg_signature", "")
        )
        reply: str = robot.get_encrypted_reply(message)
        return reply

    return call


def _wechatpy(scenario: Scenario) -> Call:
    from bench_peers import _answer
    from wechatpy import create_reply, parse_message
    from wechatpy.crypto import WeChatCrypto
    from wechatpy.utils import check_signature

    crypto = WeChatCrypto(TOKEN, ENCODING_AES_KEY, APP_ID) if scenario.encrypted else None

    def call(query: dict[str, str], body: bytes) -> Answer:
        get = query.get
        timestamp, nonce = get("timestamp", ""), get("nonce", "")
        check_signature(TOKEN, get("signature", ""), timestamp, nonce)
        xml = (
            body
            if crypto is None
            else crypto.decrypt_message(body, get("msg_signature", ""), timestamp, nonce)
        )
        message = parse_message(xml)
        rendered: str = create_reply(_answer(message), message).render()
        if crypto is not None:
            rendered = crypto.encrypt_message(rendered, nonce, timestamp)
        return rendered

    return call


def _contender(name: str, scenario: Scenario) -> Call:
    if name in ("ours", "ours+dedup"):
        return _ours(scenario, dedup=name == "ours+dedup")
    if name == "WeRoBot":
        return _werobot(scenario)
    if name == "wechatpy":
        return _wechatpy(scenario)
    return floor_call(scenario)


def child(name: str, key: str, total: int, loops: int) -> None:
    """Build ``name``'s contender and ``total`` + 1 requests; answer one, then ``loops``."""
    scenario = build_scenarios()[key]
    call = _contender(name, scenario)
    requests = _requests(scenario, total + 1)
    query, body = requests[total]
    check_answer(scenario, call(query, body))
    for query, body in requests[:loops]:
        call(query, body)


# -- the parent -----------------------------------------------------------------------------

_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def cachegrind(script: Path, *args: str) -> int:
    """The instructions ``python script args...`` runs under cachegrind (hash seed fixed)."""
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    command += [sys.executable, str(script), *args]
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    found = _REFS.search(done.stderr)
    if done.returncode or found is None:
        raise RuntimeError(f"{script.name} {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return int(found.group(1).replace(",", ""))


def per_round_trip(script: Path, total: int, *args: str) -> float:
    """(a loop of ``total`` - a loop of none) / ``total``: ``script args... LOOPS``."""
    loop, none = (cachegrind(script, *args, str(loops)) for loops in (total, 0))
    return (loop - none) / total


def _per_request(name: str, key: str, total: int) -> float:
    script = Path(__file__).resolve()
    return per_round_trip(script, total, "--child", name, key, str(total))


def _available(name: str) -> bool:
    module = {"WeRoBot": "werobot", "wechatpy": "wechatpy"}.get(name)
    if module is None:
        return True
    import importlib.util

    return importlib.util.find_spec(module) is not None


def _ratio(x: float | None, y: float | None) -> float | None:
    return None if x is None or y is None else x / y


def _table(results: dict[tuple[str, str], float], keys: Sequence[str]) -> tuple[str, list[str]]:
    header = ["scenario", *(f"{c} k" for c in CONTENDERS), "WeRoBot/ours", "/ours+dedup"]
    header += ["wechatpy/ours", "ours/floor", "target"]
    rows, missed = [header], []
    titles = build_scenarios()
    for key in keys:
        cell = {c: results.get((c, key)) for c in CONTENDERS}
        row = [titles[key].title]
        row += ["n/a" if v is None else f"{v / 1000:.1f}" for v in cell.values()]

        pairs = [("WeRoBot", "ours"), ("WeRoBot", "ours+dedup"), ("wechatpy", "ours")]
        pairs.append(("ours", "floor"))
        ratios = [_ratio(cell[a], cell[b]) for a, b in pairs]
        row += ["n/a" if r is None else f"{r:.2f}x" for r in ratios]
        target = TARGETS[key]
        met = all(r is not None and r >= target for r in ratios[:2])
        row.append(f">= {target}x: {'met' if met else 'MISSED'}")
        if not met:
            missed.append(key)
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [c.rjust(w) for c, w in zip(row[1:-1], widths[1:-1], strict=True)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines), missed


def main(argv: Sequence[str] | None = None) -> int:
    """Count every contender on every scenario and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="round trips per loop")
    parser.add_argument("--only", action="append", choices=COUNTED, help="scenario to count")
    parser.add_argument("--contender", action="append", choices=CONTENDERS)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--child", nargs=4, metavar=("NAME", "KEY", "TOTAL", "LOOPS"))
    args = parser.parse_args(argv)
    if args.child:
        name, key, total, loops = args.child
        child(name, key, int(total), int(loops))
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    keys = args.only or list(COUNTED)
    names = [c for c in args.contender or CONTENDERS if _available(c)]
    jobs = [(c, k) for k in keys for c in names]
    print(f"{len(jobs)} counts of {args.n} round trips under cachegrind", file=sys.stderr)
    results: dict[tuple[str, str], float] = {}
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        futures: dict[Any, tuple[str, str]] = {
            pool.submit(_per_request, c, k, args.n): (c, k) for c, k in jobs
        }
        for future in concurrent.futures.as_completed(futures):
            results[futures[future]] = future.result()
            name, key = futures[future]
            print(f"  {key}/{name}: {results[name, key]:,.0f}", file=sys.stderr, flush=True)
    table, missed = _table(results, keys)
    print("instructions per round trip, in thousands (cachegrind, loop of N minus none)")
    print(table)
    return 1 if missed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
