"""Configuration: a dict of settings, loaded from keywords, objects or files, read when used."""

import tempfile
from collections.abc import Callable
from pathlib import Path

from werobot_core import WeRoBot
from werobot_core.config import DEFAULTS, Config
from werobot_core.exceptions import ConfigError
from werobot_core.messages import TextMessage
from werobot_core.replies import TextReply
from werobot_core.session.memorystorage import MemoryStorage
from werobot_core.testing import WeTest, make_xml

# Keyword arguments: the named ones, and any other keyword stored upper-cased.
robot = WeRoBot(token="tokenhere", session_storage=MemoryStorage(), max_body_size=64 * 1024)
assert robot.config["TOKEN"] == "tokenhere"
assert robot.config["MAX_BODY_SIZE"] == 64 * 1024
assert robot.config["PORT"] == DEFAULTS["PORT"] == "8888"  # every other key has its default


# from_object copies the UPPER-CASE attributes of a class, an instance or a module.
class Settings:
    APP_ID = "wx1234567890abcdef"
    APP_SECRET = "app-secret"
    lower_case = "ignored"


robot.config.from_object(Settings)
assert robot.config["APP_ID"] == "wx1234567890abcdef"
assert "lower_case" not in robot.config

# from_pyfile runs a Python file and copies its UPPER-CASE globals.
with tempfile.TemporaryDirectory() as folder:
    settings_file = Path(folder, "settings.py")
    settings_file.write_text('HOST = "0.0.0.0"\nPORT = 80\n', encoding="utf-8")
    robot.config.from_pyfile(settings_file)
assert (robot.config["HOST"], robot.config["PORT"]) == ("0.0.0.0", 80)

# Settings are read when used: safe mode can be turned on after construction ...
assert robot.crypto is None  # APP_ID is set, ENCODING_AES_KEY not yet
robot.config["ENCODING_AES_KEY"] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


@robot.text
def echo(message: TextMessage) -> str:
    return message.content


reply = WeTest(robot).reply(make_xml(TextMessage, content="secret"), encrypted=True)
assert isinstance(reply, TextReply)
assert reply.content == "secret"

# ... and sessions turned off.
robot.config["SESSION_STORAGE"] = False
assert robot.session_storage is None


def config_error(action: Callable[[], object]) -> ConfigError:
    try:
        action()
    except ConfigError as error:
        return error
    raise AssertionError("expected ConfigError")


# A malformed EncodingAESKey passed to the constructor fails at once.
bad_key = config_error(lambda: WeRoBot(app_id="wx1234567890abcdef", encoding_aes_key="short"))
assert "43 characters" in bad_key.reason

# config= replaces every other argument (except logger).
shared = Config(DEFAULTS, TOKEN="from-config", SESSION_STORAGE=False)
assert WeRoBot(token="ignored", config=shared).config["TOKEN"] == "from-config"

# run() reads SERVER, HOST and PORT when called; an unknown server name is refused.
unknown_server = config_error(lambda: robot.run(server="tornado"))
assert "auto, wsgiref, waitress, gunicorn" in unknown_server.reason
