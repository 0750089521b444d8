"""Replies: every reply type, and what a handler's return value turns into."""

from werobot_core import WeRoBot
from werobot_core.messages import TextMessage
from werobot_core.replies import (
    Article,
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
from werobot_core.testing import WeTest, make_xml

robot = WeRoBot(token="tokenhere", SESSION_STORAGE=False)


@robot.filter("text")
def text() -> str:  # a str becomes a TextReply
    return "plain text"


@robot.filter("music")
def music() -> list[str]:  # 3 or 4 strings: title, description, url[, hq_url]
    return ["Song", "Singer", "https://example.com/song.mp3"]


@robot.filter("news")
def news() -> list[list[str]]:  # rows of 4: title, description, image url, url
    return [["Title", "Description", "https://example.com/1.png", "https://example.com/1"]]


@robot.filter("image")
def image(message: TextMessage) -> ImageReply:  # a reply model, built from the message
    return ImageReply(message, media_id="IMAGE_MEDIA_ID")


@robot.filter("voice")
def voice() -> VoiceReply:  # source and target are filled in from the message
    return VoiceReply(media_id="VOICE_MEDIA_ID")


@robot.filter("video")
def video(message: TextMessage) -> VideoReply:
    return VideoReply(message, media_id="VIDEO_MEDIA_ID", title="Clip", description="A clip")


@robot.filter("articles")
def articles(message: TextMessage) -> ArticlesReply:
    reply = ArticlesReply(message)
    reply.add_article(Article("First", "One", "https://example.com/1.png", "https://a.example"))
    return reply


@robot.filter("agent")
def agent(message: TextMessage) -> TransferCustomerServiceReply:
    return TransferCustomerServiceReply(message, account="kf2001@example")


@robot.filter("success")
def success() -> SuccessReply:  # WeChat shows nothing and does not retry
    return SuccessReply()


@robot.filter("nothing")
def nothing() -> None:  # None (or "", [] ...): no reply; WeChat gets an empty 200
    return None


def reply_to(content: str) -> WeChatReply | None:
    return WeTest(robot).send_xml(make_xml(TextMessage, content=content))


assert reply_to("text") == TextReply(content="plain text", source="gh_test", target="test_user")

song = reply_to("music")
assert isinstance(song, MusicReply)
assert song.url == song.hq_url == "https://example.com/song.mp3"

rows = reply_to("news")
assert isinstance(rows, ArticlesReply)
assert rows.articles == [
    Article("Title", "Description", "https://example.com/1.png", "https://example.com/1")
]

picture = reply_to("image")
assert isinstance(picture, ImageReply)
assert (picture.source, picture.target) == ("gh_test", "test_user")  # swapped from the message

for word, kind in [
    ("voice", VoiceReply),
    ("video", VideoReply),
    ("agent", TransferCustomerServiceReply),
    ("articles", ArticlesReply),
    ("success", SuccessReply),
]:
    assert isinstance(reply_to(word), kind), word
assert reply_to("nothing") is None

# Rendering: WeChat's XML, every string in CDATA (even text holding "]]>").
xml = TextReply(content="a]]>b", source="gh_test", target="user", time=1700000000).to_xml()
assert xml == (
    b"<xml><ToUserName><![CDATA[user]]></ToUserName>"
    b"<FromUserName><![CDATA[gh_test]]></FromUserName>"
    b"<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
    b"<Content><![CDATA[a]]]]><![CDATA[>b]]></Content></xml>"
)

# Over the wire, SuccessReply is the literal body "success".
assert WeTest(robot).post(make_xml(TextMessage, content="success")).body == b"success"
