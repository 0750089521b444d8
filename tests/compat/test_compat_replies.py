"""Replies as WeRoBot users build, read and compare them.

``render()`` is compared with WeRoBot 1.13.1 itself (a test dependency), byte for byte, for
every reply type; only where WeRoBot's output was wrong (``None`` rendered as ``"None"``,
``]]>`` breaking the XML) does ours differ, and those cases are checked separately.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

import pytest
import werobot.replies as theirs
from hypothesis import given, settings
from hypothesis import strategies as st

from werobot_core import replies as ours
from werobot_core import utils
from werobot_core.messages import TextMessage, WeChatMessage
from werobot_core.parser import parse_user_msg
from werobot_core.replies import (
    Article,
    ArticlesReply,
    MusicReply,
    ReplyCommon,
    TextReply,
    TooManyArticles,
    VideoReply,
    WeChatReply,
    process_function_reply,
)
from werobot_core.xmlcodec import parse_xml

# Text WeRoBot's str.format templates render unchanged: no "]]>", no braces issue, printable.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).filter(
    lambda s: "]]>" not in s
)
COMMON: ReplyCommon = {"source": "gh_account", "target": "o_user", "time": 1700000000}


def _message() -> WeChatMessage:
    message = parse_user_msg(
        "<xml><ToUserName><![CDATA[gh_account]]></ToUserName>"
        "<FromUserName><![CDATA[o_user]]></FromUserName><CreateTime>1</CreateTime>"
        "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content></xml>"
    )
    assert isinstance(message, TextMessage)
    return message


@settings(max_examples=60, deadline=None)
@given(content=TEXT, media=TEXT, title=TEXT, description=TEXT, url=TEXT, hq=TEXT)
def test_render_is_werobots_text_to_the_byte(
    content: str, media: str, title: str, description: str, url: str, hq: str
) -> None:
    pairs: list[tuple[WeChatReply, Any]] = [
        (ours.TextReply(content=content, **COMMON), theirs.TextReply(content=content, **COMMON)),
        (ours.ImageReply(media_id=media, **COMMON), theirs.ImageReply(media_id=media, **COMMON)),
        (ours.VoiceReply(media_id=media, **COMMON), theirs.VoiceReply(media_id=media, **COMMON)),
        (
            ours.VideoReply(media_id=media, title=title, description=description, **COMMON),
            theirs.VideoReply(media_id=media, title=title, description=description, **COMMON),
        ),
        (ours.VideoReply(media_id=media, **COMMON), theirs.VideoReply(media_id=media, **COMMON)),
        (
            ours.MusicReply(title=title, description=description, url=url, hq_url=hq, **COMMON),
            theirs.MusicReply(title=title, description=description, url=url, hq_url=hq, **COMMON),
        ),
        (
            ours.MusicReply(title=title, description=description, url=url, **COMMON),
            theirs.MusicReply(title=title, description=description, url=url, **COMMON),
        ),
        (
            ours.TransferCustomerServiceReply(account=media, **COMMON),
            theirs.TransferCustomerServiceReply(account=media, **COMMON),
        ),
        (
            ours.TransferCustomerServiceReply(**COMMON),
            theirs.TransferCustomerServiceReply(**COMMON),
        ),
        (ours.SuccessReply(), theirs.SuccessReply()),
    ]
    for mine, werobot in pairs:
        assert mine.render() == werobot.render(), type(mine).__name__


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(TEXT, TEXT, TEXT, TEXT), max_size=10), content=TEXT)
def test_articles_render_as_werobot_did(rows: list[tuple[str, ...]], content: str) -> None:
    mine, werobot = ours.ArticlesReply(content=content, **COMMON), theirs.ArticlesReply(**COMMON)
    werobot._args["content"] = content
    for row in rows:
        mine.add_article(Article(*row))
        werobot.add_article(theirs.Article(*row))
        assert Article(*row).render() == theirs.Article(*row).render()
    assert mine.render() == werobot.render()


def test_where_werobot_broke_the_xml_ours_stays_well_formed() -> None:
    reply = TextReply(content="a]]>b", **COMMON)
    assert "None" not in MusicReply(title="t", url="u", source=None, target="o").render()
    assert parse_xml(reply.render())["Content"] == "a]]>b"


def test_args_is_werobots_live_view_of_the_reply() -> None:
    reply = ArticlesReply(_message())
    assert reply._args["source"] == "gh_account"
    assert reply._args["target"] == "o_user"
    assert isinstance(reply._args["time"], int)
    assert reply._args["unset"] == ""
    reply._args["content"] = "wwww"
    assert reply.content == "wwww"
    assert "<Content><![CDATA[wwww]]></Content>" in reply.render()
    assert VideoReply(media_id="m")._args["title"] == ""
    assert MusicReply(title="t", url="u1")._args["hq_url"] == "u1"
    assert set(TextReply(content="c")._args) >= {"source", "target", "time", "content"}


def test_a_bare_wechat_reply_keeps_any_keyword_and_decodes_bytes() -> None:
    reply = WeChatReply(message=_message(), s="喵fd".encode(), n=3)
    assert reply._args["source"] == "gh_account"
    assert reply._args["s"] == "喵fd"
    assert reply._args["n"] == 3
    assert reply.s == "喵fd"  # type: ignore[attr-defined]
    assert isinstance(reply._args["time"], int)


class CardReply(WeChatReply):
    """A user's own reply type, as WeRoBot users write them."""

    TEMPLATE: ClassVar[str | None] = (
        "<xml><ToUserName><![CDATA[{target}]]></ToUserName>"
        "<FromUserName><![CDATA[{source}]]></FromUserName><CreateTime>{time}</CreateTime>"
        "<MsgType><![CDATA[wxcard]]></MsgType><WxCard><CardId><![CDATA[{card_id}]]></CardId>"
        "</WxCard><Missing>{absent}</Missing></xml>"
    )


