"""HTTP benchmark: our robot's WSGI app under gunicorn against a floor app (``make bench-http``).

    python bench/http_bench.py            # warm-up, then 5 interleaved repetitions (~1.5 min)
    python bench/http_bench.py --quick    # 2 short repetitions, a smoke test
    python bench/http_bench.py --check    # exit 1 when ours is more than 10% below the floor
    python bench/http_bench.py --werobot  # also WeRoBot 1.13.1's bottle app, for reference

Issue 14: "the HTTP benchmark (gunicorn, 2 sync workers, wrk) is within 10% of the floor
app". Each app (``bench/http_apps.py``) is served by its own gunicorn (``--workers 2
--worker-class sync``, 127.0.0.1, a free port; one gunicorn at a time), checked once with
urllib for a reply carrying ``Hello World!``, warmed up, then loaded by ``wrk --latency`` with a
Lua script (written to a temporary directory) that POSTs a signed plaintext text message,
``Content-Type: text/xml``, each with its own ``MsgId`` (a prefix per run, the wrk thread id
and a per-thread counter), so our default ``DEDUP`` sees every push as new.

A run is bounded by its request count: when the first wrk thread has had its share of the
answers (requests / threads), it says so on stdout and this script sends wrk SIGINT; wrk stops
every thread within 100 ms and reports the requests completed and the time up to then (both
count the same interval; ``-d`` only caps a run that never gets there). The threads are not
stopped with ``wrk.thread:stop()``: a stopped thread leaves its connections open, and
gunicorn's sync worker (``util.close_graceful``, since gunicorn 23) waits up to 2 s for the
client to close each one, which stalls the other thread's run by 2 s or more.

Every response is checked in Lua (2xx and the reply text); a run with a non-2xx answer, a
wrong body or a socket error fails the benchmark. The apps are interleaved (ours, floor,
ours, floor, ...), each repetition on a freshly started gunicorn; the result is the median of
the per-repetition ratios ours/floor. The CPU time the two workers used (``/proc``
schedstat) is reported per request as well: on a small machine wrk takes a share of the
same cores, and CPU per request moves less with load than requests per second.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_cases import HELLO, TOKEN, build_scenarios, check_answer  # noqa: E402

#: The apps (factories in ``http_apps``) in table order; "WeRoBot" only with ``--werobot``.
APPS = {"ours": "ours", "floor": "floor", "WeRoBot": "werobot"}
#: The module gunicorn loads them from (on ``--pythonpath bench``).
APP_MODULE = "http_apps"
WORKERS = 2
#: ours/floor below this fails ``--check`` (issue 14: within 10% of the floor).
TARGET = 0.90

_LUA = """\
-- written by bench/http_bench.py: a signed plaintext text message, one MsgId per request
local body_head = {head}
local body_tail = {tail}
local expected = {expected}
local threads = {{}}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

local limit, prefix, path, counter = 0, "", "/", 0
seen, bad_status, bad_body = 0, 0, 0

function init(args)
   limit = tonumber(args[1])
   prefix = args[2] .. tostring(id)
   path = args[3]
   wrk.headers["Content-Type"] = "text/xml"
end

function request()
   counter = counter + 1
   local body = body_head .. prefix .. string.format("%09d", counter) .. body_tail
   return wrk.format("POST", path, nil, body)
end

function response(status, headers, body)
   seen = seen + 1
   if status < 200 or status > 299 then
      bad_status = bad_status + 1
   elseif not string.find(body, expected, 1, true) then
      bad_body = bad_body + 1
   end
   if seen == limit then  -- not wrk.thread:stop(): see the module's docstring
      io.stdout:write("REACHED ", id, "\\n")
      io.stdout:flush()
   end
end

function done(summary, latency, requests)
   local bad_s, bad_b = 0, 0
   for _, t in ipairs(threads) do
      bad_s = bad_s + t:get("bad_status")
      bad_b = bad_b + t:get("bad_body")
   end
   local e = summary.errors
   io.stdout:write(string.format(
      'RESULT {{"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, '
      .. '"status": %d, "timeout": %d, "bad_status": %d, "bad_body": %d, "p50_us": %d, '
      .. '"p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}}\\n',
      summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
      bad_s, bad_b, latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.max, latency.mean))
   io.stdout:flush()
