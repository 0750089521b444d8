"""One worker process of the two-process authorizer-token test (run as a script, not collected).

Usage: ``python component_redis_worker.py PREFIX [BASE_URL]``. It announces itself
(``PREFIX:ready``), waits for ``PREFIX:go``, then 10 threads call the API as authorizer
``wx-a`` through a ``ComponentClient`` on a ``RedisTokenStore``; it prints what the calls
answered and how many there were. Without ``BASE_URL`` the fake open platform runs in each
process with its state in Redis: component-token grants are counted in
``PREFIX:component_grants``, authorizer refreshes in ``PREFIX:refreshes``, and the only
refresh token it accepts is ``PREFIX:valid_refresh`` (each refresh rotates it; an old one
is answered 61023). With ``BASE_URL``, the requests go over real HTTP to the fake open
platform the test serves there (which counts them itself).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time

import httpx
import redis

from werobot_client.component import ComponentClient
from werobot_client.component_testing import LoopbackTransport
from werobot_client.redis_store import RedisTokenStore


def main(prefix: str, base_url: str | None) -> None:
    connection = redis.Redis()

    def platform(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/cgi-bin/component/api_component_token":
            connection.incr(prefix + ":component_grants")
            time.sleep(0.2)
            token = f"CT-{os.getpid()}"
            return httpx.Response(200, json={"component_access_token": token, "expires_in": 7200})
        if path == "/cgi-bin/component/api_authorizer_token":
            body = json.loads(request.content)
            valid = connection.get(prefix + ":valid_refresh")
            if valid is None or body["authorizer_refresh_token"] != (
                valid.decode() if isinstance(valid, bytes) else valid
            ):
                return httpx.Response(
                    200, json={"errcode": 61023, "errmsg": "refresh_token is invalid"}
                )
            connection.incr(prefix + ":refreshes")
            time.sleep(0.2)  # a slow refresh: the other process finds the token stale meanwhile
            rotated = f"R-{os.getpid()}"
            connection.set(prefix + ":valid_refresh", rotated)
            answer = {
                "authorizer_access_token": f"AT-{os.getpid()}",
                "expires_in": 7200,
                "authorizer_refresh_token": rotated,
            }
            return httpx.Response(200, json=answer)
        return httpx.Response(200, json={"ip_list": [request.url.params["access_token"]]})

    store = RedisTokenStore(connection, prefix=prefix + ":token:")
    transport = httpx.MockTransport(platform) if base_url is None else LoopbackTransport(base_url)
    http = httpx.Client(transport=transport, trust_env=False)  # no proxy between us and it
    component = ComponentClient("wx-component", "secret", http_client=http, token_store=store)
    used: list[str] = []
    connection.incr(prefix + ":ready")
    deadline = time.monotonic() + 20
    while not connection.exists(prefix + ":go"):
        if time.monotonic() > deadline:
            raise SystemExit("never told to go")
        time.sleep(0.005)

    def work() -> None:
        used.append(component.client_for("wx-a").get_ip_list().ip_list[0])

    threads = [threading.Thread(target=work) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(" ".join(sorted(set(used))), len(used))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
