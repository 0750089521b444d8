"""``enable_pretty_logging``: readable, coloured log lines for a terminal (as in WeRoBot)."""

from __future__ import annotations

import logging
import sys

__all__ = ["enable_pretty_logging"]

_COLORS = {
    logging.DEBUG: "\033[34m",
    logging.INFO: "\033[32m",
    logging.WARNING: "\033[33m",
    logging.ERROR: "\033[31m",
    logging.CRITICAL: "\033[31m",
}
_RESET = "\033[0m"


class _LogFormatter(logging.Formatter):
    """The line format of ``enable_pretty_logging`` (WeRoBot's private name, kept)."""

    def __init__(self, color: bool = False) -> None:
        super().__init__(
            "[%(levelname)1.1s %(asctime)s %(module)s:%(lineno)d] %(message)s",
            datefmt="%y%m%d %H:%M:%S",
        )
        self._color = color

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        if self._color:
            return f"{_COLORS.get(record.levelno, '')}{line}{_RESET}"
        return line


def enable_pretty_logging(logger: logging.Logger | None = None, level: str = "info") -> None:
    """Send ``logger`` (default: ``WeRoBot``) to stderr at ``level``, coloured on a TTY."""
    logger = logger or logging.getLogger("WeRoBot")
    logger.setLevel(getattr(logging, level.upper()))
    if any(getattr(h, "_werobot_pretty", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(_LogFormatter(color=sys.stderr.isatty()))
    handler._werobot_pretty = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
