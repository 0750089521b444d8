"""``enable_pretty_logging``: one handler, added once; colours only on a terminal."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from werobot_core.logger import enable_pretty_logging


class Terminal(io.StringIO):
    """A stderr that says it is a TTY."""

    def isatty(self) -> bool:
        return True


def pretty_handlers(logger: logging.Logger) -> list[logging.Handler]:
    return [h for h in logger.handlers if getattr(h, "_werobot_pretty", False)]


@pytest.fixture
def logger(request: pytest.FixtureRequest) -> Iterator[logging.Logger]:
    """A fresh logger that does not propagate; its handlers are removed afterwards."""
    log = logging.getLogger(f"test_logger.{request.node.name}")
    log.propagate = False
    before = list(log.handlers)
    yield log
    for handler in [h for h in log.handlers if h not in before]:
        log.removeHandler(handler)
    log.setLevel(logging.NOTSET)


def test_adds_one_handler_once(logger: logging.Logger) -> None:
    enable_pretty_logging(logger)
    enable_pretty_logging(logger)
    enable_pretty_logging(logger, level="debug")
    assert len(pretty_handlers(logger)) == 1
    assert isinstance(pretty_handlers(logger)[0], logging.StreamHandler)
    assert logger.level == logging.DEBUG


def test_keeps_other_handlers(logger: logging.Logger) -> None:
    mine = logging.NullHandler()
    logger.addHandler(mine)
    enable_pretty_logging(logger)
    assert mine in logger.handlers
    assert len(pretty_handlers(logger)) == 1


@pytest.mark.parametrize(
    ("level", "expected"), [("info", logging.INFO), ("WARNING", logging.WARNING)]
)
def test_sets_the_level(logger: logging.Logger, level: str, expected: int) -> None:
    enable_pretty_logging(logger, level=level)
    assert logger.level == expected


def test_colours_on_a_tty(logger: logging.Logger, monkeypatch: pytest.MonkeyPatch) -> None:
    stream = Terminal()
    monkeypatch.setattr("sys.stderr", stream)
    enable_pretty_logging(logger)
    logger.warning("careful %s", "now")
    logger.error("broken")
    output = stream.getvalue().splitlines()
    assert output[0].startswith("\033[33m[W ")
    assert output[0].endswith("careful now\033[0m")
    assert output[1].startswith("\033[31m[E ")
    assert output[1].endswith("broken\033[0m")
    assert "test_logger:" in output[0]


def test_no_colours_when_not_a_tty(logger: logging.Logger, monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    enable_pretty_logging(logger)
    logger.info("plain line")
    logger.debug("hidden at info level")
    text = stream.getvalue()
    assert "\033[" not in text
    assert text.startswith("[I ")
    assert text.rstrip().endswith("plain line")
    assert "hidden" not in text


def test_default_logger_is_werobot(monkeypatch: pytest.MonkeyPatch) -> None:
    werobot = logging.getLogger("WeRoBot")
    before, level = list(werobot.handlers), werobot.level
    monkeypatch.setattr("sys.stderr", io.StringIO())
    try:
        enable_pretty_logging()
        enable_pretty_logging()
        assert werobot.level == logging.INFO
        assert len(pretty_handlers(werobot)) == 1
    finally:
        for handler in werobot.handlers:
            if handler not in before:
                werobot.removeHandler(handler)
        werobot.setLevel(level)
