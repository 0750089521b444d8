"""AsyncClient: the same methods as coroutines; 20 concurrent calls share one token grant."""

import asyncio

import httpx

from werobot_client import AsyncClient
from werobot_client.models import UserInfo
from werobot_client.testing import FakeWeChat
from werobot_core.config import Config


async def main() -> None:
    wechat = FakeWeChat()  # records requests and grants tokens T1, T2, ...
    for number in range(20):
        wechat.queue("/cgi-bin/user/info", {"subscribe": 1, "openid": f"o{number}"})
    http = httpx.AsyncClient(transport=wechat.async_transport())
    config = Config(APP_ID="wx1234567890", APP_SECRET="app-secret")
    async with AsyncClient(config, http_client=http) as client, http:
        users: list[UserInfo] = await asyncio.gather(
            *(client.get_user_info(f"o{number}") for number in range(20))
        )
    assert sorted(user.openid for user in users) == sorted(f"o{n}" for n in range(20))
    assert wechat.grants == 1  # one refresh at a time: the other 19 calls waited for it
    assert {r.url.params["access_token"] for r in wechat.api_requests} == {"T1"}


asyncio.run(main())
print("async client example: ok")
