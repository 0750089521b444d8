"""``werobot run TARGET``: finding the robot, and the newcomer's path end to end."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.cli.cli_support import free_port, invoke

from werobot_cli.target import TargetError, load_robot
from werobot_cli.wire import Account, verify_url
from werobot_core.messages import TextMessage
from werobot_core.replies import TextReply
from werobot_core.testing import WeTest, make_xml

REPO = Path(__file__).resolve().parents[2]
WEROBOT = Path(sys.executable).parent / "werobot"
BOT = """
from werobot_core import WeRoBot

{names} = WeRoBot(token="fileToken1", SESSION_STORAGE=False)
"""


@pytest.fixture(autouse=True)
def _restore_imports() -> Iterator[None]:
    """Loading a target imports it and puts its folder on sys.path: undo both."""
    path = list(sys.path)
    yield
    sys.path[:] = path
    for name in ("bot_file_a", "bot_file_b", "bot_module_c", "hello"):
        sys.modules.pop(name, None)


def _write(folder: Path, name: str, names: str = "robot") -> Path:
    path = folder / name
    path.write_text(
        BOT.format(names=names) + "\nif __name__ == '__main__':\n    raise SystemExit(3)\n"
    )
    return path


def test_a_file_path(tmp_path: Path) -> None:
    robot = load_robot(str(_write(tmp_path, "bot_file_a.py")))
    assert robot.token == "fileToken1"


def test_a_file_path_with_attr_and_several_robots(tmp_path: Path) -> None:
    path = _write(tmp_path, "bot_file_b.py", names="first = second")
    with pytest.raises(TargetError, match=r"several robots \(first, second\)"):
        load_robot(str(path))
    assert load_robot(f"{path}:second").token == "fileToken1"


def test_a_module_and_module_attr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, "bot_module_c.py", names="bot")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert load_robot("bot_module_c").token == "fileToken1"
    assert load_robot("bot_module_c:bot").token == "fileToken1"
    with pytest.raises(TargetError, match="missing"):
        load_robot("bot_module_c:nothing")
    with pytest.raises(TargetError, match="no WeRoBot instance"):
        load_robot("json")
    with pytest.raises(TargetError, match="no module named 'no_such_module_x'"):
        load_robot("no_such_module_x")


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke(["run", str(tmp_path / "absent.py")])
    assert result.exit_code == 2
    assert "no such file" in result.output


@pytest.fixture
def hello_served(tmp_path: Path) -> Iterator[str]:
    """``werobot run examples/hello.py --port P`` as a subprocess; its URL once it answers."""
    port = free_port()
    hello = REPO / "examples" / "hello.py"
    command = [str(WEROBOT), "run", str(hello), "--port", str(port)]
    process = subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_up(url, str(load_robot(str(hello)).token), process)
        yield url
    finally:
        process.terminate()
        process.wait(10)
        assert process.stdout is not None
        process.stdout.close()


def _wait_until_up(url: str, token: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    with httpx.Client() as http:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"werobot run exited with {process.returncode}")
            if verify_url(http, Account(url, token), cutoff=1).ok:
                return
            time.sleep(0.1)
    raise AssertionError("werobot run did not answer within 30 s")


def test_run_then_simulate_as_a_new_user_would(hello_served: str) -> None:
    """README's path: `werobot run examples/hello.py`, then `werobot simulate ... text hello`."""
    robot = load_robot(str(REPO / "examples" / "hello.py"))
    robot.config["SESSION_STORAGE"] = False
    expected = WeTest(robot).send_xml(make_xml(TextMessage, content="hello"))
    assert isinstance(expected, TextReply)
    command = [str(WEROBOT), "simulate", hello_served, "--token", str(robot.token), "text", "hello"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "← 200" in done.stdout
    assert f"content: {expected.content}" in done.stdout
