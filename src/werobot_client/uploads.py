"""Multipart file parts, named the way WeChat reads them.

WeChat types an upload by its file name's extension and rejects raw non-ASCII names, so the
part is named ``urllib.parse.quote(os.path.basename(name))``. A file object without a usable
``.name`` is sent as ``media``; ``(filename, fileobj)`` names it explicitly. Quoting is
idempotent: a name that is already quoted (as WeRoBot's ``post`` passed them) stays as is.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Mapping
from typing import IO, Any

from werobot_client.call import FilePart

__all__ = ["MediaInput", "file_part", "named_files"]

#: What an upload accepts: a binary file object, or ``(filename, file object or bytes)``.
MediaInput = IO[bytes] | tuple[str, IO[bytes] | bytes]

_DEFAULT_NAME = "media"


def _wire_name(name: object) -> str:
    if isinstance(name, (str, bytes, os.PathLike)):
        base = os.path.basename(os.fsdecode(name))
        if base:
            return urllib.parse.quote(urllib.parse.unquote(base))
    return _DEFAULT_NAME


def file_part(media: MediaInput) -> FilePart:
    """The ``(filename, content)`` multipart part for ``media``."""
    if isinstance(media, tuple):
        name, content = media
        return _wire_name(name), content
    return _wire_name(getattr(media, "name", None)), media


def named_files(files: Mapping[str, Any]) -> dict[str, Any]:
    """``files`` with each named file object as ``(quoted name, file)``, as WeRoBot's ``post``
    passed them on to ``request`` (where ``file_part`` keeps the base name)."""
    named: dict[str, Any] = {}
    for key, media in files.items():
        name = getattr(media, "name", None)
        if isinstance(name, (str, bytes, os.PathLike)):
            media = (urllib.parse.quote(os.fsdecode(name)), media)
        named[key] = media
    return named
