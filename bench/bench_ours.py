"""Our side of the benchmark: ``robot.handle(WeChatRequest(...))`` and ``robot.wsgi``.

The robots run with ``SESSION_STORAGE=False`` (the peers run without sessions too) and
``DEDUP=False`` (SPEC §7: the benchmark sends the same body again and again, and with dedup
on it would measure the dedup cache instead of the pipeline).
"""

from __future__ import annotations

from collections.abc import Callable

from bench_cases import APP_ID, ENCODING_AES_KEY, HELLO, OTHER, TOKEN, WELCOME, Answer, Scenario
from bench_cases import wsgi_environ as make_environ_factory

from werobot_core import WeChatRequest, WeRoBot
from werobot_core.messages import SubscribeEvent, TextMessage, WeChatMessage

__all__ = ["make_robot", "ours"]


def make_robot(*, encrypted: bool, dedup: bool = False, others: bool = False) -> WeRoBot:
    """The benchmark robot: "Hello World!" to text, a welcome to subscribe events, and
    with ``others`` "OK" to every other type."""
    if encrypted:
        robot = WeRoBot(
            token=TOKEN,
            app_id=APP_ID,
            encoding_aes_key=ENCODING_AES_KEY,
            SESSION_STORAGE=False,
            DEDUP=dedup,
        )
    else:
        robot = WeRoBot(token=TOKEN, SESSION_STORAGE=False, DEDUP=dedup)

    @robot.text
    def hello(message: TextMessage) -> str:
        return HELLO

    @robot.subscribe
    def welcome(message: SubscribeEvent) -> str:
        return WELCOME

    if others:

        @robot.handler
        def other(message: WeChatMessage) -> str:
            return OTHER

    return robot


def _discard(data: bytes) -> None:
    return None


def _start_response(
    status: str, headers: list[tuple[str, str]], exc_info: object = None, /
) -> Callable[[bytes], object]:
    return _discard


def ours(scenario: Scenario) -> Callable[[], Answer]:
    """One round trip through our pipeline for ``scenario``, returning the response body.

    The ``WeChatRequest`` is built once: building it is the adapter's job (the ``wsgi``
    scenario measures that part too).
    """
    robot = make_robot(encrypted=scenario.encrypted)
    if scenario.key == "wsgi":
        app = robot.wsgi
        environ = make_environ_factory(scenario)

        def via_wsgi() -> Answer:
            return b"".join(app(environ(), _start_response))

        return via_wsgi
    request = WeChatRequest("POST", dict(scenario.query), scenario.body)
    handle = robot.handle

    def via_handle() -> Answer:
        return handle(request).body

    return via_handle
