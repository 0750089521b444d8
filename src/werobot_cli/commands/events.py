"""``werobot events``: every message and event type the SDK models, from the model table."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

__all__ = ["events"]


def events(
    search: Annotated[
        str | None, typer.Argument(help="Show only types whose type or class contains this.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the table as JSON.")] = False,
) -> None:
    """List every message and event type: its decorators and fields."""
    from werobot_cli.modeltable import model_rows

    rows = model_rows()
    if search:
        needle = search.lower()
        rows = [r for r in rows if needle in r["type"] or needle in r["class"].lower()]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"{len(rows)} message and event types")
    for column in ("type", "MsgType / Event", "decorators", "fields"):
        table.add_column(column, overflow="fold")
    for row in rows:
        wire = row["msg_type"] if row["event"] is None else f"event / {row['event']}"
        table.add_row(row["type"], wire, "\n".join(row["decorators"]), ", ".join(row["fields"]))
    Console().print(table)
