"""Draft box and publishing, one flow: add a draft, publish it, hear that it finished."""

import httpx

from werobot_client import Client
from werobot_client.testing import FakeWeChat
from werobot_core import WeRoBot
from werobot_core.messages import PublishJobFinishEvent
from werobot_core.testing import WeTest, make_xml

wechat = FakeWeChat()
wechat.queue("/cgi-bin/draft/add", {"media_id": "DRAFT_ID"})
wechat.queue("/cgi-bin/freepublish/submit", {"publish_id": "100000001", "msg_data_id": 22})
wechat.queue(
    "/cgi-bin/freepublish/getarticle",
    {"news_item": [{"title": "新品上市", "url": "https://mp.weixin.qq.com/s/x"}]},
)

robot = WeRoBot(
    token="tokenhere", APP_ID="wx1234567890", APP_SECRET="app-secret", SESSION_STORAGE=False
)
robot.client = Client(robot.config, http_client=httpx.Client(transport=wechat.transport()))
links: list[str] = []

article = {"title": "新品上市", "content": "<p>…</p>", "thumb_media_id": "THUMB_MEDIA_ID"}
draft = robot.client.add_draft([article])  # MediaId
job = robot.client.publish_draft(draft.media_id)  # PublishSubmitted: a job, not yet published
assert job.publish_id == "100000001"


@robot.publishjobfinish  # WeChat pushes the end of the job (or poll get_publish_status)
def published(event: PublishJobFinishEvent) -> None:
    if event.publish_status == 0 and event.article_id:
        news = robot.client.get_published_article(event.article_id)
        links.extend(item.url or "" for item in news.news_item)


push = make_xml(
    PublishJobFinishEvent,
    PublishEventInfo={"publish_id": "100000001", "publish_status": "0", "article_id": "A1"},
)
WeTest(robot).send_xml(push)
assert links == ["https://mp.weixin.qq.com/s/x"]
print("publishing example: ok")
