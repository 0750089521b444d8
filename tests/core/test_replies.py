"""Passive replies (SPEC §5): exact bytes, CDATA safety, limits, and result conversion."""

from __future__ import annotations

import copy
import logging
import time
import xml.etree.ElementTree as ET

import pytest

from werobot_core import WeRoBot
from werobot_core.messages import ClickEvent, TextMessage, WeChatMessage
from werobot_core.parser import parse_message
from werobot_core.replies import (
    Article,
    ArticlesReply,
    ImageReply,
    MusicReply,
    ReplyCommon,
    SuccessReply,
    TextReply,
    TransferCustomerServiceReply,
    VideoReply,
    VoiceReply,
    WeChatReply,
    process_function_reply,
    warn_article_count,
)
from werobot_core.testing import WeTest, make_xml

T = 1700000000


def head(msg_type: str, to: str = "o_user", sender: str = "gh_account", t: int = T) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{to}]]></ToUserName>"
        f"<FromUserName><![CDATA[{sender}]]></FromUserName>"
        f"<CreateTime>{t}</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>"
    )


COMMON: ReplyCommon = {"source": "gh_account", "target": "o_user", "time": T}


@pytest.fixture
def message() -> WeChatMessage:
    xml = (
        "<xml><ToUserName>gh_account</ToUserName><FromUserName>o_user</FromUserName>"
        "<CreateTime>1</CreateTime><MsgType>text</MsgType><Content>hi</Content></xml>"
    )
    return parse_message(xml)


@pytest.fixture
def event() -> WeChatMessage:
    xml = (
        "<xml><ToUserName>gh_account</ToUserName><FromUserName>o_user</FromUserName>"
        "<MsgType>event</MsgType><Event>CLICK</Event></xml>"
    )
    return parse_message(xml)


# -- exact bytes -------------------------------------------------------------------------


def test_text_reply_bytes() -> None:
    expected = head("text") + "<Content><![CDATA[你好]]></Content></xml>"
    assert TextReply(content="你好", **COMMON).to_xml() == expected.encode("utf-8")


def test_image_and_voice_reply_bytes() -> None:
    image = head("image") + "<Image><MediaId><![CDATA[img-1]]></MediaId></Image></xml>"
    voice = head("voice") + "<Voice><MediaId><![CDATA[vo-1]]></MediaId></Voice></xml>"
    assert ImageReply(media_id="img-1", **COMMON).to_xml() == image.encode()
    assert VoiceReply(media_id="vo-1", **COMMON).to_xml() == voice.encode()


def test_video_reply_bytes() -> None:
    full = (
        head("video") + "<Video><MediaId><![CDATA[v]]></MediaId><Title><![CDATA[T]]></Title>"
        "<Description><![CDATA[D]]></Description></Video></xml>"
    )
    bare = (
        head("video") + "<Video><MediaId><![CDATA[v]]></MediaId><Title><![CDATA[]]></Title>"
        "<Description><![CDATA[]]></Description></Video></xml>"
    )
    assert VideoReply(media_id="v", title="T", description="D", **COMMON).to_xml() == full.encode()
    assert VideoReply(media_id="v", **COMMON).to_xml() == bare.encode()


def test_music_reply_bytes_hq_url_defaults_to_url() -> None:
    expected = (
        head("music") + "<Music><Title><![CDATA[Song]]></Title>"
        "<Description><![CDATA[Desc]]></Description><MusicUrl><![CDATA[http://m/1.mp3]]></MusicUrl>"
        "<HQMusicUrl><![CDATA[http://m/1.mp3]]></HQMusicUrl></Music></xml>"
    )
    reply = MusicReply(title="Song", description="Desc", url="http://m/1.mp3", **COMMON)
    assert reply.to_xml() == expected.encode()


def test_music_reply_bytes_with_hq_url_and_thumb() -> None:
    expected = (
        head("music")
        + "<Music><Title><![CDATA[S]]></Title><Description><![CDATA[D]]></Description>"
        "<MusicUrl><![CDATA[u]]></MusicUrl><HQMusicUrl><![CDATA[hq]]></HQMusicUrl>"
        "<ThumbMediaId><![CDATA[th]]></ThumbMediaId></Music></xml>"
    )
    reply = MusicReply(
        title="S", description="D", url="u", hq_url="hq", thumb_media_id="th", **COMMON
    )
    assert reply.to_xml() == expected.encode()


