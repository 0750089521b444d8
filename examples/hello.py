"""Hello World: the robot of WeRoBot's first page, served on 127.0.0.1:8888 (``make run``)."""

from werobot_core import WeRoBot
from werobot_core.messages import WeChatMessage

robot = WeRoBot(token="tokenhere")


@robot.handler
def hello(message: WeChatMessage) -> str:
    return "Hello World!"


robot.config["HOST"] = "127.0.0.1"
robot.config["PORT"] = 8888

if __name__ == "__main__":
    robot.run()
