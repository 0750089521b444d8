"""``Accounts``: several Official Accounts on one robot, each with its own engine."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import httpx
import pytest

from werobot_client import Client
from werobot_client.testing import FakeWeChat
from werobot_core import WeRoBot
from werobot_core.accounts import Account, AccountConfig, Accounts
from werobot_core.config import Config
from werobot_core.crypto import MessageCrypt
from werobot_core.messages import TextMessage
from werobot_core.request import WeChatRequest
from werobot_core.routing import Router
from werobot_core.session.memorystorage import MemoryStorage
from werobot_core.testing import make_xml, parse_reply, post_request
from werobot_core.xmlcodec import parse_xml

KEY_A = base64.b64encode(bytes(range(32))).decode()[:-1]
KEY_B = base64.b64encode(bytes(range(100, 132))).decode()[:-1]
A = Account(app_id="wxaaaa", token="token-a", encoding_aes_key=KEY_A, app_secret="sa")
B = Account(app_id="wxbbbb", token="token-b", encoding_aes_key=KEY_B, app_secret="sb")


def _robot(**config: Any) -> tuple[WeRoBot, list[tuple[str | None, str]]]:
    robot = WeRoBot(session_storage=MemoryStorage(), **config)
    seen: list[tuple[str | None, str]] = []

    @robot.text
    def count(message: TextMessage, session: dict[str, Any]) -> str:
        session["n"] = session.get("n", 0) + 1
        seen.append((message.account, message.content))
        return f"{message.account} #{session['n']}"

    return robot, seen


def _push(account: Account, content: str, msg_id: int, *, encrypted: bool = False) -> WeChatRequest:
    xml = make_xml(TextMessage, content=content, source="same-openid", message_id=msg_id)
    crypto = None
    if encrypted:
        assert account.encoding_aes_key is not None
        crypto = MessageCrypt(account.token, account.encoding_aes_key, account.app_id)
    url = f"http://testserver/wechat/{account.app_id}"
    return post_request(account.token, xml, crypto=crypto, url=url)


def _text(accounts: Accounts, request: WeChatRequest, account: Account) -> str:
    answer = accounts.handle(request)
    assert answer.status == 200, answer.body
    body = answer.body
    if "encrypt_type" in request.query:
        assert account.encoding_aes_key is not None
        crypt = MessageCrypt(account.token, account.encoding_aes_key, account.app_id)
        envelope = parse_xml(body)
        body = crypt.decrypt_message(
            str(envelope["TimeStamp"]),
            str(envelope["Nonce"]),
            str(envelope["MsgSignature"]),
            str(envelope["Encrypt"]),
        )
    reply = parse_reply(body)
    assert reply is not None
    return str(reply._args["content"])


def test_each_account_has_its_crypto_sessions_and_dedup_keys() -> None:
    robot, seen = _robot()
    accounts = robot.for_accounts([A, B])
    assert _text(accounts, _push(A, "1", 100), A) == "wxaaaa #1"
    assert _text(accounts, _push(A, "2", 101, encrypted=True), A) == "wxaaaa #2"
    # the same OpenID and the same MsgId on B: its own session, not a WeChat retry
    assert _text(accounts, _push(B, "1", 100, encrypted=True), B) == "wxbbbb #1"
    # a retry of A's push is answered from the dedup store, no second run
    assert _text(accounts, _push(A, "2", 101, encrypted=True), A) == "wxaaaa #2"
    assert seen == [("wxaaaa", "1"), ("wxaaaa", "2"), ("wxbbbb", "1")]
    storage = robot.session_storage
    assert storage is not None
    assert (storage.get("wxaaaa:same-openid"), storage.get("wxbbbb:same-openid")) == (
        {"n": 2},
        {"n": 1},
    )
    assert storage.get("same-openid") == {}


def test_a_push_signed_with_the_other_accounts_token_is_refused() -> None:
    accounts = _robot()[0].for_accounts([A, B])
    request = _push(B, "x", 1)  # B's token and key ...
    request = WeChatRequest(request.method, request.query, request.body, url=_push(A, "x", 1).url)
    assert accounts.handle(request).status == 403  # ... on A's URL
    mixed = _push(A, "x", 2, encrypted=True)
    crypto_b = MessageCrypt(A.token, KEY_B, A.app_id)  # A's token, B's key
    bad = post_request(A.token, make_xml(TextMessage, content="x"), crypto=crypto_b, url=mixed.url)
    assert accounts.handle(bad).status == 400  # B's key does not decrypt as A's


def test_unknown_account_is_404_and_a_resolver_routes() -> None:
    robot = _robot()[0]
    accounts = robot.for_accounts([A, B])
    stray = post_request(A.token, make_xml(TextMessage, content="x"), url="http://h/wechat/wxzz")
    answer = accounts.handle(stray)
    assert (answer.status, answer.body) == (404, b"unknown account")
    by_header = robot.for_accounts([A, B], resolver=lambda r: r.query.get("appid"))
    request = _push(B, "x", 7)
    routed = WeChatRequest("POST", {**request.query, "appid": B.app_id}, request.body, url="/")
    assert _text(by_header, routed, B) == "wxbbbb #1"
    with pytest.raises(ValueError, match="twice"):
        robot.for_accounts([A, A])


def test_handle_async_routes_the_same_way() -> None:
    robot, seen = _robot()

    @robot.text
    async def never(message: TextMessage) -> str:  # makes the async driver run
        return "unused"

    accounts = robot.for_accounts([A, B])
    answer = asyncio.run(accounts.handle_async(_push(B, "async", 5, encrypted=True)))
    assert answer.status == 200
    assert seen == [("wxbbbb", "async")]


def test_robot_client_in_a_handler_is_the_accounts_client() -> None:
    wechat = FakeWeChat()
    robot = WeRoBot(SESSION_STORAGE=False)

    @robot.text
    def notify(message: TextMessage) -> str:
        robot.client.send_text_message(message.source, f"from {message.account}")
        return "sent"

    accounts = robot.for_accounts([A, B])
    for account in (A, B):
        engine = accounts.engine(account.app_id)
        http = httpx.Client(transport=wechat.transport())
        engine.client = Client(engine.config, http_client=http)
    for account, msg_id in ((A, 1), (B, 2), (A, 3)):
        assert _text(accounts, _push(account, "x", msg_id), account) == "sent"
    grants = [r.url.params["appid"] for r in wechat.requests if r.url.path == "/cgi-bin/token"]
    assert grants == ["wxaaaa", "wxbbbb"]  # one token per account, each cached
    sends = [r.url.params["access_token"] for r in wechat.api_requests]
    assert sends == ["T1", "T2", "T1"]
    assert accounts.client(A.app_id).appid == "wxaaaa"
    assert robot.client.appid is None  # outside a handler: the robot's own (no APP_ID)


def test_an_account_may_bring_its_own_router_and_settings() -> None:
    robot = _robot()[0]
    own = Router()

    @own.text
    def special(message: TextMessage) -> str:
        return "special"

    c = Account(app_id="wxcccc", token="token-c", router=own, config={"SESSION_STORAGE": False})
    accounts = robot.for_accounts([A, c])
    assert _text(accounts, _push(c, "x", 1), c) == "special"
    assert accounts.engine("wxcccc").session_storage is None
    assert accounts.engine("wxaaaa").session_storage is robot.session_storage
    assert list(accounts) == ["wxaaaa", "wxcccc"]
    assert len(accounts) == 2
    assert "wxcccc" in accounts


def test_account_config_layers_over_the_robots_and_follows_it() -> None:
    base = Config(REPLY_DEADLINE=3, TOKEN="base")
    layered = AccountConfig(base, {"TOKEN": "own"})
    assert (layered["TOKEN"], layered["REPLY_DEADLINE"], layered.get("NOPE", 1)) == ("own", 3, 1)
    assert "REPLY_DEADLINE" in layered
    before = layered.version
    base["REPLY_DEADLINE"] = 2
    assert layered.version > before
    assert layered["REPLY_DEADLINE"] == 2
    with pytest.raises(KeyError):
        layered["NOPE"]
