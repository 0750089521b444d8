"""``werobot simulator --target URL --token T``: the chat simulator page on 127.0.0.1."""

from __future__ import annotations

import webbrowser
from typing import Annotated

import typer

from werobot_cli.menufile import MenuError, load_menu
from werobot_cli.options import (
    DEFAULT_ACCOUNT,
    DEFAULT_USER,
    AccountOpts,
    AesKey,
    AppId,
    Compat,
    Token,
    User,
    checked_account,
)
from werobot_cli.services import services_of

__all__ = ["simulator"]


def simulator(
    ctx: typer.Context,
    target: Annotated[str, typer.Option("--target", help="The robot's webhook URL.")],
    token: Token,
    app_id: AppId = None,
    aes_key: AesKey = None,
    compat: Compat = False,
    menu: Annotated[
        str | None, typer.Option("--menu", help="A menu file (JSON or YAML) shown at the bottom.")
    ] = None,
    host: Annotated[str, typer.Option(help="Where the page is served.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The page's port (0: any free port).")] = 8900,
    name: Annotated[
        str, typer.Option("--name", help="The account's name in the title bar.")
    ] = "WeRoBot",
    user: User = DEFAULT_USER,
    account_id: AccountOpts = DEFAULT_ACCOUNT,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the page in a browser.")
    ] = False,
) -> None:
    """Serve a page that looks and behaves like a WeChat conversation with the robot."""
    from werobot_cli.simulator import Simulator, make_simulator_server

    account = checked_account(target, token, app_id, aes_key, compat)
    try:
        menu_data = None if menu is None else load_menu(menu)
    except MenuError as exc:
        raise typer.BadParameter("; ".join(exc.problems), param_hint="--menu") from None
    with services_of(ctx).webhook() as http:
        sim = Simulator(account, http, menu_data, user, account_id, name)
        server = make_simulator_server(sim, host, port)
        typer.secho(f"simulator on {server.url} → {target} (Ctrl-C to stop)", fg="green")
        if open_browser:
            webbrowser.open(server.url)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            typer.echo("stopped")
        finally:
            server.server_close()
