"""Run WeRoBot 1.13.1's own test suite against this project, through an import rename.

This file is copied next to WeRoBot's ``tests/`` folder by ``compat/werobot_suite/run.py``
(which downloads WeRoBot's source distribution from PyPI; none of WeRoBot's code is kept in
this repository). It does what a migrating user does by hand:

- ``werobot`` → ``werobot_core``, ``werobot.contrib.X`` → ``werobot_adapters.X`` and
  ``werobot.client`` → ``werobot_client``, as an import hook, so ``import werobot.utils``
  and ``from werobot.session import redisstorage`` resolve to this project's modules;
- the suite's ``responses`` mocks (which patch ``requests``) see the exact request our
  httpx-based client sends: an httpx transport hands each request to a ``requests`` session
  and turns the answer back into an ``httpx.Response``;
- two names that third-party packages removed since WeRoBot's tests were written are put
  back (``multipart.tob``, Django's ``django.conf.urls.url``); neither touches this project.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from types import ModuleType
from typing import Any

import httpx

#: WeRoBot's module prefix → this project's, first match wins.
_RENAMES = (
    ("werobot.contrib", "werobot_adapters"),
    ("werobot.client", "werobot_client"),
    ("werobot", "werobot_core"),
)


def _target(name: str) -> str | None:
    for old, new in _RENAMES:
        if name == old or name.startswith(old + "."):
            return new + name[len(old) :]
    return None


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(self.target)

    def exec_module(self, module: ModuleType) -> None:
        """The target module is already executed."""


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Any = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        new = _target(fullname)
        if new is None or importlib.util.find_spec(new) is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(new), is_package=True)


sys.meta_path.insert(0, _AliasFinder())


class _RequestsBridge(httpx.BaseTransport):
    """Send httpx's request through ``requests`` (so that ``responses`` sees it)."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        import requests

        prepared = requests.Request(
            method=request.method,
            url=str(request.url),
            headers=dict(request.headers),
            data=request.read(),
        ).prepare()
        with requests.Session() as session:
            answer = session.send(prepared)
        return httpx.Response(
            answer.status_code,
            headers=dict(answer.headers),
            content=answer.content,
            request=request,
        )


_original_init = httpx.Client.__init__


def _bridged_init(self: httpx.Client, *args: Any, **kwargs: Any) -> None:
    kwargs.setdefault("transport", _RequestsBridge())
    _original_init(self, *args, **kwargs)


httpx.Client.__init__ = _bridged_init  # type: ignore[method-assign]


def _restore_removed_third_party_names() -> None:
    import multipart

    if not hasattr(multipart, "tob"):
        multipart.tob = multipart.to_bytes
    import django.conf.urls  # type: ignore[import-untyped]
    from django.urls import re_path  # type: ignore[import-untyped]

    if not hasattr(django.conf.urls, "url"):
        django.conf.urls.url = re_path


_restore_removed_third_party_names()
