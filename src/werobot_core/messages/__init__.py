"""Every inbound message and event model, and the tables derived from them.

Messages live in :mod:`werobot_core.messages.messages`, events in
:mod:`werobot_core.messages.events`; both are re-exported here. Each class declares its
``MsgType`` (and ``Event``) once; :data:`MESSAGE_TYPES`, the parsing table and the robot's
decorators are all derived from those declarations.
"""

from __future__ import annotations

from werobot_core.messages import events as _events
from werobot_core.messages import messages as _messages
from werobot_core.messages.events import *  # noqa: F403 (each module's __all__ is its list)
from werobot_core.messages.messages import *  # noqa: F403

#: Every message and event class, the two unknown fallbacks last.
MESSAGE_TYPES: tuple[type[_messages.WeChatMessage], ...] = (
    *_messages.MESSAGES,
    *_events.EVENTS,
    _messages.UnknownMessage,
    _events.UnknownEvent,
)

#: ``type`` (dispatch key) → class, for every class of :data:`MESSAGE_TYPES`.
DISPATCH_KEYS: dict[str, type[_messages.WeChatMessage]] = {
    c.dispatch_key(): c for c in MESSAGE_TYPES
}

__all__ = ["DISPATCH_KEYS", "MESSAGE_TYPES"]
__all__ += _events.__all__
__all__ += _messages.__all__
__all__.sort(key=lambda name: (not name.isupper(), not name[:1].isupper(), name))  # RUF022
