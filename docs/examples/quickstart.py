"""Quickstart: a robot that answers every message, tested without a server."""

from werobot_core import WeRoBot
from werobot_core.messages import TextMessage, WeChatMessage
from werobot_core.replies import TextReply
from werobot_core.testing import WeTest, make_xml, post_request, verify_request

robot = WeRoBot(token="tokenhere", SESSION_STORAGE=False)


@robot.handler
def hello(message: WeChatMessage) -> str:
    return "Hello World!"


# Saving the server URL in WeChat's admin page sends a signed GET: the robot echoes `echostr`.
answer = robot.handle(verify_request("tokenhere", echostr="it works"))
assert (answer.status, answer.body) == (200, b"it works")

# A user sends "hi": the handler runs and its str becomes a TextReply.
reply = WeTest(robot).send_xml(make_xml(TextMessage, content="hi"))
assert isinstance(reply, TextReply)
assert reply.content == "Hello World!"

# The same push through the whole pipeline, signed as WeChat signs it.
answer = robot.handle(post_request("tokenhere", make_xml(TextMessage, content="hi")))
assert answer.status == 200
assert answer.headers["Content-Type"] == "application/xml; charset=utf-8"
assert b"<Content><![CDATA[Hello World!]]></Content>" in answer.body

# A request that WeChat did not sign is refused.
forged = robot.handle(verify_request("not-the-token"))
assert forged.status == 403

# To serve it for real (127.0.0.1:8888 unless HOST/PORT say otherwise):
#     robot.run()
