"""``werobot check`` warns when the robot accepts old signed requests (TIMESTAMP_TOLERANCE off)."""

from __future__ import annotations

from tests.cli.cli_support import CLI_TOKEN, Serve, invoke, make_cli_robot


def test_check_warns_when_the_replay_window_is_off(plain_url: str) -> None:
    result = invoke(["check", "--token", CLI_TOKEN, "--url", plain_url])
    assert result.exit_code == 0, result.output  # a warning, not a problem
    assert "! the robot accepts a request signed an hour ago" in result.output
    assert "TIMESTAMP_TOLERANCE is off" in result.output
    assert 'fix: set robot.config["TIMESTAMP_TOLERANCE"] = 300' in result.output


def test_check_is_content_when_the_replay_window_is_on(serve_robot: Serve) -> None:
    robot = make_cli_robot()
    robot.config["TIMESTAMP_TOLERANCE"] = 300
    result = invoke(["check", "--token", CLI_TOKEN, "--url", serve_robot(robot)])
    assert result.exit_code == 0, result.output
    assert "✓ the robot refuses a request signed an hour ago" in result.output
    assert "TIMESTAMP_TOLERANCE is off" not in result.output
    assert "all good" in result.output
