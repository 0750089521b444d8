"""``werobot run TARGET``: serve the robot a module or file defines."""

from __future__ import annotations

from typing import Annotated

import typer

from werobot_cli.target import TargetError, load_robot
from werobot_core.settings import SERVERS

__all__ = ["run"]

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def run(
    target: Annotated[
        str,
        typer.Argument(help="Where the robot is: module:attr, a module, or path/to/bot.py[:attr]."),
    ],
    host: Annotated[str | None, typer.Option(help="Default: the robot's HOST (127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Default: the robot's PORT (8888).")] = None,
    server: Annotated[
        str | None, typer.Option(help=f"One of {', '.join(SERVERS)}; default: the robot's SERVER.")
    ] = None,
) -> None:
    """Serve a robot until Ctrl-C."""
    try:
        robot = load_robot(target)
    except TargetError as exc:
        raise typer.BadParameter(exc.reason, param_hint="TARGET") from None
    if server is not None and server not in SERVERS:
        raise typer.BadParameter(f"use one of {', '.join(SERVERS)}", param_hint="--server")
    where_host = host or str(robot.config.get("HOST") or "127.0.0.1")
    where_port = port if port is not None else int(robot.config.get("PORT") or 8888)
    if not robot.token:
        typer.secho(
            "warning: the robot has no TOKEN: every push will get 403", fg="yellow", err=True
        )
    elif where_host in _LOOPBACK and where_port:
        url = f"http://{where_host}:{where_port}/"
        typer.secho(f"try: werobot simulate {url} --token {robot.token} text hello", err=True)
    robot.run(server=server, host=where_host, port=where_port)
