"""``werobot menu push/pull`` and ``werobot token``: WeChat's API through ``werobot_client``.

``werobot token`` also diagnoses the two errors that stop a bot: 45009 (a daily quota used
up: ``--quota PATH`` shows it, ``--clear-quota`` resets it by AppSecret) and 40164 (IP not
whitelisted: ``--rid RID`` shows the failed call and the IP WeChat saw).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated, Any

import typer

from werobot_cli.menufile import MenuError, dump_menu, load_menu, menu_problems
from werobot_cli.services import services_of
from werobot_core.config import Config

if TYPE_CHECKING:
    from werobot_client import Client, TokenStore

__all__ = ["menu_app", "token"]

AppIdOpt = Annotated[str, typer.Option("--app-id", envvar="WEROBOT_APP_ID", help="APP_ID (AppID).")]
AppSecretOpt = Annotated[
    str, typer.Option("--app-secret", envvar="WEROBOT_APP_SECRET", help="APP_SECRET (AppSecret).")
]

menu_app = typer.Typer(help="The custom menu as code: push a JSON/YAML file, pull the live one.")


def _fail(error: Exception) -> typer.Exit:
    typer.secho(f"error: {error}", fg="red", err=True)
    return typer.Exit(1)


@menu_app.command("push")
def menu_push(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="The menu: JSON, or YAML (.yaml/.yml).")],
    app_id: AppIdOpt,
    app_secret: AppSecretOpt,
) -> None:
    """Create the menu in FILE (replacing the current one)."""
    from werobot_client import ClientException

    try:
        menu = load_menu(file)
    except MenuError as exc:
        for problem in exc.problems:
            typer.secho(f"{file}: {problem}", fg="red", err=True)
        raise typer.Exit(1) from None
    config = Config(APP_ID=app_id, APP_SECRET=app_secret)
    with services_of(ctx).api_client(config) as client:
        try:
            client.create_menu(menu)
        except ClientException as exc:
            raise _fail(exc) from None
    count = len(menu["button"])
    typer.secho(f"menu pushed: {count} button(s); WeChat shows it within minutes", fg="green")


@menu_app.command("pull")
def menu_pull(
    ctx: typer.Context,
    app_id: AppIdOpt,
    app_secret: AppSecretOpt,
    file: Annotated[
        str | None,
        typer.Argument(help="Write it here (JSON, or YAML for .yaml/.yml); default: print it."),
    ] = None,
) -> None:
    """Fetch the current menu, in the format `menu push` reads."""
    from werobot_client import ClientException

    config = Config(APP_ID=app_id, APP_SECRET=app_secret)
    with services_of(ctx).api_client(config) as client:
        try:
            info = client.get_menu()
        except ClientException as exc:
            raise _fail(exc) from None
    raw: Any = info.get("menu") or {}
    menu = {"button": raw.get("button", [])}
    text = dump_menu(menu, file)
    if file is None:
        typer.echo(text, nl=False)
    else:
        typer.secho(f"menu written to {file}", fg="green", err=True)
    conditional = info.get("conditionalmenu") or []
    if conditional:
        typer.secho(f"note: {len(conditional)} conditional menu(s) not included", err=True)
    for problem in menu_problems(menu):
        typer.secho(f"note: {problem}", fg="yellow", err=True)


def _store(redis_url: str | None) -> TokenStore | None:
    if redis_url is None:
        return None
    from werobot_client.redis_store import RedisTokenStore

    return RedisTokenStore(redis_url)


def _diagnose(client: Client, quota: str | None, rid: str | None) -> None:
    """Print the quota of the API ``quota`` and the request behind ``rid``."""
    if quota is not None:
        answer = client.get_api_quota(quota)
        q, limit = answer.quota, answer.rate_limit
        if q is not None:
            typer.echo(f"{quota}: {q.used} of {q.daily_limit} calls used today, {q.remain} left")
        if limit is not None and limit.call_count:
            typer.echo(f"{quota}: at most {limit.call_count} calls per {limit.refresh_second} s")
    if rid is not None:
        request = client.get_rid_info(rid).request
        if request is None:
            typer.echo(f"rid {rid}: WeChat knows no such request")
            return
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(request.invoke_time or 0))
        typer.echo(f"rid {rid}: {when}, {request.cost_in_ms} ms, from {request.client_ip}")
        typer.echo(f"  request: {request.request_url} {request.request_body or ''}".rstrip())
        typer.echo(f"  answer: {request.response_body}")
        if "40164" in (request.response_body or ""):
            typer.echo(f"  fix: add {request.client_ip} under IP白名单 in WeChat's console")


def token(
    ctx: typer.Context,
    app_id: AppIdOpt,
    app_secret: AppSecretOpt,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Ask WeChat for a new token even if one is cached.")
    ] = False,
    redis_url: Annotated[
        str | None,
        typer.Option("--redis", help="The Redis URL of a shared token store (RedisTokenStore)."),
    ] = None,
    stable: Annotated[
        bool, typer.Option("--stable", help="Use /cgi-bin/stable_token (TOKEN_MODE=stable).")
    ] = False,
    quota: Annotated[
        str | None,
        typer.Option("--quota", help="Show today's quota of an API path (errcode 45009)."),
    ] = None,
    rid: Annotated[
        str | None,
        typer.Option("--rid", help="Show the call behind an errmsg's rid (e.g. errcode 40164)."),
    ] = None,
    clear_quota: Annotated[
        bool,
        typer.Option(
            "--clear-quota",
            help="Reset today's API quotas by AppSecret first (clear_quota/v2; 10 a month).",
        ),
    ] = False,
) -> None:
    """Show the access token (from the shared store when --redis is given), or refresh it."""
    from werobot_cli.roundtrips import grant_fix
    from werobot_client import ClientException, StoredToken

    config = Config(
        APP_ID=app_id, APP_SECRET=app_secret, TOKEN_MODE="stable" if stable else "token"
    )
    store = _store(redis_url)
    with services_of(ctx).api_client(config, token_store=store) as client:
        try:
            if clear_quota:
                client.clear_quota_by_secret()
                typer.secho("quotas reset (clear_quota/v2)", fg="green", err=True)
            if refresh:
                granted = client.grant_token(stable=stable)
                client.token_store.set(app_id, StoredToken.from_grant(granted))
            access_token = client.get_access_token()
        except ClientException as exc:
            typer.secho(f"error: {exc}", fg="red", err=True)
            typer.secho(f"fix: {grant_fix(exc)}", err=True)
            raise typer.Exit(1) from None
        stored = client.token_store.get(app_id)
        typer.echo(access_token)
        try:
            _diagnose(client, quota, rid)
        except ClientException as exc:
            raise _fail(exc) from None
    if stored is not None:
        left = int(stored.expires_at - time.time())
        where = "in Redis" if redis_url else "just granted"
        typer.secho(f"valid for {left} s more ({where})", err=True)
    if refresh:
        typer.secho("the previous token stays valid for about 5 minutes", err=True)
