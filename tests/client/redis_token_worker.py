"""One worker process of the two-process token test (run as a script, not collected).

Usage: ``python redis_token_worker.py PREFIX [ticket]``. It announces itself
(``PREFIX:ready``), waits for ``PREFIX:go``, makes one API call through a ``RedisTokenStore``,
and prints the token that call used (with ``ticket``: asks for the JS-SDK ticket and prints
it). Each token grant it obtains is counted in ``PREFIX:grants``, each ticket grant in
``PREFIX:ticket_grants``.
"""

from __future__ import annotations

import os
import sys
import time

import httpx
import redis

from werobot_client import Client
from werobot_client.redis_store import RedisTokenStore
from werobot_core.config import Config


def main(prefix: str, mode: str) -> None:
    connection = redis.Redis()

    def wechat(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/cgi-bin/ticket/getticket":
            connection.incr(prefix + ":ticket_grants")
            time.sleep(0.2)  # a slow grant, as for tokens
            return httpx.Response(200, json={"ticket": f"J-{os.getpid()}", "expires_in": 7200})
        if request.url.path == "/cgi-bin/token":
            connection.incr(prefix + ":grants")
            time.sleep(0.2)  # a slow grant: the other process finds the token stale meanwhile
            return httpx.Response(
                200, json={"access_token": f"T-{os.getpid()}", "expires_in": 7200}
            )
        return httpx.Response(200, json={"ip_list": [request.url.params["access_token"]]})

    store = RedisTokenStore(connection, prefix=prefix + ":token:")
    http = httpx.Client(transport=httpx.MockTransport(wechat))
    with Client(Config(APP_ID="wx-app", APP_SECRET="s"), http_client=http, token_store=store) as c:
        connection.incr(prefix + ":ready")
        deadline = time.monotonic() + 20
        while not connection.exists(prefix + ":go"):
            if time.monotonic() > deadline:
                raise SystemExit("never told to go")
            time.sleep(0.005)
        print(c.get_ticket() if mode == "ticket" else c.get_ip_list().ip_list[0])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "token")
