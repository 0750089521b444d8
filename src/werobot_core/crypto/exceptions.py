"""The errors of safe mode crypto, importable from here as in WeRoBot.

They are defined in :mod:`werobot_core.exceptions`; these are the same classes.
"""

from __future__ import annotations

from werobot_core.exceptions import (
    AppIdValidationError,
    InvalidEncodingAESKey,
    InvalidPadding,
    InvalidSignature,
    UnvalidEncodingAESKey,
)

__all__ = [
    "AppIdValidationError",
    "InvalidEncodingAESKey",
    "InvalidPadding",
    "InvalidSignature",
    "UnvalidEncodingAESKey",
]
