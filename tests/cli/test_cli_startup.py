"""Startup of ``werobot`` (issue 14): ``--help`` imports no model, HTTP client or crypto.

Typer reads every command's signature when the app is built, so a heavy import at the top
of any command module slows down every ``werobot`` call. The commands import what they
use when they run; these tests pin the set of modules the help loads (no wall-clock
assertions: the set of imports is what makes the time).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

import werobot_cli
from werobot_cli.services import Services

#: What ``werobot --help`` must not import: pydantic models, the HTTP stack, the API
#: client, the crypto of safe mode, and an event loop.
NOT_FOR_HELP = (
    "pydantic",
    "httpx",
    "werobot_client",
    "werobot_core.messages",
    "werobot_core.replies",
    "werobot_core.crypto",
    "werobot_core.testing",
    "cryptography",
    "asyncio",
    "werobot_cli.wire",
    "werobot_cli.render",
    "werobot_cli.roundtrips",
    "werobot_cli.modeltable",
    "werobot_cli.simulator",
)

#: Typer itself imports pydantic to convert a command's parameters (``typer._adapters``),
#: so a command's help may load pydantic, and nothing else of the list.
TYPERS_OWN = frozenset({"pydantic"})

COMMANDS = (
    ["run"],
    ["simulate"],
    ["chat"],
    ["simulator"],
    ["check"],
    ["events"],
    ["menu"],
    ["menu", "push"],
    ["menu", "pull"],
    ["token"],
)

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from typer.testing import CliRunner
    from werobot_cli.main import app

    args = json.loads(sys.argv[1])
    result = CliRunner().invoke(app, [*args, "--help"])
    print(json.dumps({"code": result.exit_code, "output": result.output,
                      "modules": sorted(sys.modules)}))
    """
)


def _help(args: list[str]) -> tuple[str, set[str]]:
    """The help of ``werobot ARGS --help`` in a fresh interpreter, and its modules."""
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(args)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    answer = json.loads(done.stdout)
    assert answer["code"] == 0, answer["output"]
    return answer["output"], set(answer["modules"])


def test_the_help_imports_nothing_heavy() -> None:
    output, modules = _help([])
    for command in ("run", "simulate", "chat", "simulator", "check", "events", "menu", "token"):
        assert command in output
    assert sorted(modules.intersection(NOT_FOR_HELP)) == []


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_commands_help_imports_nothing_heavy(args: list[str]) -> None:
    output, modules = _help(args)
    assert "Usage:" in output
    assert sorted(modules.intersection(NOT_FOR_HELP) - TYPERS_OWN) == []


def test_python_m_werobot_cli_answers_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "werobot_cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "simulate" in done.stdout


def test_services_is_still_a_package_attribute() -> None:
    assert werobot_cli.Services is Services
    assert "Services" in werobot_cli.__all__
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = werobot_cli.no_such_name
