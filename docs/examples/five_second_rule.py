"""A slow handler under the 5-second rule: WeChat's retry gets the answer, once."""

import threading
import time

from werobot_core import WeRoBot
from werobot_core.messages import TextMessage
from werobot_core.testing import make_xml, parse_reply, post_request

# WECHAT_TIMEOUT scales WeChat's 5-second cut-off down for this demo (0.5 s).
robot = WeRoBot(token="tok", SESSION_STORAGE=False, WECHAT_TIMEOUT=0.5, REPLY_DEADLINE=0.45)
runs: list[str] = []


@robot.text  # strategy "retry" (the default)
def think(message: TextMessage) -> str:
    runs.append(message.content)
    time.sleep(0.7)  # longer than WeChat waits
    return "Here is my long answer"


push = make_xml(TextMessage, content="question")
answers: dict[int, bytes] = {}


def delivery(n: int) -> None:
    answers[n] = robot.handle(post_request("tok", push)).body


first = threading.Thread(target=delivery, args=(1,))
first.start()
time.sleep(0.5)  # WeChat gives up on delivery 1 and sends the push again
delivery(2)
first.join()

reply = parse_reply(answers[2])
assert reply is not None
assert getattr(reply, "content", None) == "Here is my long answer"
assert runs == ["question"]  # the handler ran once for both deliveries
print("delivery 2 got:", getattr(reply, "content", None))
