"""``werobot check``: pinpoint what is wrong with a TOKEN, a key, a URL or the API secret."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from werobot_cli.findings import Finding, check_aes_key, check_app_id, check_token
from werobot_cli.options import AesKey, AppId, Compat, Token
from werobot_cli.services import services_of
from werobot_core.config import Config

if TYPE_CHECKING:
    from werobot_cli.services import Services
    from werobot_cli.wire import Account

__all__ = ["check"]

_MARKS = {"ok": ("✓", "green"), "warn": ("!", "yellow"), "error": ("✗", "bold red")}


def _print(console: Console, finding: Finding) -> None:
    mark, style = _MARKS[finding.level]
    console.print(Text(f"{mark} {finding.message}", style=style))
    if finding.fix:
        console.print(Text(f"  fix: {finding.fix}"))


def _offline(token: str, app_id: str | None, aes_key: str | None) -> list[Finding]:
    found = check_token(token)
    if app_id:
        found += check_app_id(app_id)
    if aes_key is not None:
        found += check_aes_key(aes_key, app_id)
    elif app_id:
        found.append(Finding("ok", "ENCODING_AES_KEY", "no ENCODING_AES_KEY: plaintext mode"))
    return found


def _online(services: Services, account: Account, offline: list[Finding]) -> list[Finding]:
    """The URL's shape, then (unless a setting is already wrong) its round trips."""
    from werobot_cli.roundtrips import (
        check_push,
        check_replay_window,
        check_url,
        check_verification,
    )

    found = check_url(account.url)
    broken = {f.subject for f in offline + found if f.level == "error"}
    if {"TOKEN", "ENCODING_AES_KEY", "APP_ID", "URL"} & broken:
        return found
    with services.webhook() as http:
        found += check_verification(http, account)
        if not any(f.level == "error" for f in found):
            found += check_replay_window(http, account)
            found += check_push(http, account)
    return found


def check(
    ctx: typer.Context,
    token: Token,
    app_id: AppId = None,
    aes_key: AesKey = None,
    app_secret: Annotated[
        str | None,
        typer.Option(
            "--app-secret", envvar="WEROBOT_APP_SECRET", help="APP_SECRET: try a token grant."
        ),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option("--url", help="The robot's URL: try WeChat's verification and a push."),
    ] = None,
    compat: Compat = False,
) -> None:
    """Check the settings and say how to fix each problem (exit 1 if any)."""
    from werobot_cli.roundtrips import check_grant
    from werobot_cli.wire import Account

    console = Console(highlight=False)
    found = _offline(token, app_id, aes_key)
    services = services_of(ctx)
    if url is not None:
        found += _online(services, Account(url, token, app_id, aes_key, compat), found)
    if app_secret is not None:
        if not app_id:
            found.append(Finding("error", "APP_ID", "a token grant needs APP_ID", "pass --app-id"))
        else:
            config = Config(APP_ID=app_id, APP_SECRET=app_secret)
            found += check_grant(services.api_client, config)
    for finding in found:
        _print(console, finding)
    errors = sum(f.level == "error" for f in found)
    console.print(Text(f"{errors} problem(s) found" if errors else "all good", style="bold"))
    if errors:
        raise typer.Exit(1)
