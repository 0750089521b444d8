"""``werobot chat URL --token T``: talk to a robot in the terminal, as one WeChat user.

A line is sent as a text message; ``/click KEY``, ``/location LAT LON``, ``/subscribe``
and the other kinds of ``werobot simulate`` send that push instead (``//`` sends a text that
starts with ``/``). Replies are shown as WeChat shows them.
"""

from __future__ import annotations

import contextlib
import shlex
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

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

if TYPE_CHECKING:
    from werobot_cli.wire import Exchange

__all__ = ["chat", "parse_line"]

PROMPT = "you › "
_QUIT = ("/quit", "/exit", "/q")


def parse_line(line: str) -> tuple[str, list[str]]:
    """``("text", [line])`` for a message, ``(kind, words)`` for a ``/kind words`` command."""
    if not line.startswith("/") or line.startswith("//"):
        return "text", [line[1:] if line.startswith("//") else line]
    words = shlex.split(line[1:])
    return (words[0] if words else "help"), words[1:]


def _enable_line_editing() -> None:
    with contextlib.suppress(ImportError):  # Windows has no readline
        import readline  # noqa: F401  (input() gets line editing and history)


def _help(console: Console) -> None:
    console.print("Type a message and press Enter. Commands:", style="bold")
    for kind in KINDS:
        if kind != "text":
            console.print(f"  /{usage(kind)}")
    console.print("  /xml FILE   (a push read from a file)\n  /quit   (or Ctrl-D)")


def _show(console: Console, exchange: Exchange, show_xml: bool) -> None:
    from werobot_cli.render import SERVICE_FAILED, bubble, print_xml

    if show_xml:
        print_xml(console, "→", exchange.request_xml)
        print_xml(console, "←", exchange.reply_xml or exchange.body)
    ms = f"{exchange.latency * 1000:.0f} ms"
    if exchange.error is not None:
        console.print(Text(SERVICE_FAILED, style="dim"), justify="center")
        console.print(Text(f"({exchange.error}, {ms})", style="red"))
        return
    for note in exchange.notes:
        console.print(Text(f"! {note}", style="yellow"))
    shown = bubble(exchange.reply)
    if shown is None:
        console.print(Text(f"(no reply · {ms})", style="dim"))
        return
    console.print(Text("bot:", style="bold green"))
    console.print(shown)
    console.print(Text(f"{exchange.reply.MSG_TYPE if exchange.reply else ''} · {ms}", style="dim"))


def _read(console: Console) -> str | None:
    try:
        return input(PROMPT)
    except EOFError:
        console.print()
        return None
    except KeyboardInterrupt:
        console.print()
        return None


def chat(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="The robot's webhook URL.")],
    token: Token,
    app_id: AppId = None,
    aes_key: AesKey = None,
    compat: Compat = False,
    user: User = DEFAULT_USER,
    account_id: AccountOpts = DEFAULT_ACCOUNT,
    show_xml: Annotated[bool, typer.Option("--xml", "-x", help="Print the XML both ways.")] = False,
) -> None:
    """Chat with a robot in the terminal (/help lists the commands)."""
    from werobot_cli.wire import deliver

    console = Console(highlight=False)
    account = checked_account(url, token, app_id, aes_key, compat)
    _enable_line_editing()
    mode = "safe mode" if account.safe_mode else "plaintext"
    console.print(f"Chatting with {url} as {user} ({mode}). /help for commands, Ctrl-D to quit.")
    with services_of(ctx).webhook() as http:
        while (line := _read(console)) is not None:
            line = line.strip()
            if line in _QUIT:
                break
            if not line:
                continue
            kind, words = parse_line(line)
            if kind == "help":
                _help(console)
                continue
            try:
                xml = build_push(kind, words, user=user, account=account_id)
            except PushError as exc:
                console.print(Text(str(exc), style="red"))
                continue
            _show(console, deliver(http, account, account.request(xml, user), xml), show_xml)