end
"""


@dataclass(frozen=True)
class Run:
    """One wrk run against one gunicorn."""

    app: str
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    errors: dict[str, int]
    #: CPU seconds the gunicorn workers used during the run (None without /proc).
    worker_cpu: float | None
    capped: bool

    @property
    def rate(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds

    @property
    def cpu_us(self) -> float | None:
        """Worker CPU microseconds per request."""
        return None if self.worker_cpu is None else self.worker_cpu / self.requests * 1e6


# -- the load -------------------------------------------------------------------------------


def _lua_string(text: str) -> str:
    if not text.isascii() or any(c in text for c in '\\\n\r"'):
        raise ValueError(f"not a plain ASCII Lua string: {text!r}")
    return f'"{text}"'


def _write_script(directory: Path) -> Path:
    """The wrk script: the body around its MsgId comes from our test helper's text message."""
    body = build_scenarios()["plain"].body.decode("ascii")
    found = re.search(r"<MsgId>\d+</MsgId>", body)
    assert found is not None, body
    head, tail = body[: found.start() + len("<MsgId>")], body[found.end() - len("</MsgId>") :]
    script = directory / "push.lua"
    text = _LUA.format(head=_lua_string(head), tail=_lua_string(tail), expected=_lua_string(HELLO))
    script.write_text(text, encoding="ascii")
    return script


def _signed_path() -> str:
    """``/?signature=...&timestamp=...&nonce=...`` for now (the signature covers no body)."""
    timestamp, nonce = str(int(time.time())), str(int.from_bytes(os.urandom(4), "big"))
    signature = hashlib.sha1("".join(sorted((TOKEN, timestamp, nonce))).encode()).hexdigest()
    return f"/?signature={signature}&timestamp={timestamp}&nonce={nonce}"


def _schedstat_seconds(pid: int) -> float:
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            total += int((task / "schedstat").read_text().split()[0])
    return total / 1e9


