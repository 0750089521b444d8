"""gunicorn's threaded worker, without its hang on Ctrl-C.

gunicorn's ``gthread`` worker (what ``--threads N`` selects) answers SIGINT and SIGQUIT by
shutting its thread pool down inside the signal handler. When the signal lands while the
worker's main thread is inside ``ThreadPoolExecutor.submit`` (handing a new connection to the
pool), that thread already holds the pool's lock, the handler waits for it forever
(CPython issue 121649), and the arbiter kills the worker only after ``graceful_timeout``
(30 s by default). :class:`ThreadWorker` leaves the pool alone and exits at once: the
interpreter's own exit handler stops the pool's idle threads.

``robot.run(server="gunicorn")`` uses it; a gunicorn command line asks for it with
``-k werobot_core.gunicorn_worker.ThreadWorker``. Importing this module imports gunicorn.
"""

from __future__ import annotations

from types import FrameType

from gunicorn.workers.base import Worker
from gunicorn.workers.gthread import ThreadWorker as _GunicornThreadWorker

__all__ = ["ThreadWorker"]


class ThreadWorker(_GunicornThreadWorker):  # type: ignore[misc]  # gunicorn has no type hints
    """gunicorn's ``gthread`` worker whose quick shutdown cannot deadlock."""

    def handle_quit(self, sig: int, frame: FrameType | None) -> None:
        """Stop at once, as every gunicorn worker does, without touching the thread pool."""
        Worker.handle_quit(self, sig, frame)
