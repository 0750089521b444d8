"""The docs site builds with ``mkdocs build --strict``, with its generated model reference."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from werobot_cli.modeltable import attribute_docs, models_markdown
from werobot_cli.pushes import KINDS
from werobot_core.messages import MESSAGE_TYPES

REPO = Path(__file__).resolve().parents[2]


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    site = tmp_path / "site"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    models = (site / "reference" / "models" / "index.html").read_text(encoding="utf-8")
    for cls in MESSAGE_TYPES:
        assert f'id="{cls.__name__.lower()}"' in models, cls.__name__
    core = (site / "reference" / "core" / "index.html").read_text(encoding="utf-8")
    assert "werobot_core.robot.WeRoBot" in core  # the API reference comes from docstrings
    for page in ("cli", "simulator", "deployment"):
        assert (site / page / "index.html").is_file()


def test_the_model_page_follows_the_model_table() -> None:
    text = models_markdown()
    assert f"({len(MESSAGE_TYPES)} classes)" in text
    assert "| `location_x` | `SendLocationInfo/Location_X` | float or None |" in text
    assert "| `message_id` | `MsgId or MsgID` | int |" in text
    assert "`@robot.location_event`" in text
    # the meaning column is the docstring under each field, inherited ones included
    assert "| `message_id` | `MsgId or MsgID` | int | ``MsgId`` (``MsgID`` on events)" in text
    assert "| `ticket` | `Ticket` | str or None | The QR code's ticket, when the" in text


def test_a_field_declared_again_keeps_only_its_own_docstring() -> None:
    class Base:
        first: int
        """The first."""
        second: int
        """The second."""

    class Child(Base):
        second: int
        third: int = 3
        """The third."""

    assert attribute_docs(Child) == {"first": "The first.", "third": "The third."}


def test_the_cli_page_documents_every_push_kind() -> None:
    page = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for kind in [*KINDS, "xml"]:
        assert f"`{kind} " in page or f"`{kind}`" in page, kind