def _worker_pids(arbiter: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == arbiter:
                    found.append(int(entry.name))
    return found


def _worker_cpu(arbiter: int) -> float | None:
    """CPU seconds used so far by the workers of ``arbiter`` (None where /proc lacks it)."""
    try:
        return sum(_schedstat_seconds(pid) for pid in _worker_pids(arbiter))
    except OSError:
        return None


def _wrk(
    port: int, script: Path, requests: int, threads: int, connections: int, prefix: str
) -> tuple[dict[str, float], bool]:
    """Run wrk until a thread has had ``requests // threads`` answers; its RESULT, capped."""
    cap = max(30, requests // 200)  # seconds: far above any normal run
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{cap}s", "--latency"]
    command += ["-s", str(script), f"http://127.0.0.1:{port}/"]
    command += ["--", str(requests // threads), prefix, _signed_path()]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    lines, interrupted = [], False
    try:
        for line in process.stdout:
            lines.append(line)
            if line.startswith("REACHED") and not interrupted:
                process.send_signal(signal.SIGINT)
                interrupted = True
    except BaseException:  # Ctrl-C here: wrk goes too
        process.kill()
        raise
    finally:
        process.wait()
    if process.returncode != 0:
        raise RuntimeError(f"wrk exited with {process.returncode}:\n{''.join(lines)}")
    results = [line.split(" ", 1)[1] for line in lines if line.startswith("RESULT ")]
    if not results:
        raise RuntimeError(f"wrk printed no result:\n{''.join(lines)}")
    found: dict[str, float] = json.loads(results[-1])
    return found, not interrupted


# -- gunicorn -------------------------------------------------------------------------------


@dataclass
class Server:
    """A running gunicorn: its port, the arbiter's pid and its log so far."""

    port: int
    pid: int
    log: IO[str]

    def output(self) -> str:
        """What gunicorn has written so far (its errors, with ``--log-level warning``)."""
        self.log.flush()
        self.log.seek(0)
        return self.log.read()


@contextlib.contextmanager
def _gunicorn(factory: str) -> Iterator[Server]:
    """Serve ``APP_MODULE:factory()`` with 2 sync workers on 127.0.0.1 and a free port.

    The listening socket is bound here and handed over (``--bind fd://N``): no other process
    can take the port between choosing it and gunicorn binding it, and connections queue in
    its backlog from the start, so gunicorn is ready when a worker has answered (the check).
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(2048)
    listener.set_inheritable(True)
    port: int = listener.getsockname()[1]
    command = [sys.executable, "-m", "gunicorn", "--pythonpath", str(HERE)]
    command += ["--workers", str(WORKERS), "--worker-class", "sync"]
    command += ["--bind", f"fd://{listener.fileno()}", "--no-control-socket"]
    command += ["--log-level", "warning", f"{APP_MODULE}:{factory}()"]
    with tempfile.TemporaryFile("w+") as log:
        with listener:
            process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, pass_fds=(listener.fileno(),)
            )
        server = Server(port, process.pid, log)
        try:
            yield server
        finally:
            process.send_signal(signal.SIGTERM)  # graceful: the workers finish and exit
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.returncode not in (0, -signal.SIGTERM):
            raise RuntimeError(f"gunicorn ended with {process.returncode}:\n{server.output()}")


def _check_reply(server: Server, msg_id: str) -> None:
    """One request through urllib: the app must answer 200 with HELLO to test_user."""
    scenario = build_scenarios()["plain"]
    body = re.sub(rb"<MsgId>\d+</MsgId>", f"<MsgId>{msg_id}</MsgId>".encode(), scenario.body)
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}{_signed_path()}",
        data=body,
        headers={"Content-Type": "text/xml"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            check_answer(scenario, answer.read())
    except (OSError, AssertionError) as error:  # HTTPError is an OSError
        raise RuntimeError(f"bad answer ({error!r}); gunicorn:\n{server.output()}") from error


_ERRORS = ("connect", "read", "write", "timeout", "status", "bad_status", "bad_body")


def measure(
    app: str, number: int, requests: int, warmup: int, threads: int, connections: int
) -> Run:
    """Start gunicorn for ``app``, check it, warm it up, time ``requests`` requests.

    ``number`` makes the run's MsgIds its own. The errors counted are the timed run's and
    the warm-up's (socket errors, non-2xx, bodies without the reply text).
    """
    errors = dict.fromkeys(_ERRORS, 0)
    with tempfile.TemporaryDirectory() as directory, _gunicorn(APPS[app]) as server:
        script = _write_script(Path(directory))
        _check_reply(server, f"1{number:03d}000000000")
        port = server.port
        if warmup:
            found, _ = _wrk(port, script, warmup, threads, connections, f"2{number:03d}")
            errors = {k: errors[k] + int(found[k]) for k in _ERRORS}
        before = _worker_cpu(server.pid)
        found, capped = _wrk(port, script, requests, threads, connections, f"3{number:03d}")
        after = _worker_cpu(server.pid)
    errors = {k: errors[k] + int(found[k]) for k in _ERRORS}
    return Run(
        app=app,
        requests=int(found["requests"]),
        seconds=found["duration_us"] / 1e6,
        p50_ms=found["p50_us"] / 1000,
        p90_ms=found["p90_us"] / 1000,
        p99_ms=found["p99_us"] / 1000,
        errors=errors,
        worker_cpu=None if before is None or after is None else after - before,
        capped=capped,
    )


# -- the report -----------------------------------------------------------------------------


def _spread(values: Sequence[float]) -> str:
    """min-max around the median, in percent of the median."""
    middle = statistics.median(values)
    return f"{(min(values) / middle - 1):+.1%} / {(max(values) / middle - 1):+.1%}"


def _markdown(rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def _cpu(run: Run) -> str:
    return "n/a" if run.cpu_us is None else f"{run.cpu_us:.0f}"


def report(reps: list[dict[str, Run]], apps: Sequence[str]) -> tuple[str, float]:
    """The per-repetition table and the summary table; the median ratio ours/floor."""
    rows = [["rep", "app", "req/s", "p50 ms", "p99 ms", "worker CPU us/req", "/floor"]]
    for number, rep in enumerate(reps, 1):
        for app in apps:
            run = rep[app]
            share = "" if app == "floor" else f"{run.rate / rep['floor'].rate:.3f}"
            cells = [f"{run.rate:,.0f}", f"{run.p50_ms:.2f}", f"{run.p99_ms:.2f}", _cpu(run)]
            rows.append([str(number), app, *cells, share])
    summary = [
        ["app", "median req/s", "spread (min/max)", "p50 ms", "p99 ms", "worker CPU us/req"],
    ]
    for app in apps:
        runs = [rep[app] for rep in reps]
        rates = [r.rate for r in runs]
        cpus = [r.cpu_us for r in runs if r.cpu_us is not None]
        summary.append(
            [
                app,
                f"{statistics.median(rates):,.0f}",
                _spread(rates),
                f"{statistics.median(r.p50_ms for r in runs):.2f}",
                f"{statistics.median(r.p99_ms for r in runs):.2f}",
                f"{statistics.median(cpus):.0f}" if cpus else "n/a",
            ]
        )
    ratios = [rep["ours"].rate / rep["floor"].rate for rep in reps]
    ratio = statistics.median(ratios)
    lines = [_markdown(rows), "", _markdown(summary), ""]
    lines.append(
        f"ours/floor: median of per-repetition ratios {ratio:.3f} "
        f"(reps: {', '.join(f'{r:.3f}' for r in ratios)}; spread {_spread(ratios)})"
    )
    cpu_ratios = [
        f.cpu_us / o.cpu_us
        for o, f in ((rep["ours"], rep["floor"]) for rep in reps)
        if o.cpu_us and f.cpu_us
    ]
    if cpu_ratios:
        lines.append(
            f"floor/ours worker CPU per request: median {statistics.median(cpu_ratios):.3f} "
            f"(reps: {', '.join(f'{r:.3f}' for r in cpu_ratios)})"
        )
    if "WeRoBot" in apps:
        werobot = statistics.median(rep["ours"].rate / rep["WeRoBot"].rate for rep in reps)
        lines.append(f"ours/WeRoBot (reference): median {werobot:.2f}x")
    return "\n".join(lines), ratio


def _git_head() -> str:
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=HERE,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    return "unknown"


def _failures(run: Run) -> list[str]:
    problems = [f"{k} {v}" for k, v in run.errors.items() if v]
    if run.capped:
        problems.append("hit the -d cap before the request count")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, print the tables; the exit status for ``make``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=None, help="repetitions (default 5)")
    parser.add_argument("--requests", type=int, default=None, help="per run (default 20000)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--quick", action="store_true", help="2 short repetitions")
    parser.add_argument("--werobot", action="store_true", help="also WeRoBot's bottle app")
    parser.add_argument("--check", action="store_true", help="exit 1 when ours/floor < 0.90")
    args = parser.parse_args(argv)
    reps = args.reps or (2 if args.quick else 5)
    requests = args.requests or (3000 if args.quick else 20000)
    warmup = max(requests // 20, 200 * args.threads)
    if shutil.which("wrk") is None:
        print("wrk is not on PATH: install it (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    if importlib.util.find_spec("gunicorn") is None:
        print(f"gunicorn is not installed for {sys.executable}", file=sys.stderr)
        print("(pip install -e '.[gunicorn]', or `make install`)", file=sys.stderr)
        return 2
    apps = ["ours", "floor"] + (["WeRoBot"] if args.werobot else [])
    head = _git_head()
    import werobot_core

    print(f"werobot_core from {Path(werobot_core.__file__).parent}")
    print(
        f"{datetime.date.today()} commit {head}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; gunicorn "
        f"{WORKERS} sync workers; wrk -t{args.threads} -c{args.connections}; {reps} reps of "
        f"{requests} requests per app (each on a fresh gunicorn after {warmup} warm-up ones)",
        flush=True,
    )
    problems = []
    for number, app in enumerate(apps):  # the warm-up run of each app (not reported)
        run = measure(app, 900 + number, requests // 4, warmup, args.threads, args.connections)
        problems += [f"warm-up {app}: {p}" for p in _failures(run)]
    results: list[dict[str, Run]] = []
    for rep in range(reps):
        found: dict[str, Run] = {}
        for number, app in enumerate(apps):
            run = measure(app, rep * 10 + number, requests, warmup, args.threads, args.connections)
            found[app] = run
            problems += [f"rep {rep + 1} {app}: {p}" for p in _failures(run)]
            print(
                f"  rep {rep + 1} {app:>7}: {run.rate:8,.0f} req/s  p50 {run.p50_ms:.2f} ms  "
                f"p99 {run.p99_ms:.2f} ms  worker CPU {_cpu(run)} us/req",
                flush=True,
            )
        results.append(found)
    table, ratio = report(results, apps)
    print(f"\nload average after: {os.getloadavg()[0]:.2f}\n")
    print(table)
    if problems:
        print("\nFAILED runs (errors, non-2xx or wrong answers):", *problems, sep="\n  ")
        return 1
    answered = sum(run.requests for rep in results for run in rep.values())
    print(
        f"\nerrors: none ({answered} timed responses, and the warm-ups': 0 socket errors, "
        "0 non-2xx, 0 bodies without the reply text)"
    )
    print(f"issue 14 target: ours/floor >= {TARGET:.2f}: {'met' if ratio >= TARGET else 'MISSED'}")
    return 1 if args.check and ratio < TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
