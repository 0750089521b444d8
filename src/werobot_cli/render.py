"""How the terminal shows exchanges and replies (with rich; plain text when not a TTY)."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.syntax import Syntax
from rich.text import Text

from werobot_cli.describe import reply_data
from werobot_cli.wire import Exchange
from werobot_core.replies import (
    ArticlesReply,
    ImageReply,
    MusicReply,
    SuccessReply,
    TextReply,
    TransferCustomerServiceReply,
    VideoReply,
    VoiceReply,
    WeChatReply,
)

__all__ = ["bubble", "print_exchange", "print_reply_fields", "print_xml"]

#: What WeChat shows the user when the server fails to answer.
SERVICE_FAILED = "该公众号提供的服务出现故障，请稍后再试"


def status_line(exchange: Exchange) -> Text:
    """``← 200 in 12.3 ms · encrypted reply, MsgSignature verified``."""
    ms = f"{exchange.latency * 1000:.1f} ms"
    if exchange.status is None:
        return Text(f"✗ {exchange.error} ({ms})", style="bold red")
    style = "bold green" if exchange.status == 200 else "bold red"
    line = Text(f"← {exchange.status} in {ms}", style=style)
    if exchange.encrypted_reply:
        line.append(" · encrypted reply, MsgSignature verified", style="green")
    return line


def print_xml(console: Console, title: str, xml: str | bytes) -> None:
    """Print an XML body under ``title``."""
    text = xml.decode("utf-8", "replace") if isinstance(xml, bytes) else xml
    console.print(Text(title, style="dim"))
    console.print(Syntax(text or "(empty)", "xml", word_wrap=True, background_color="default"))


def _field_lines(fields: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for name, value in fields.items():
        if name == "articles":
            for index, article in enumerate(value, 1):
                lines.append(
                    f"  [{index}] " + "\n      ".join(f"{k}: {v}" for k, v in article.items())
                )
        else:
            lines.append(f"  {name}: {value}")
    return lines


def print_reply_fields(console: Console, reply: WeChatReply | None) -> None:
    """The typed reply: its class and kind, then each field."""
    if reply is None:
        console.print("no reply (an empty 200: WeChat shows nothing)")
        return
    data = reply_data(reply)
    if isinstance(reply, SuccessReply):
        console.print("SuccessReply (success: WeChat shows nothing)")
        return
    console.print(Text(f"{data['class']} ({data['kind']})", style="bold"))
    for line in _field_lines(data["fields"]):
        console.print(Text(line))


def print_exchange(console: Console, exchange: Exchange, *, show_xml: bool = False) -> None:
    """Status, latency, what WeChat would object to, and the typed reply."""
    if show_xml:
        print_xml(console, "→ push (plaintext)", exchange.request_xml)
        if exchange.sent.decode("utf-8", "replace") != exchange.request_xml:
            print_xml(console, "→ body as sent", exchange.sent)
    console.print(status_line(exchange))
    if exchange.status is not None and show_xml:
        print_xml(console, "← body as received", exchange.body)
    for note in exchange.notes:
        console.print(Text(f"! {note}", style="yellow"))
    if exchange.status is None:
        return
    if exchange.error is not None:
        console.print(Text(exchange.error, style="red"))
        return
    print_reply_fields(console, exchange.reply)


def _short_url(url: str, limit: int = 100) -> str:
    if url.startswith("data:"):
        return "(inline picture)"
    return url if len(url) <= limit else url[: limit - 1] + "…"


def _article_card(article: Any) -> Panel:
    body = Text()
    if article.description:
        body.append(article.description + "\n")
    if article.img:
        body.append("🖼  " + _short_url(article.img) + "\n", style="cyan")
    if article.url:
        body.append("🔗 " + article.url, style="blue underline")
    return Panel(body, title=Text(article.title or "(untitled)", style="bold"), title_align="left")


def bubble(reply: WeChatReply | None) -> RenderableType | None:
    """The reply as WeChat shows it: a text bubble, news cards, a music card, media links."""
    if reply is None or isinstance(reply, SuccessReply):
        return None
    if isinstance(reply, TextReply):
        return Panel(Text(reply.content), border_style="white", expand=False)
    if isinstance(reply, ArticlesReply):
        return Group(*(_article_card(a) for a in reply.articles))
    if isinstance(reply, MusicReply):
        text = Text(f"♪ {reply.title}\n", style="bold magenta")
        text.append(f"{reply.description}\n" if reply.description else "", style="default")
        text.append(reply.hq_url or reply.url, style="blue underline")
        return Panel(text, title="music", title_align="left", expand=False)
    if isinstance(reply, (ImageReply, VoiceReply, VideoReply)):
        kind = reply.MSG_TYPE
        label = f"[{kind}] media_id={reply.media_id}"
        if isinstance(reply, VideoReply) and reply.title:
            label += f" · {reply.title}"
        return Panel(Text(label, style="cyan"), expand=False)
    if isinstance(reply, TransferCustomerServiceReply):
        who = f" ({reply.account})" if reply.account else ""
        return Text(f"— transferred to customer service{who} —", style="dim")
    return Text(repr(reply))
