"""Where the shared sample payloads and crypto vectors are (never copied into the repo).

``WEROBOT_VECTORS`` names the folder; otherwise ``shared/vectors`` beside the checkout
(where CI puts it), then ``/work/shared/vectors``.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["VECTORS"]


def _find() -> Path:
    if "WEROBOT_VECTORS" in os.environ:
        return Path(os.environ["WEROBOT_VECTORS"])
    beside = Path(__file__).resolve().parents[2] / "shared" / "vectors"
    return beside if beside.is_dir() else Path("/work/shared/vectors")


VECTORS = _find()
