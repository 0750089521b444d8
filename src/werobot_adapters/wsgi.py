"""WSGI: ``make_app(robot)`` is ``robot.wsgi``, servable by any WSGI server.

::

    from werobot_adapters.wsgi import make_app

    application = make_app(robot)  # gunicorn module:application, waitress-serve, uWSGI...
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

__all__ = ["make_app"]


class _HasWsgi(Protocol):
    @property
    def wsgi(self) -> WSGIApplication: ...


def make_app(robot: _HasWsgi) -> WSGIApplication:
    """The robot's WSGI application, serving it on every path (``robot.wsgi``)."""
    return robot.wsgi
