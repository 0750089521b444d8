"""Several Official Accounts on one server: one robot's handlers, an engine per account."""

from typing import Any

from werobot_core import WeRoBot
from werobot_core.accounts import Account
from werobot_core.messages import TextMessage
from werobot_core.session.memorystorage import MemoryStorage
from werobot_core.testing import make_xml, parse_reply, post_request

robot = WeRoBot(session_storage=MemoryStorage())  # handlers and shared settings


@robot.text
def hello(message: TextMessage, session: dict[str, Any]) -> str:
    session["visits"] = session.get("visits", 0) + 1
    # message.account is the AppID the push was sent to; inside a handler,
    # robot.client is that account's API client (its own AppSecret and token).
    assert robot.client.appid == message.account
    return f"{message.account}: visit #{session['visits']}"


accounts = robot.for_accounts(
    [
        Account(app_id="wx1111111111111111", token="token-one", app_secret="secret-one"),
        Account(app_id="wx2222222222222222", token="token-two", app_secret="secret-two"),
    ]
)
# Mount `accounts` wherever a robot mounts: accounts.wsgi, make_view(accounts),
# make_asgi_app(accounts), make_handler(accounts), accounts.run(). Requests are routed
# by the last segment of their path: https://example.com/wechat/<AppID>.

push = make_xml(TextMessage, content="hi", source="the-same-openid")
for app_id, token in (("wx1111111111111111", "token-one"), ("wx2222222222222222", "token-two")):
    request = post_request(token, push, url=f"https://example.com/wechat/{app_id}")
    reply = parse_reply(accounts.handle(request).body)
    assert reply is not None
    assert reply._args["content"] == f"{app_id}: visit #1"  # sessions never mix

# A push signed with one account's token on the other's URL is refused.
wrong = post_request("token-two", push, url="https://example.com/wechat/wx1111111111111111")
assert accounts.handle(wrong).status == 403
stray = post_request("token-one", push, url="https://example.com/wechat/wx-unknown")
assert accounts.handle(stray).status == 404
