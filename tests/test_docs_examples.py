"""Every docs example runs, and every page that declares an example shows it verbatim.

Convention: a Markdown page under ``docs/`` declares its example with a link to it, placed
before the page's first fenced ``python`` block, relative to the page::

    The example below is [docs/examples/quickstart.py](examples/quickstart.py):

(``../examples/quickstart.py`` from ``docs/zh/``). The first ``python`` block must then be
exactly that file's text, so the code a reader sees is the code the suite runs. Every
``docs/examples/*.py`` is run as a script, in an empty working directory.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
EXAMPLES = sorted((DOCS / "examples").glob("*.py"))
PAGES = sorted(DOCS.rglob("*.md"))

_DECLARATION = re.compile(r"\]\(((?:\.\./)*examples/[\w-]+\.py)\)")
_FIRST_PYTHON_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)

#: The pages that must open with their example (others opt in with the declaration).
REQUIRED = {
    "quickstart.md": "quickstart.py",
    "handlers.md": "handlers.py",
    "replies.md": "replies.py",
    "testing.md": "testing.py",
    "config.md": "config.py",
    "migration.md": "migration.py",
    "zh/quickstart.md": "quickstart.py",
    "zh/migration.md": "migration.py",
}


def _declared(page: Path) -> Path | None:
    """The example a page links to before its first python block, if any."""
    text = page.read_text(encoding="utf-8")
    block = _FIRST_PYTHON_BLOCK.search(text)
    found = _DECLARATION.search(text, 0, len(text) if block is None else block.start())
    return None if found is None else (page.parent / found.group(1)).resolve()


DECLARING = [page for page in PAGES if _declared(page) is not None]


def _name(path: Path) -> str:
    return path.relative_to(DOCS).as_posix()


@pytest.mark.parametrize("example", EXAMPLES, ids=_name)
def test_example_runs(example: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(example)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, f"{_name(example)} failed:\n{done.stdout}\n{done.stderr}"


@pytest.mark.parametrize("page", DECLARING, ids=_name)
def test_page_shows_its_example(page: Path) -> None:
    example = _declared(page)
    assert example is not None
    assert example.is_file(), f"{_name(page)} declares a missing example {example}"
    block = _FIRST_PYTHON_BLOCK.search(page.read_text(encoding="utf-8"))
    assert block is not None, f"{_name(page)} has no ```python block"
    assert block.group(1) == example.read_text(encoding="utf-8"), (
        f"the first python block of {_name(page)} differs from {_name(example)}"
    )


@pytest.mark.parametrize(("page", "example"), sorted(REQUIRED.items()))
def test_required_pages_declare_their_example(page: str, example: str) -> None:
    path = DOCS / page
    assert path.is_file(), f"docs/{page} is missing"
    assert _declared(path) == (DOCS / "examples" / example).resolve()


def test_every_example_is_found() -> None:
    # The glob really sees the examples (an empty parametrization would pass silently).
    names = {path.name for path in EXAMPLES}
    assert set(REQUIRED.values()) <= names
