"""``Settings``: the robot's configuration as one frozen, typed value (DESIGN §5b).

:class:`~werobot_core.config.Config` stays the ``dict`` WeRoBot users write into
(``robot.config["APP_ID"] = ...``, ``from_pyfile``). ``Settings.from_config`` reads it once:
every key's default is written here, values are coerced (``PORT="8888"`` is ``8888``) and a
bad value is a :class:`~werobot_core.exceptions.ConfigError` naming its key. The robot
rebuilds its ``Settings`` when the ``Config`` changes; nothing on the request path reads
``config[...]``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from werobot_core.exceptions import ConfigError
from werobot_core.handlers import STRATEGIES, Strategy

__all__ = ["DEFAULTS", "QUEUES", "SERVERS", "STRATEGIES", "Settings", "Strategy"]

#: The names ``SERVER`` accepts.
SERVERS = ("auto", "wsgiref", "waitress", "gunicorn")
#: The names ``DEADLINE_QUEUE`` accepts.
QUEUES = ("pool", "dramatiq")


def _optional_str(key: str, value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise ConfigError(f"{key} must be a string, not {value!r}")


def _str(key: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    raise ConfigError(f"{key} must be a string, not {value!r}")


def _number(cast: Callable[[Any], Any], minimum: float) -> Callable[[str, Any], Any]:
    def coerce(key: str, value: Any) -> Any:
        try:
            if isinstance(value, bool):
                raise ValueError
            number = cast(value)
        except (TypeError, ValueError, OverflowError):
            raise ConfigError(f"{key} must be a number, not {value!r}") from None
        if not number >= minimum:  # also refuses NaN
            raise ConfigError(f"{key} must be at least {minimum}, not {value!r}")
        return number

    return coerce


def _optional(coerce: Callable[[str, Any], Any]) -> Callable[[str, Any], Any]:
    return lambda key, value: None if value is None else coerce(key, value)


def _flag(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in (0, 1):
        return bool(value)
    raise ConfigError(f"{key} must be True or False, not {value!r}")


def _choice(choices: tuple[str, ...]) -> Callable[[str, Any], Any]:
    def coerce(key: str, value: Any) -> Any:
        if value not in choices:
            raise ConfigError(f"{key} must be one of {', '.join(choices)}, not {value!r}")
        return value

    return coerce


def _text_limit(key: str, value: Any) -> int:
    limit: int = _number(int, 0)(key, value)
    if 0 < limit < 16:
        raise ConfigError(f"{key} must be 0 (no splitting) or at least 16, not {value!r}")
    return limit or NO_LIMIT


#: ``TEXT_LIMIT = 0``: texts are never split.
NO_LIMIT = 2**62


def _any(key: str, value: Any) -> Any:
    return value  # checked where the object is used (a store, a session storage)


@dataclasses.dataclass(frozen=True, slots=True)
class Settings:
    """Every setting the SDK reads (SPEC §7), typed. Attribute = lower-case config key."""

    token: str | None = None
    app_id: str | None = None
    app_secret: str | None = None
    encoding_aes_key: str | None = None
    session_storage: Any = None
    """A ``SessionStorage``, ``False`` (no sessions) or ``None`` (the default SQLite file)."""
    server: str = "auto"
    """Checked against ``SERVERS`` by ``run``: an adapter-served robot never reads it."""
    host: str = "127.0.0.1"
    port: int = 8888
    max_body_size: int = 1024 * 1024
    timestamp_tolerance: float | None = None
    dedup: bool = True
    dedup_ttl: float = 30.0
    dedup_store: Any = None
    """A ``DedupStore`` shared by several processes, or ``None`` (in-process)."""
    reply_deadline: float = 4.5
    deadline_strategy: Strategy = "retry"
    deadline_workers: int = 16
    wechat_timeout: float = 5.0
    token_mode: str = "token"
    """How the API client gets access tokens: ``"token"`` or ``"stable"`` (``stable_token``)."""
    api_base_url: str = "https://api.weixin.qq.com"
    """Where the API client sends its calls (a proxy, or a test fake on loopback)."""
    typing_indicator: bool = True
    """Show "typing…" while a late answer is worked on (``push``)."""
    typing_interval: float = 15.0
    next_message_hint: str = "still thinking, send any message to get the answer"
    """The answer of a late delivery kept for the next message because the account has no
    customer-service API (48001)."""
    text_limit: int = 2048
    """Bytes of UTF-8 in one text reply or customer-service text; longer texts are split
    (``0`` in the config: never)."""
    deadline_queue: str = "pool"
    """Where late handler runs go: ``"pool"`` (this process) or ``"dramatiq"`` (a worker)."""
    queue_broker: str = "amqp://guest:guest@127.0.0.1:5672/"
    """The broker of ``DEADLINE_QUEUE = "dramatiq"`` (``amqp://`` or ``redis://``)."""

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        """The settings of ``config``; a missing key takes its default.

        Raises :class:`ConfigError` naming the key of a value that does not fit.
        """
        values: dict[str, Any] = {}
        for name, coerce in _COERCE.items():
            key = name.upper()
            if key in config:
                values[name] = coerce(key, config[key])
        return cls(**values)


#: How a config value becomes each setting.
_COERCE: dict[str, Callable[[str, Any], Any]] = {
    "token": _optional_str,
    "app_id": _optional_str,
    "app_secret": _optional_str,
    "encoding_aes_key": _optional_str,
    "session_storage": _any,
    "server": _str,
    "host": _str,
    "port": _number(int, 0),
    "max_body_size": _number(int, 0),
    "timestamp_tolerance": _optional(_number(float, 0)),
    "dedup": _flag,
    "dedup_ttl": _number(float, 0),
    "dedup_store": _any,
    "reply_deadline": _number(float, 0),
    "deadline_strategy": _choice(STRATEGIES),
    "deadline_workers": _number(int, 1),
    "wechat_timeout": _number(float, 0),
    "token_mode": _choice(("token", "stable")),
    "api_base_url": _str,
    "typing_indicator": _flag,
    "typing_interval": _number(float, 0.1),
    "next_message_hint": _str,
    "text_limit": _text_limit,
    "deadline_queue": _choice(QUEUES),
    "queue_broker": _str,
}
#: Defaults shown in ``DEFAULTS`` as the seed wrote them, where that differs from the type.
_SHOWN = {"port": "8888", "dedup_ttl": 30}


#: Every key the SDK reads, with its default as written in a ``Config`` (SPEC §7).
DEFAULTS: dict[str, Any] = {
    field.name.upper(): _SHOWN.get(field.name, field.default)
    for field in dataclasses.fields(Settings)
}
