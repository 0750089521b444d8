"""WeRoBot's ``werobot.utils`` names, kept for code that imports them from here.

Only the four signature and TOKEN helpers live on; they are implemented in
:mod:`werobot_core.signature`.
"""

from __future__ import annotations

from werobot_core.signature import check_signature, check_token, generate_token, get_signature

__all__ = ["check_signature", "check_token", "generate_token", "get_signature"]
