"""``werobot_core.gunicorn_worker``: a quick shutdown that lands inside the pool's ``submit``.

gunicorn's own ``gthread`` worker hangs there until the arbiter kills it (30 s later); the
e2e test of ``robot.run(server="gunicorn")`` met that on a loaded machine about one Ctrl-C in
twenty. Here the signal is sent from inside ``submit`` on purpose, so the case is met on every
run.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from tests.adapters.contract import make_robot

from werobot_core.gunicorn_worker import ThreadWorker
from werobot_core.server import run

# Runs in its own process: the worker's signal handler ends that process with sys.exit(0).
SIGNAL_INSIDE_SUBMIT = textwrap.dedent(
    """
    import os, signal
    from gunicorn.config import Config
    from gunicorn.glogging import Logger
    from werobot_core.gunicorn_worker import ThreadWorker

    cfg = Config()
    cfg.set("threads", 2)
    worker = ThreadWorker(1, os.getppid(), [], None, 30, cfg, Logger(cfg))
    worker.tpool = worker.get_thread_pool()
    signal.signal(signal.SIGQUIT, worker.handle_quit)
    adjust = worker.tpool._adjust_thread_count

    def signal_while_submit_holds_the_lock():
        os.kill(os.getpid(), signal.SIGQUIT)  # its handler runs before this function returns
        adjust()

    worker.tpool._adjust_thread_count = signal_while_submit_holds_the_lock
    worker.tpool.submit(print, "a connection")
    print("the worker went on after SIGQUIT")
    """
)


def test_quit_inside_submit_exits_at_once() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SIGNAL_INSIDE_SUBMIT], capture_output=True, timeout=20
    )
    assert (done.returncode, done.stdout) == (0, b""), done.stderr.decode()


def test_run_serves_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from gunicorn.app.base import BaseApplication

    seen: list[tuple[object, int]] = []
    monkeypatch.setattr(
        BaseApplication, "run", lambda app: seen.append((app.cfg.worker_class, app.cfg.threads))
    )
    run(make_robot()[0], server="gunicorn", host="127.0.0.1", port=0, enable_pretty_logging=False)
    assert seen == [(ThreadWorker, 8)]
