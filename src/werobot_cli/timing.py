"""WeChat's timing, apart from :mod:`werobot_cli.wire` so that option defaults cost no imports."""

from __future__ import annotations

__all__ = ["CUTOFF"]

#: WeChat hangs up on a server that has not answered within this many seconds.
CUTOFF = 5.0
