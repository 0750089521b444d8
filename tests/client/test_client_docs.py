"""docs/client.md shows each area's example verbatim: the python block after each link to
``examples/*.py`` is that file's text (the suite runs every example as a script)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGE = DOCS / "client.md"
_LINK_THEN_BLOCK = re.compile(
    r"\]\((examples/[\w-]+\.py)\)[^`]*?^```python[ \t]*\n(.*?)^```[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
SHOWN = {m.group(1): m.group(2) for m in _LINK_THEN_BLOCK.finditer(PAGE.read_text("utf-8"))}

#: One example per area of issue 12, plus the page's opening examples.
AREAS = [
    "examples/client_oauth_flask.py",
    "examples/client_oauth_django.py",
    "examples/client_oauth_asgi.py",
    "examples/client_jssdk.py",
    "examples/client_publish.py",
    "examples/client_notify.py",
    "examples/client_kf.py",
    "examples/client_ops.py",
]


def test_every_area_has_an_example() -> None:
    assert set(AREAS) <= set(SHOWN)


@pytest.mark.parametrize("example", sorted(SHOWN))
def test_the_page_shows_the_example_verbatim(example: str) -> None:
    assert SHOWN[example] == (DOCS / example).read_text("utf-8"), example
