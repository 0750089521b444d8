"""The ``werobot`` command line (``[project.scripts] werobot = "werobot_cli.main:main"``)."""

from __future__ import annotations

import typer

from werobot_cli.commands.api import menu_app, token
from werobot_cli.commands.chat import chat
from werobot_cli.commands.check import check
from werobot_cli.commands.events import events
from werobot_cli.commands.run import run
from werobot_cli.commands.simulate import simulate
from werobot_cli.commands.simulator import simulator

__all__ = ["app", "main"]

app = typer.Typer(
    name="werobot",
    help="Serve, simulate, chat with and check WeChat Official Account robots.",
    no_args_is_help=True,
    add_completion=False,
)
app.command()(run)
app.command(context_settings={"ignore_unknown_options": True})(simulate)
app.command()(chat)
app.command()(simulator)
app.command()(check)
app.command()(events)
app.add_typer(menu_app, name="menu")
app.command()(token)


def main() -> None:
    """Run the command line."""
    app()
