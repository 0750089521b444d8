"""An AI chat bot: each text goes to an OpenAI-compatible chat endpoint, with the user's
recent history kept in their session; answers that take longer than WeChat's 5 seconds are
pushed through the customer-service API, with "typing…" shown meanwhile.

Configured from the environment (docs/ai-chat.md shows the three deployments):

- ``OPENAI_BASE_URL`` (default ``https://api.openai.com/v1``), ``OPENAI_API_KEY``,
  ``OPENAI_MODEL`` (default ``gpt-4o-mini``): the model API.
- ``WECHAT_TOKEN``, ``WECHAT_APP_ID``, ``WECHAT_APP_SECRET``: the Official Account (a
  verified one: unverified accounts fall back to answering on the user's next message).
- ``REDIS_URL``: sessions, dedup and the access token in Redis, for several processes.
- ``WEROBOT_QUEUE_BROKER`` (``amqp://…`` or ``redis://…``): late answers on a queue worker,
  started with ``python -m werobot_core.taskqueue examples.ai_chat:robot``.
- ``WECHAT_API_BASE_URL``: another host for WeChat's API (a proxy, or a test fake).

Serve it with ``werobot run examples/ai_chat.py``, or ``gunicorn --workers 4
'examples.ai_chat:robot.wsgi'`` with ``REDIS_URL`` set.
"""

from __future__ import annotations

import os
from typing import Any

import httpx

from werobot_core import WeRoBot
from werobot_core.messages import TextMessage

#: Messages of history sent with each question (user and assistant turns).
HISTORY = 10
SYSTEM = "You are a helpful assistant. Answer concisely."

robot = WeRoBot(
    token=os.environ.get("WECHAT_TOKEN", "tokenhere"),
    app_id=os.environ.get("WECHAT_APP_ID"),
    app_secret=os.environ.get("WECHAT_APP_SECRET"),
    DEADLINE_STRATEGY="push",  # late answers go through the customer-service API
)
if api_base := os.environ.get("WECHAT_API_BASE_URL"):
    robot.config["API_BASE_URL"] = api_base
if redis_url := os.environ.get("REDIS_URL"):
    import redis

    from werobot_client import Client
    from werobot_client.redis_store import RedisTokenStore
    from werobot_core.dedup import RedisDedupStore
    from werobot_core.session.redisstorage import RedisStorage

    shared = redis.Redis.from_url(redis_url)
    robot.config["SESSION_STORAGE"] = RedisStorage(shared, prefix="ai_chat:session:")
    robot.config["DEDUP_STORE"] = RedisDedupStore(shared, prefix="ai_chat:dedup:")
    robot.client = Client(robot.config, token_store=RedisTokenStore(shared))  # one token
if broker := os.environ.get("WEROBOT_QUEUE_BROKER"):
    robot.config["DEADLINE_QUEUE"] = "dramatiq"
    robot.config["QUEUE_BROKER"] = broker


async def ask_model(messages: list[dict[str, str]]) -> str:
    """The model's answer to ``messages`` (OpenAI's ``/chat/completions``)."""
    base = os.environ.get("OPENAI_BASE_URL", "https://api.openai.com/v1").rstrip("/")
    key = os.environ.get("OPENAI_API_KEY")
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    body = {"model": os.environ.get("OPENAI_MODEL", "gpt-4o-mini"), "messages": messages}
    async with httpx.AsyncClient(timeout=120) as http:
        response = await http.post(f"{base}/chat/completions", json=body, headers=headers)
        response.raise_for_status()
    answer: str = response.json()["choices"][0]["message"]["content"]
    return answer


@robot.text
async def chat(message: TextMessage, session: dict[str, Any]) -> str:
    history: list[dict[str, str]] = list(session.get("history", []))
    question = {"role": "user", "content": message.content}
    try:
        answer = await ask_model([{"role": "system", "content": SYSTEM}, *history, question])
    except httpx.HTTPError as exc:
        robot.logger.error("model API: %s", exc)
        return "Sorry, the model is not answering right now. Please try again later."
    session["history"] = [*history, question, {"role": "assistant", "content": answer}][-HISTORY:]
    return answer


if __name__ == "__main__":
    robot.run()
