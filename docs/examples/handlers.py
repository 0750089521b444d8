"""Handlers: decorators, filters, menu clicks, sessions, async handlers and errors."""

import asyncio
import re
from typing import Any

from werobot_core import WeRoBot
from werobot_core.messages import (
    DISPATCH_KEYS,
    ClickEvent,
    ImageMessage,
    LinkMessage,
    LocationMessage,
    SubscribeEvent,
    TextMessage,
    VideoMessage,
    VoiceMessage,
    WeChatMessage,
)
from werobot_core.replies import TextReply
from werobot_core.session.memorystorage import MemoryStorage
from werobot_core.testing import WeTest, make_xml

robot = WeRoBot(token="tokenhere", session_storage=MemoryStorage())


@robot.subscribe
def welcome(message: SubscribeEvent) -> str:
    return f"Welcome! (scene {message.key})"


@robot.key_click("MENU_HELP")
def menu_help() -> str:  # a handler may take no argument at all
    return "How can I help?"


@robot.filter("ping", re.compile(r"echo (.+)"))
def ping_or_echo(message: TextMessage, session: Any, match: re.Match[str] | None) -> str:
    return match.group(1) if match else "pong"


@robot.text
def count(message: TextMessage, session: dict[str, Any]) -> str:
    session["count"] = session.get("count", 0) + 1
    return f"message #{session['count']}: {message.content}"


@robot.image
@robot.location
def media(message: ImageMessage | LocationMessage) -> str:
    return f"got a {message.type}"


@robot.voice
async def voice(message: VoiceMessage) -> str:
    await asyncio.sleep(0)  # e.g. await an HTTP call
    return f"heard: {message.recognition}"


@robot.video
def broken(message: VideoMessage) -> str:
    raise RuntimeError("boom")


errors: list[str] = []


@robot.error_handler
def on_error(exc: BaseException, message: WeChatMessage) -> None:
    errors.append(f"{message.type}: {exc}")


@robot.handler
def fallback(message: WeChatMessage) -> str:
    return f"nothing for {message.type} yet"


def save_link(message: LinkMessage) -> str:
    return f"saved {message.url}"


robot.add_handler(save_link, type="link")


def ask(cls: type[WeChatMessage], **fields: Any) -> str | None:
    reply = WeTest(robot).send_xml(make_xml(cls, **fields))
    return reply.content if isinstance(reply, TextReply) else None


assert ask(SubscribeEvent, key="qrscene_42") == "Welcome! (scene qrscene_42)"
assert ask(ClickEvent, key="MENU_HELP") == "How can I help?"
assert ask(ClickEvent, key="MENU_ABOUT") == "nothing for click_event yet"
assert ask(TextMessage, content="ping") == "pong"
assert ask(TextMessage, content="echo hello") == "hello"
assert ask(TextMessage, content="hi") == "message #1: hi"
assert ask(TextMessage, content="hi again") == "message #2: hi again"
assert ask(ImageMessage, img="https://example.com/a.png") == "got a image"
assert ask(LocationMessage, location_x=23.13, location_y=113.26) == "got a location"
assert ask(VoiceMessage, recognition="hello") == "heard: hello"
assert ask(LinkMessage, url="https://example.com") == "saved https://example.com"

# A handler that raises: the error is logged (with its traceback) and passed to the
# error handlers; WeChat gets an empty 200 answer, so it does not retry.
assert ask(VideoMessage, media_id="MEDIA") is None
assert errors == ["video: boom"]

assert {"text", "subscribe_event", "click_event"} <= DISPATCH_KEYS.keys()