def test_articles_reply_bytes() -> None:
    expected = (
        head("news") + "<ArticleCount>2</ArticleCount><Articles>"
        "<item><Title><![CDATA[t1]]></Title><Description><![CDATA[d1]]></Description>"
        "<PicUrl><![CDATA[i1]]></PicUrl><Url><![CDATA[u1]]></Url></item>"
        "<item><Title><![CDATA[t2]]></Title><Description><![CDATA[d2]]></Description>"
        "<PicUrl><![CDATA[i2]]></PicUrl><Url><![CDATA[u2]]></Url></item>"
        "</Articles></xml>"
    )
    reply = ArticlesReply(content="ignored", **COMMON)
    reply.add_article(Article("t1", "d1", "i1", "u1"))
    reply.add_article(Article(title="t2", description="d2", img="i2", url="u2"))
    assert reply.to_xml() == expected.encode()
    assert b"Content" not in reply.to_xml()


def test_transfer_customer_service_bytes() -> None:
    anyone = head("transfer_customer_service") + "</xml>"
    one = (
        head("transfer_customer_service")
        + "<TransInfo><KfAccount><![CDATA[kf1@gh]]></KfAccount></TransInfo></xml>"
    )
    assert TransferCustomerServiceReply(**COMMON).to_xml() == anyone.encode()
    assert TransferCustomerServiceReply(account="kf1@gh", **COMMON).to_xml() == one.encode()


def test_success_reply_is_the_literal_success() -> None:
    assert SuccessReply().to_xml() == b"success"
    assert SuccessReply(**COMMON).render() == "success"


def test_base_reply_has_no_body() -> None:
    assert SuccessReply().body() == []
    assert TransferCustomerServiceReply().body() == []


def test_render_holds_the_same_xml_as_to_xml_in_werobots_layout() -> None:
    replies = [
        TextReply(content="é]]>x", **COMMON),
        ImageReply(media_id="m", **COMMON),
        VideoReply(media_id="m", title="t", **COMMON),
        MusicReply(title="t", description="d", url="u", thumb_media_id="th", **COMMON),
        TransferCustomerServiceReply(account="kf@x", **COMMON),
        TransferCustomerServiceReply(**COMMON),
    ]
    for reply in replies:
        rendered = reply.render()
        assert rendered.startswith(("\n    ", "\n            "))
        compact = "".join(line.strip() for line in rendered.splitlines())
        assert compact.encode("utf-8") == reply.to_xml()


def test_cdata_end_in_content_is_split_and_round_trips() -> None:
    tricky = "a]]>b]]]]>c<![CDATA[d&<e>"
    xml = TextReply(content=tricky, **COMMON).to_xml()
    assert b"<Content><![CDATA[a]]]]><![CDATA[>b" in xml
    assert ET.fromstring(xml).findtext("Content") == tricky


def test_none_renders_as_an_empty_element() -> None:
    xml = TextReply(content="x", time=T).to_xml()
    assert xml.startswith(b"<xml><ToUserName></ToUserName><FromUserName></FromUserName>")
    assert b"None" not in xml


def test_default_time_is_now() -> None:
    before = int(time.time())
    created = ET.fromstring(TextReply(content="x").to_xml()).findtext("CreateTime")
    after = int(time.time())
    assert created is not None
    assert before <= int(created) <= after


# -- message as first argument -----------------------------------------------------------


def test_message_fills_source_and_target_swapped(message: WeChatMessage) -> None:
    reply = TextReply(message, content="hello")
    assert (reply.source, reply.target) == ("gh_account", "o_user")
    keyword = ImageReply(message=message, media_id="m")
    assert (keyword.source, keyword.target) == ("gh_account", "o_user")


def test_explicit_source_and_target_win_over_the_message(message: WeChatMessage) -> None:
    reply = TextReply(message, content="x", source="gh_other", target="o_other")
    assert (reply.source, reply.target) == ("gh_other", "o_other")


