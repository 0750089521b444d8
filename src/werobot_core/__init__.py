"""werobot_core: typed WeChat Official Account webhooks (the successor of WeRoBot).

::

    from werobot_core import WeRoBot

    robot = WeRoBot(token="tokenhere")

    @robot.text
    def hello(message):
        return "Hello World!"

    robot.run()
"""

from werobot_core.config import Config
from werobot_core.exceptions import WeRoBotError
from werobot_core.pipeline import handle, handle_async
from werobot_core.request import WeChatRequest, WeChatResponse
from werobot_core.robot import BaseRoBot, WeRoBot

__all__ = [
    "BaseRoBot",
    "Config",
    "WeChatRequest",
    "WeChatResponse",
    "WeRoBot",
    "WeRoBotError",
    "handle",
    "handle_async",
]
__version__ = "0.1.0"
