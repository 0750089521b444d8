"""The simulator's JSON API: what the page calls when you tap a menu item (safe mode)."""

import threading

import httpx

from werobot_cli.simulator import Simulator, make_simulator_server
from werobot_cli.wire import Account
from werobot_core import WeRoBot
from werobot_core.messages import ClickEvent
from werobot_core.server import make_server

TOKEN, APP_ID = "tokenhere", "wx1234567890abcdef"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters
robot = WeRoBot(token=TOKEN, app_id=APP_ID, encoding_aes_key=AES_KEY, SESSION_STORAGE=False)


@robot.key_click("TODAY")
def today(message: ClickEvent) -> list[list[str]]:
    return [["Today", "What is new", "https://example.com/cover.png", "https://example.com/"]]


bot = make_server(robot, "127.0.0.1", 0)
threading.Thread(target=bot.serve_forever, daemon=True).start()
target = f"http://127.0.0.1:{bot.server_port}/"

menu = {"button": [{"type": "click", "name": "Today", "key": "TODAY"}]}
with httpx.Client() as http:
    # werobot simulator --target URL --token T --app-id A --aes-key K --menu menu.yaml
    simulator = Simulator(Account(target, TOKEN, APP_ID, AES_KEY), http, menu, name="Demo")
    page = make_simulator_server(simulator, "127.0.0.1", 0)
    threading.Thread(target=page.serve_forever, daemon=True).start()

    config = httpx.get(page.url + "api/config").json()
    assert (config["mode"], config["menu"]) == ("safe", menu)

    # Tapping "Today" on the page posts this:
    data = httpx.post(page.url + "api/send", json={"kind": "click", "args": ["TODAY"]}).json()
    assert data["status"] == 200
    assert "<EventKey><![CDATA[TODAY]]></EventKey>" in data["request_xml"]
    assert "<Encrypt>" in data["sent"]  # the push travelled encrypted
    assert data["encrypted_reply"]  # the reply came back encrypted; its MsgSignature checked
    assert data["reply"]["kind"] == "news"
    assert data["reply"]["fields"]["articles"][0]["title"] == "Today"
    print(f"{data['reply']['kind']} reply in {data['latency_ms']} ms")

    page.shutdown()
    page.server_close()
bot.shutdown()
bot.server_close()
