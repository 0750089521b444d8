"""The peers, driven the way their own servers drive them (bench/requirements.txt pins them).

* WeRoBot 1.13.1: what its bottle view (``werobot.contrib.bottle.make_view``, mounted by
  ``robot.wsgi``) does per request: ``robot.check_signature`` on the query,
  ``robot.parse_message`` (which decrypts when the body holds ``<Encrypt>``), then
  ``robot.get_encrypted_reply``. Sessions off (``SESSION_STORAGE=False``). WeRoBot encrypts
  every reply once its ``crypto`` was used, so plaintext and safe mode get separate robots.
* wechatpy 1.8.18 has no server; its documented webhook recipe is ``check_signature``,
  ``WeChatCrypto.decrypt_message`` (safe mode), ``parse_message``, ``create_reply(...)``
  ``.render()`` and ``WeChatCrypto.encrypt_message`` (safe mode). Its "handler" is the
  same decision as ours: "Hello World!" to text, a welcome to a subscribe event.

A peer that is not installed gives ``None`` (its column shows ``n/a``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench_cases import APP_ID, ENCODING_AES_KEY, HELLO, OTHER, TOKEN, WELCOME, Answer, Scenario
from bench_cases import wsgi_environ as make_environ_factory

__all__ = ["peer_versions", "wechatpy_peer", "werobot_peer"]

Contender = Callable[[], Answer]


def peer_versions() -> dict[str, str]:
    """The installed version of each peer (``"missing"`` when absent)."""
    from importlib.metadata import PackageNotFoundError, version

    found: dict[str, str] = {}
    for name in ("werobot", "wechatpy", "xmltodict"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "missing"
    return found


def _werobot_robot(encrypted: bool, others: bool = False) -> Any:
    from werobot import WeRoBot

    settings: dict[str, Any] = {"token": TOKEN, "SESSION_STORAGE": False}
    if encrypted:
        settings.update(app_id=APP_ID, encoding_aes_key=ENCODING_AES_KEY)
    robot = WeRoBot(**settings)

    def hello(message: Any) -> str:
        return HELLO

    def welcome(message: Any) -> str:
        return WELCOME

    robot.add_handler(hello, type="text")  # as @robot.text does (WeRoBot is untyped)
    robot.add_handler(welcome, type="subscribe_event")
    if others:  # as @robot.handler does: every type, after the handlers of its own type

        def other(message: Any) -> str:
            return OTHER

        robot.add_handler(other)
    return robot


def _discard(data: bytes) -> None:
    return None


def _start_response(
    status: str, headers: list[tuple[str, str]], exc_info: object = None, /
) -> Callable[[bytes], object]:
    return _discard


def werobot_peer(scenario: Scenario) -> Contender | None:
    """WeRoBot's per-request work for ``scenario`` (its bottle app for ``wsgi``)."""
    try:
        robot = _werobot_robot(scenario.encrypted)
    except ImportError:
        return None
    if scenario.key == "wsgi":
        app = robot.wsgi
        environ = make_environ_factory(scenario)

        def via_bottle() -> Answer:
            return b"".join(app(environ(), _start_response))

        return via_bottle
    query, body = scenario.query, scenario.body
    timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
    signature, msg_signature = query.get("signature", ""), query.get("msg_signature", "")

    def view() -> Answer:
        if not robot.check_signature(timestamp, nonce, signature):
            raise AssertionError("WeRoBot refused the signature")
        message = robot.parse_message(
            body, timestamp=timestamp, nonce=nonce, msg_signature=msg_signature
        )
        reply: str = robot.get_encrypted_reply(message)
        return reply

    return view


def _answer(message: Any) -> str | None:
    if message.type == "text":
        return HELLO
    if message.type == "event" and message.event == "subscribe":
        return WELCOME
    return None


def wechatpy_peer(scenario: Scenario) -> Contender | None:
    """wechatpy's documented webhook recipe for ``scenario`` (``None`` for ``wsgi``)."""
    try:
        from wechatpy import create_reply, parse_message
        from wechatpy.crypto import WeChatCrypto
        from wechatpy.utils import check_signature
    except ImportError:
        return None
    if scenario.key == "wsgi":
        return None
    crypto = WeChatCrypto(TOKEN, ENCODING_AES_KEY, APP_ID) if scenario.encrypted else None
    query, body = scenario.query, scenario.body
    timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
    signature, msg_signature = query.get("signature", ""), query.get("msg_signature", "")

    def recipe() -> Answer:
        check_signature(TOKEN, signature, timestamp, nonce)  # raises when wrong
        xml = (
            body
            if crypto is None
            else crypto.decrypt_message(body, msg_signature, timestamp, nonce)
        )
        message = parse_message(xml)
        rendered: str = create_reply(_answer(message), message).render()
        if crypto is not None:
            rendered = crypto.encrypt_message(rendered, nonce, timestamp)
        return rendered

    return recipe