@pytest.mark.parametrize(
    "reply_type",
    [TextReply, ImageReply, VoiceReply, VideoReply, MusicReply, ArticlesReply, SuccessReply],
)
def test_every_reply_accepts_the_message_positionally(
    reply_type: type[WeChatReply], message: WeChatMessage
) -> None:
    kwargs = {"media_id": "m"} if reply_type in (ImageReply, VoiceReply, VideoReply) else {}
    reply = reply_type(message, **kwargs)
    assert (reply.source, reply.target) == ("gh_account", "o_user")


# -- articles ----------------------------------------------------------------------------


def test_article_is_positional_unpacks_and_has_args() -> None:
    article = Article("t", "d", "i", "u")
    title, description, img, url = article
    assert (title, description, img, url) == ("t", "d", "i", "u")
    assert article.args == ("t", "d", "i", "u")
    assert article == Article(title="t", description="d", img="i", url="u")


def test_add_article_caps_at_ten() -> None:
    reply = ArticlesReply(**COMMON)
    for i in range(10):
        reply.add_article(Article(f"t{i}", "d", "i", "u"))
    with pytest.raises(ValueError, match="10"):
        reply.add_article(Article("eleventh", "d", "i", "u"))
    assert len(reply.articles) == 10


def test_articles_given_to_the_constructor() -> None:
    reply = ArticlesReply(articles=(Article("a", "b", "c", "d"),), **COMMON)
    assert reply.articles == [Article("a", "b", "c", "d")]


def _articles(n: int) -> ArticlesReply:
    return ArticlesReply(articles=[Article(str(i), "", "", "") for i in range(n)], **COMMON)


@pytest.mark.parametrize(("count", "warns"), [(1, False), (2, True), (10, True)])
def test_warning_above_one_article_for_a_user_message(
    count: int, warns: bool, message: WeChatMessage, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="WeRoBot"):
        warn_article_count(_articles(count), message)
    assert any(r.levelno == logging.WARNING for r in caplog.records) is warns


@pytest.mark.parametrize(("count", "warns"), [(1, False), (8, False), (9, True)])
def test_warning_above_eight_articles_for_an_event(
    count: int, warns: bool, event: WeChatMessage, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="WeRoBot"):
        warn_article_count(_articles(count), event)
    assert any(r.levelno == logging.WARNING for r in caplog.records) is warns


def test_no_article_warning_for_other_replies(
    message: WeChatMessage, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="WeRoBot"):
        warn_article_count(TextReply(content="x"), message)
    assert caplog.records == []


def test_article_warning_when_the_robot_answers(caplog: pytest.LogCaptureFixture) -> None:
    robot = WeRoBot(token="tok", SESSION_STORAGE=False)

    @robot.text
    def news() -> list[list[str]]:
        return [["a", "b", "c", "d"], ["e", "f", "g", "h"]]

    @robot.click
    def eight() -> list[list[str]]:
        return [[str(i), "", "", ""] for i in range(8)]

    with caplog.at_level(logging.WARNING, logger="WeRoBot"):
        assert WeTest(robot).post(make_xml(TextMessage, content="x")).status == 200
        assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1
        caplog.clear()
        assert WeTest(robot).post(make_xml(ClickEvent, key="k")).status == 200
        assert [r for r in caplog.records if r.levelno == logging.WARNING] == []


# -- handler results ---------------------------------------------------------------------


def test_str_and_bytes_give_a_text_reply(message: WeChatMessage) -> None:
    text = process_function_reply("hé", message)
    raw = process_function_reply("你好".encode(), message)
    assert isinstance(text, TextReply)
    assert text.content == "hé"
    assert isinstance(raw, TextReply)
    assert raw.content == "你好"
    assert (raw.source, raw.target) == ("gh_account", "o_user")


@pytest.mark.parametrize("empty", [None, "", b"", [], (), 0, False])
def test_empty_results_give_no_reply(empty: object, message: WeChatMessage) -> None:
    assert process_function_reply(empty, message) is None


