"""werobot_core: typed WeChat Official Account webhooks (the successor of WeRoBot).

::

    from werobot_core import WeRoBot

    robot = WeRoBot(token="tokenhere")

    @robot.text
    def hello(message):
        return "Hello World!"

    robot.run()
"""

from typing import TYPE_CHECKING, Any

from werobot_core.config import Config
from werobot_core.exceptions import WeRoBotError
from werobot_core.request import WeChatRequest, WeChatResponse

if TYPE_CHECKING:
    from werobot_core.pipeline import handle, handle_async
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


def __getattr__(name: str) -> Any:
    """``WeRoBot`` and ``BaseRoBot`` import the robot, ``handle`` and ``handle_async`` the
    pipeline, when first asked for: the CLI's modules (``werobot --help``) import
    ``werobot_core.config`` and the like without the robot, its engine and their regexes."""
    if name in ("BaseRoBot", "WeRoBot"):
        from werobot_core import robot

        return getattr(robot, name)
    if name in ("handle", "handle_async"):
        from werobot_core import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'werobot_core' has no attribute {name!r}")