def test_a_custom_reply_renders_its_template_and_is_sent_as_is() -> None:
    from werobot_core import WeRoBot
    from werobot_core.testing import WeTest, make_xml

    # The project's mypy forbids unknown keywords (pydantic plugin, init_forbid_extra).
    reply = CardReply(message=_message(), card_id="c]]>1", time=9)  # type: ignore[call-arg]
    text = reply.render()
    assert text.startswith("<xml><ToUserName><![CDATA[o_user]]></ToUserName>")
    assert parse_xml(text)["WxCard"] == {"CardId": "c]]>1"}
    assert "<CreateTime>9</CreateTime>" in text
    assert "<Missing></Missing>" in text
    assert reply.to_xml() == text.encode()

    robot = WeRoBot(token="t", SESSION_STORAGE=False)

    @robot.text
    def card(message: TextMessage) -> CardReply:
        return CardReply(message=message, card_id="abc")  # type: ignore[call-arg]

    answer = WeTest(robot).send_xml(make_xml(TextMessage, content="card"))
    assert isinstance(answer, CardReply)
    assert answer._args["card_id"] == "abc"


def test_process_function_reply_without_a_message() -> None:
    success = ours.SuccessReply()
    assert process_function_reply(success) is success
    text = process_function_reply("test")
    assert isinstance(text, TextReply)
    assert (text.content, text.source, text.target) == ("test", None, None)
    music = process_function_reply(["title", "desc", "url"])
    assert isinstance(music, MusicReply)
    assert music.url == music.hq_url == "url"
    news = process_function_reply([["tt1", "ds1", "img", "url"], [1, 2, 3, 4]])
    assert isinstance(news, ArticlesReply)
    assert [a.title for a in news._articles] == ["tt1", "1"]
    assert news._articles[1] == Article("1", "2", "3", "4")


def test_more_than_ten_articles_is_werobots_attribute_error_and_our_value_error() -> None:
    with pytest.raises(AttributeError):
        process_function_reply([[1, 2, 3, 4]] * 11)
    reply = ArticlesReply()
    for _ in range(10):
        reply.add_article(Article("t", "d", "i", "u"))
    with pytest.raises(ValueError, match="10") as caught:
        reply.add_article(Article("t", "d", "i", "u"))
    assert isinstance(caught.value, TooManyArticles)


def test_article_render_decodes_bytes_as_werobot_did() -> None:
    article = Article("tt", utils.to_binary("附近"), "http", "uuu")  # type: ignore[arg-type]
    assert "<Description><![CDATA[附近]]></Description>" in article.render()
    assert article.render() == theirs.Article("tt", "附近", "http", "uuu").render()


def test_reply_time_defaults_to_now() -> None:
    before = int(time.time())
    assert before <= TextReply(content="x")._args["time"] <= int(time.time())