def test_three_strings_give_music_with_hq_url_equal_to_url(message: WeChatMessage) -> None:
    reply = process_function_reply(["title", "desc", "http://u"], message)
    assert isinstance(reply, MusicReply)
    assert (reply.title, reply.description, reply.url, reply.hq_url) == (
        "title",
        "desc",
        "http://u",
        "http://u",
    )
    assert b"<HQMusicUrl><![CDATA[http://u]]></HQMusicUrl>" in reply.to_xml()


def test_four_strings_give_music_with_hq_url(message: WeChatMessage) -> None:
    reply = process_function_reply(("title", "desc", "http://u", "http://hq"), message)
    assert isinstance(reply, MusicReply)
    assert reply.hq_url == "http://hq"


def test_rows_and_articles_give_news(message: WeChatMessage) -> None:
    result = [["t1", "d1", "i1", "u1"], ("t2", "d2", "i2", "u2"), Article("t3", "d3", "i3", "u3")]
    reply = process_function_reply(result, message)
    assert isinstance(reply, ArticlesReply)
    assert reply.articles == [
        Article("t1", "d1", "i1", "u1"),
        Article("t2", "d2", "i2", "u2"),
        Article("t3", "d3", "i3", "u3"),
    ]
    assert (reply.source, reply.target) == ("gh_account", "o_user")


def test_one_row_is_news_not_music(message: WeChatMessage) -> None:
    reply = process_function_reply([["t", "d", "i", "u"]], message)
    assert isinstance(reply, ArticlesReply)
    assert len(reply.articles) == 1


@pytest.mark.parametrize(
    "result",
    [42, {"a": 1}, ["only", "two"], [["a", "b", "c"]], ["a", "b", "c", "d", "e"], object()],
    ids=["int", "dict", "two-strings", "three-item-row", "five-strings", "object"],
)
def test_unconvertible_results_raise_type_error(result: object, message: WeChatMessage) -> None:
    with pytest.raises(TypeError):
        process_function_reply(result, message)


def test_reply_without_source_or_target_gets_them_and_is_not_mutated(
    message: WeChatMessage,
) -> None:
    original = TextReply(content="x")
    reply = process_function_reply(original, message)
    assert reply is not None
    assert (reply.source, reply.target) == ("gh_account", "o_user")
    assert (original.source, original.target) == (None, None)
    partial = TextReply(content="x", source="gh_mine")
    filled = process_function_reply(partial, message)
    assert filled is not None
    assert (filled.source, filled.target) == ("gh_mine", "o_user")
    complete = TextReply(content="x", source="a", target="b")
    assert process_function_reply(complete, message) is complete


def test_list_results_are_not_mutated(message: WeChatMessage) -> None:
    rows = [["t", "d", "i", "u"], ("t2", "d2", "i2", "u2")]
    music = ["a", "b", "c"]
    before = copy.deepcopy((rows, music))
    process_function_reply(rows, message)
    process_function_reply(music, message)
    assert (rows, music) == before


def test_unconvertible_result_through_the_robot_is_no_reply_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    robot = WeRoBot(token="tok", SESSION_STORAGE=False)
    hooks: list[BaseException] = []
    robot.error_handler(lambda exc, msg: hooks.append(exc))

    @robot.text
    def bad() -> object:
        return 3.14

    with caplog.at_level(logging.ERROR, logger="WeRoBot"):
        response = WeTest(robot).post(make_xml(TextMessage, content="x"))
    assert (response.status, response.body) == (200, b"")
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert [type(e) for e in hooks] == [TypeError]
    assert any(r.levelno == logging.ERROR and r.exc_info for r in caplog.records)


def test_eleven_rows_through_the_robot_is_no_reply_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    robot = WeRoBot(token="tok", SESSION_STORAGE=False)

    @robot.text
    def many() -> list[list[str]]:
        return [[str(i), "", "", ""] for i in range(11)]

    with caplog.at_level(logging.ERROR, logger="WeRoBot"):
        assert WeTest(robot).send_xml(make_xml(TextMessage)) is None
    assert any(r.levelno == logging.ERROR for r in caplog.records)


def test_reply_fields_are_validated_on_assignment() -> None:
    reply = TextReply(content="a", **COMMON)
    reply.content = "b"
    assert b"<![CDATA[b]]>" in reply.to_xml()
    with pytest.raises(ValueError, match="content"):
        reply.content = 3  # type: ignore[assignment]
