"""Flask: mount a robot with `werobot_adapters.flask.make_view`, checked by Flask's test client."""

from urllib.parse import urlencode

from flask import Flask

from werobot_adapters.flask import make_view
from werobot_core import WeRoBot
from werobot_core.messages import TextMessage
from werobot_core.replies import TextReply
from werobot_core.testing import make_xml, parse_reply, signed_query

robot = WeRoBot(token="tokenhere", SESSION_STORAGE=False)


@robot.text
def hello(message: TextMessage) -> str:
    return f"Hello, {message.content}!"


app = Flask(__name__)
app.add_url_rule("/wechat", view_func=make_view(robot))  # every HTTP method goes to the robot

if __name__ == "__main__":
    client = app.test_client()

    # The URL check WeChat sends when you save the server URL: a signed GET, echoed back.
    query = urlencode({**signed_query("tokenhere"), "echostr": "it works"})
    response = client.get(f"/wechat?{query}")
    assert (response.status_code, response.data) == (200, b"it works")

    # A user's text message: the handler's reply, as XML.
    query = urlencode(signed_query("tokenhere"))
    response = client.post(f"/wechat?{query}", data=make_xml(TextMessage, content="Flask"))
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    reply = parse_reply(response.data)
    assert isinstance(reply, TextReply)
    assert reply.content == "Hello, Flask!"

    # Unsigned requests are refused before any handler runs.
    assert client.post("/wechat?signature=forged", data=b"<xml/>").status_code == 403
