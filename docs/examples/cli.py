"""The `werobot` command against a robot served on 127.0.0.1: simulate, verify, check.

It starts a robot in a thread (what `werobot run bot.py` does), then runs the commands you
would type in a terminal, in-process with typer's test runner, and checks what they print.
"""

import threading

from typer.testing import CliRunner, Result

from werobot_cli.main import app
from werobot_core import WeRoBot
from werobot_core.messages import TextMessage
from werobot_core.server import make_server

TOKEN = "tokenhere"
robot = WeRoBot(token=TOKEN, SESSION_STORAGE=False)


@robot.text
def echo(message: TextMessage) -> str:
    return f"you said {message.content}"


server = make_server(robot, "127.0.0.1", 0)  # 0: any free port
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f"http://127.0.0.1:{server.server_port}/"


def werobot(*args: str) -> Result:
    """Run `werobot ARGS...` and capture what it prints."""
    return CliRunner().invoke(app, list(args))


# werobot simulate URL --token T text hello: one signed push, the typed reply printed.
done = werobot("simulate", url, "--token", TOKEN, "text", "hello")
assert done.exit_code == 0, done.output
assert "TextReply (text)" in done.output
assert "content: you said hello" in done.output

# --verify: the GET that WeChat sends when you save the server URL.
assert werobot("simulate", url, "--token", TOKEN, "--verify").exit_code == 0

# werobot check: a TOKEN that differs from the robot's is found, with its fix.
done = werobot("check", "--token", "otherToken", "--url", url)
assert done.exit_code == 1
assert "its TOKEN differs" in done.output
assert "fix: use the same TOKEN here" in done.output

server.shutdown()
server.server_close()
