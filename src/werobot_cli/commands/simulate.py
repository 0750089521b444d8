"""``werobot simulate URL --token T KIND ARGS...``: send one push exactly as WeChat does."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

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
from werobot_cli.pushes import KINDS, PushError, build_push, usage
from werobot_cli.services import services_of
from werobot_cli.timing import CUTOFF

if TYPE_CHECKING:
    import httpx

    from werobot_cli.retries import Schedule
    from werobot_cli.wire import Account, Exchange

__all__ = ["simulate"]

_KINDS_HELP = "; ".join(usage(kind) for kind in [*KINDS, "xml"])


def _exchange_json(number: int, exchange: Exchange) -> dict[str, Any]:
    from werobot_cli.describe import reply_data

    return {
        "delivery": number,
        "status": exchange.status,
        "latency_ms": round(exchange.latency * 1000, 3),
        "encrypted_reply": exchange.encrypted_reply,
        "error": exchange.error,
        "notes": exchange.notes,
        "reply": None if exchange.reply is None else reply_data(exchange.reply),
        "reply_xml": exchange.reply_xml,
    }


def _verify(console: Console, account: Account, ctx: typer.Context, cutoff: float) -> None:
    from werobot_cli.wire import verify_url

    with services_of(ctx).webhook() as http:
        result = verify_url(http, account, cutoff=cutoff)
    ms = f"{result.latency * 1000:.1f} ms"
    if result.ok:
        console.print(f"✓ URL verified: 200, echostr echoed ({ms})", style="green")
        return
    if result.error is not None:
        console.print(f"✗ {result.error}", style="red")
    elif result.status == 403:
        console.print(
            f"✗ 403 ({ms}): the robot refused the signature: its TOKEN differs", style="red"
        )
    else:
        console.print(
            f"✗ {result.status} ({ms}): expected 200 with the echostr, got {result.body[:200]!r}",
            style="red",
        )
    raise typer.Exit(1)


def simulate(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="The robot's webhook URL.")],
    token: Token,
    kind: Annotated[str | None, typer.Argument(help=f"What to send: {_KINDS_HELP}.")] = None,
    args: Annotated[list[str] | None, typer.Argument(help="The kind's words.")] = None,
    app_id: AppId = None,
    aes_key: AesKey = None,
    compat: Compat = False,
    verify: Annotated[
        bool, typer.Option("--verify", help="Send the GET echostr check instead.")
    ] = False,
    retries: Annotated[
        bool,
        typer.Option(
            "--retries",
            help="Replay WeChat's schedule: 3 deliveries, 5 s apart, each cut off at 5 s.",
        ),
    ] = False,
    show_xml: Annotated[bool, typer.Option("--xml", "-x", help="Print the XML both ways.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
    user: User = DEFAULT_USER,
    account_id: AccountOpts = DEFAULT_ACCOUNT,
    cutoff: Annotated[float, typer.Option("--cutoff", hidden=True)] = CUTOFF,
    interval: Annotated[float, typer.Option("--retry-interval", hidden=True)] = 5.0,
) -> None:
    """Send one push exactly as WeChat does, then verify, decrypt and show the reply."""
    from werobot_cli.retries import Schedule

    console = Console(highlight=False)
    account = checked_account(url, token, app_id, aes_key, compat)
    if verify:
        _verify(console, account, ctx, cutoff)
        return
    if kind is None:
        raise typer.BadParameter(f"say what to send: {_KINDS_HELP}", param_hint="KIND")
    try:
        xml = build_push(kind, args or [], user=user, account=account_id)
    except PushError as exc:
        raise typer.BadParameter(str(exc), param_hint="KIND") from None
    schedule = Schedule(3 if retries else 1, interval, cutoff)
    run = _Run(console, account, xml, user, retries, as_json)
    with services_of(ctx).webhook() as http:
        last = run.send(http, kind, schedule, show_xml)
    if not last.answered or last.error is not None:
        raise typer.Exit(1)


@dataclass(frozen=True)
class _Run:
    """One ``simulate``: deliver the push on ``schedule`` and print what happened."""

    console: Console
    account: Account
    xml: str
    user: str
    retries: bool
    as_json: bool

    def _report(self, number: int, exchange: Exchange) -> None:
        from werobot_cli.render import status_line

        if self.retries and not self.as_json:
            self.console.print(f"delivery {number}: ", status_line(exchange), sep="")

    def send(self, http: httpx.Client, kind: str, schedule: Schedule, show_xml: bool) -> Exchange:
        """Deliver, print, and return the last delivery."""
        from werobot_cli.render import print_exchange
        from werobot_cli.retries import replay, summary

        if not self.as_json:
            mode = "safe mode, encrypted" if self.account.safe_mode else "plaintext"
            self.console.print(f"→ {kind} push to {self.account.url} ({mode})", style="bold")
        exchanges = replay(
            http, self.account, self.xml, self.user, schedule, on_delivery=self._report
        )
        if self.as_json:
            deliveries = [_exchange_json(n, e) for n, e in enumerate(exchanges, 1)]
            typer.echo(json.dumps({"deliveries": deliveries}, ensure_ascii=False, indent=2))
        else:
            if self.retries:
                self.console.print(summary(exchanges), style="bold")
            print_exchange(self.console, exchanges[-1], show_xml=show_xml)
        return exchanges[-1]
