"""The WSGI apps ``bench/http_bench.py`` serves under gunicorn (``http_apps:ours()`` etc.).

Each is a factory gunicorn calls once per worker (``--pythonpath bench``), so a worker builds
only the app it serves.

* ``ours()``: ``robot.wsgi`` of the benchmark robot (``bench_ours.make_robot``, as
  ``bench/count.py``'s ``ours+dedup``): token only, ``SESSION_STORAGE=False``, and
  ``DEDUP`` at its default (on, the in-process store), so every request must carry its own
  ``MsgId``.
* ``floor()``: ``bench_cases.floor_call`` (what ``bench/count.py`` counts as the floor) for
  a plaintext text message (sha1 signature check, ``xml.etree`` parse, a dict of the
  children, an f-string reply), wrapped in the least WSGI there is: the query string parsed
  with ``urllib.parse``, the body read by ``Content-Length``, the same response headers as
  ours.
* ``werobot()``: WeRoBot 1.13.1's own bottle app (``werobot.WeRoBot(...).wsgi``), for
  reference (needs ``bench/requirements.txt``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from bench_cases import build_scenarios, floor_call

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["floor", "ours", "werobot"]

#: The response headers of every app here (ours sends these, and the floor copies them).
CONTENT_TYPE = "application/xml; charset=utf-8"


def ours() -> WSGIApplication:
    """Our robot's WSGI app: DEDUP on (the default), sessions off, HELLO to text."""
    from bench_ours import make_robot

    return make_robot(encrypted=False, dedup=True).wsgi


def floor() -> WSGIApplication:
    """The plaintext protocol with nothing but the standard library and no safety."""
    call = floor_call(build_scenarios()["plain"])

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        try:
            answer = call(query, body)
        except AssertionError:  # a bad signature
            start_response("403 Forbidden", [("Content-Length", "0")])
            return [b""]
        reply = answer.encode() if isinstance(answer, str) else answer
        start_response(
            "200 OK", [("Content-Type", CONTENT_TYPE), ("Content-Length", str(len(reply)))]
        )
        return [reply]

    return application


def werobot() -> WSGIApplication:
    """WeRoBot 1.13.1's bottle app with the same handlers (sessions off)."""
    from bench_peers import _werobot_robot

    robot: Any = _werobot_robot(False)
    app: WSGIApplication = robot.wsgi
    return app
