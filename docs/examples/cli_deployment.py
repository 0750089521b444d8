"""A production entry point: several gunicorn workers, their shared state in Redis.

    gunicorn --workers 4 --threads 8 --bind 127.0.0.1:8000 'bot:application'

Every worker imports this module. What must be one for all of them lives in Redis: the
sessions, the dedup of WeChat's retries, and the access token. redis-py connects on first
use, so importing this file needs no server; the check below uses only the signed GET.
"""

import os
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

import redis

from werobot_client import Client
from werobot_client.redis_store import RedisTokenStore
from werobot_core import WeRoBot
from werobot_core.dedup import RedisDedupStore
from werobot_core.messages import TextMessage
from werobot_core.session.redisstorage import RedisStorage
from werobot_core.testing import signed_query

shared = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))

robot = WeRoBot(
    token=os.environ.get("WECHAT_TOKEN", "tokenhere"),
    app_id=os.environ.get("WECHAT_APP_ID"),
    app_secret=os.environ.get("WECHAT_APP_SECRET"),
    encoding_aes_key=os.environ.get("WECHAT_AES_KEY"),
    session_storage=RedisStorage(shared, prefix="mybot:session:"),
    DEDUP_STORE=RedisDedupStore(shared, prefix="mybot:dedup:"),
    TIMESTAMP_TOLERANCE=300,  # refuse requests signed more than 5 minutes ago (replays)
)
robot.client = Client(robot.config, token_store=RedisTokenStore(shared, prefix="mybot:token:"))


@robot.text
def echo(message: TextMessage) -> str:
    return f"you said {message.content}"


application = robot.wsgi  # gunicorn serves this; uvicorn: werobot_adapters.asgi.make_asgi_app

if __name__ == "__main__":
    # The GET WeChat sends when the server URL is saved, through the WSGI app.
    environ: dict[str, object] = {}
    setup_testing_defaults(environ)
    environ["QUERY_STRING"] = urlencode({**signed_query(str(robot.token)), "echostr": "ok"})
    statuses: list[str] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Callable[[bytes], Any]:
        statuses.append(status)
        return lambda data: None

    body = b"".join(application(environ, start_response))
    assert (statuses, body) == (["200 OK"], b"ok")
    assert isinstance(robot.session_storage, RedisStorage)
