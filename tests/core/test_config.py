"""Configuration (SPEC §7): ``Config``, the robot's arguments, and values read when used."""

from __future__ import annotations

import base64
import logging
import types
from pathlib import Path

import pytest

from werobot_core import BaseRoBot, Config, WeRoBot
from werobot_core.config import DEFAULTS
from werobot_core.crypto import MessageCrypt
from werobot_core.dedup import MemoryDedupStore
from werobot_core.engine import Derived, Engine
from werobot_core.exceptions import (
    ConfigError,
    InvalidEncodingAESKey,
    UnvalidEncodingAESKey,
    WeRoBotError,
)
from werobot_core.messages import TextMessage
from werobot_core.session.base import SessionStorage
from werobot_core.session.memorystorage import MemoryStorage
from werobot_core.session.sqlitestorage import SQLiteStorage
from werobot_core.testing import WeTest, make_xml, post_request, verify_request

SEED_DEFAULTS = {
    "TOKEN": None,
    "SERVER": "auto",
    "HOST": "127.0.0.1",
    "PORT": "8888",
    "SESSION_STORAGE": None,
    "APP_ID": None,
    "APP_SECRET": None,
    "ENCODING_AES_KEY": None,
}
NEW_DEFAULTS = {
    "MAX_BODY_SIZE": 1048576,
    "TIMESTAMP_TOLERANCE": None,
    "DEDUP": True,
    "DEDUP_TTL": 30,
    "DEDUP_STORE": None,
    "REPLY_DEADLINE": 4.5,
    "DEADLINE_STRATEGY": "retry",
}


def other_key() -> str:
    return base64.b64encode(bytes(range(100, 132))).decode("ascii")[:-1]


# -- Config ------------------------------------------------------------------------------


def test_defaults_are_the_spec_ones() -> None:
    assert {k: DEFAULTS[k] for k in SEED_DEFAULTS} == SEED_DEFAULTS
    assert {k: DEFAULTS[k] for k in NEW_DEFAULTS} == NEW_DEFAULTS


def test_config_is_a_dict() -> None:
    config = Config(TOKEN="t")
    assert isinstance(config, dict)
    assert config == {"TOKEN": "t"}


def test_from_object_copies_upper_case_attributes() -> None:
    class Settings:
        TOKEN = "from-class"
        APP_ID = "wx_class"
        lower = "ignored"
        Mixed = "ignored"

    config = Config()
    config.from_object(Settings)
    assert config == {"TOKEN": "from-class", "APP_ID": "wx_class"}
    module = types.ModuleType("settings")
    module.SERVER = "waitress"  # type: ignore[attr-defined]
    module.port = 1  # type: ignore[attr-defined]
    config.from_object(module)
    assert config["SERVER"] == "waitress"
    assert "port" not in config
    assert "PORT" not in config
    instance = Settings()
    instance.TOKEN = "from-instance"
    config.from_object(instance)
    assert config["TOKEN"] == "from-instance"


def test_from_pyfile(tmp_path: Path) -> None:
    path = tmp_path / "robot_settings.py"
    path.write_text(
        "import os\nTOKEN = 'from-file'\nPORT = 9000 + 1\nlowercase = True\n"
        "HOST = os.path.basename('/x/0.0.0.0')\nFILE = __file__\n",
        encoding="utf-8",
    )
    config = Config(DEFAULTS)
    config.from_pyfile(path)
    assert (config["TOKEN"], config["PORT"], config["HOST"]) == ("from-file", 9001, "0.0.0.0")
    assert config["FILE"] == str(path)
    assert "lowercase" not in config
    other = Config()
    other.from_pyfile(str(path))
    assert other["TOKEN"] == "from-file"


def test_from_pyfile_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        Config().from_pyfile(tmp_path / "absent.py")


# -- the robot's arguments ---------------------------------------------------------------


def test_arguments_fill_the_config(aes_key: str) -> None:
    robot = WeRoBot(
        token="tok", app_id="wx1", app_secret="sec", encoding_aes_key=aes_key, SERVER="waitress"
    )
    assert isinstance(robot, BaseRoBot)
    config = robot.config
    assert isinstance(config, Config)
    assert (config["TOKEN"], config["APP_ID"], config["APP_SECRET"]) == ("tok", "wx1", "sec")
    assert config["ENCODING_AES_KEY"] == aes_key
    assert config["SERVER"] == "waitress"
    assert config["PORT"] == "8888"
    assert robot.token == "tok"


def test_extra_kwargs_are_upper_cased() -> None:
    robot = WeRoBot(max_body_size=10, Timestamp_Tolerance=5, SESSION_STORAGE=False)
    assert robot.config["MAX_BODY_SIZE"] == 10
    assert robot.config["TIMESTAMP_TOLERANCE"] == 5
    assert "max_body_size" not in robot.config
    assert robot.session_storage is None


def test_config_argument_overrides_every_other_argument_but_logger(aes_key: str) -> None:
    logger = logging.getLogger("test_config.custom")
    config = Config(TOKEN="from-config", SESSION_STORAGE=False)
    robot = WeRoBot(
        token="ignored",
        logger=logger,
        enable_session=True,
        session_storage=MemoryStorage(),
        app_id="wx_ignored",
        app_secret="ignored",
        encoding_aes_key=aes_key,
        config=config,
        SERVER="ignored",
    )
    assert robot.config is config
    assert robot.config == {"TOKEN": "from-config", "SESSION_STORAGE": False}
    assert robot.logger is logger
    assert robot.session_storage is None
    assert robot.crypto is None


def test_default_logger_is_werobot() -> None:
    assert WeRoBot().logger is logging.getLogger("WeRoBot")


def test_enable_session_false_is_deprecated() -> None:
    with pytest.warns(DeprecationWarning, match="SESSION_STORAGE"):
        robot = WeRoBot(token="t", enable_session=False)
    assert robot.config["SESSION_STORAGE"] is False
    assert robot.session_storage is None


def test_enable_session_true_is_silent() -> None:
    robot = WeRoBot(token="t", enable_session=True, SESSION_STORAGE=False)
    assert robot.session_storage is None


def test_session_storage_argument() -> None:
    storage = MemoryStorage()
    robot = WeRoBot(session_storage=storage)
    assert robot.config["SESSION_STORAGE"] is storage
    assert robot.session_storage is storage


# -- read when used ----------------------------------------------------------------------


def test_token_set_after_construction_is_used() -> None:
    robot = WeRoBot(SESSION_STORAGE=False)
    assert robot.handle(verify_request("late-token", echostr="e")).status == 403
    robot.config["TOKEN"] = "late-token"
    assert robot.handle(verify_request("late-token", echostr="e")).body == b"e"


def test_crypto_is_rebuilt_when_the_config_is_replaced(
    token: str, app_id: str, aes_key: str
) -> None:
    robot = WeRoBot(token=token, app_id=app_id, encoding_aes_key=aes_key, SESSION_STORAGE=False)
    first = robot.crypto
    assert first is not None
    replaced = Config({**robot.config, "ENCODING_AES_KEY": other_key()})
    replaced.version = robot.config.version  # a new config may count as far as the old one
    robot.config = replaced
    second = robot.crypto
    assert second is not None
    assert second is not first
    assert second.prp.key == MessageCrypt(token, other_key(), app_id).prp.key


def test_crypto_is_cached_and_rebuilt_when_its_settings_change(
    token: str, app_id: str, aes_key: str
) -> None:
    robot = WeRoBot(token=token, app_id=app_id, encoding_aes_key=aes_key, SESSION_STORAGE=False)
    first = robot.crypto
    assert first is not None
    assert robot.crypto is first
    robot.config["ENCODING_AES_KEY"] = other_key()
    second = robot.crypto
    assert second is not None
    assert second is not first
    robot.text(lambda: "new key works")
    crypt = MessageCrypt(token, other_key(), app_id)
    response = robot.handle(post_request(token, make_xml(TextMessage), crypto=crypt))
    assert response.status == 200
    old = MessageCrypt(token, aes_key, app_id)
    assert robot.handle(post_request(token, make_xml(TextMessage), crypto=old)).status == 400
    robot.config["TOKEN"] = "newtoken"
    third = robot.crypto
    assert third is not None
    assert third is not second
    assert third.token == "newtoken"
    robot.config["APP_ID"] = None
    assert robot.crypto is None


def test_crypto_needs_both_app_id_and_key(app_id: str, aes_key: str) -> None:
    assert WeRoBot(app_id=app_id).crypto is None
    assert WeRoBot(encoding_aes_key=aes_key).crypto is None
    assert WeRoBot().crypto is None


@pytest.mark.parametrize(
    "bad_key",
    [
        "short",
        "x" * 44,
        "!" * 43,
        base64.b64encode(bytes(31)).decode()[:43].ljust(43, "A")[:42] + "$",
    ],
)
def test_malformed_key_argument_raises_at_construction(bad_key: str, app_id: str) -> None:
    with pytest.raises(ConfigError, match="ENCODING_AES_KEY") as info:
        WeRoBot(token="t", app_id=app_id, encoding_aes_key=bad_key)
    assert isinstance(info.value, InvalidEncodingAESKey)
    assert isinstance(info.value, UnvalidEncodingAESKey)
    assert isinstance(info.value, WeRoBotError)
    with pytest.raises(InvalidEncodingAESKey):
        WeRoBot(token="t", encoding_aes_key=bad_key)


def test_a_malformed_key_set_later_raises_on_every_use_not_only_the_first(
    token: str, app_id: str, aes_key: str
) -> None:
    robot = WeRoBot(token=token, app_id=app_id, encoding_aes_key=aes_key, SESSION_STORAGE=False)
    assert robot.crypto is not None
    robot.config["ENCODING_AES_KEY"] = "not a key"
    for _ in range(2):  # never the crypto of the key that was replaced
        with pytest.raises(InvalidEncodingAESKey, match="43 characters"):
            robot.crypto  # noqa: B018


def test_malformed_key_in_the_config_raises_on_first_use(app_id: str) -> None:
    robot = WeRoBot(token="t", SESSION_STORAGE=False)
    robot.config.update(APP_ID=app_id, ENCODING_AES_KEY="not a key")
    with pytest.raises(InvalidEncodingAESKey, match="43 characters"):
        robot.crypto  # noqa: B018
    robot.text(lambda: "plain still works")
    reply = WeTest(robot).send_xml(make_xml(TextMessage))
    assert reply is not None


def test_default_session_storage_is_sqlite_created_lazily_in_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    robot = WeRoBot(token="t")
    robot.text(lambda message, session: session.update(n=1))
    assert list(tmp_path.iterdir()) == []
    storage = robot.session_storage
    assert isinstance(storage, SQLiteStorage)
    try:
        assert robot.session_storage is storage
        assert storage.filename == "werobot_session.sqlite3"
        assert not (tmp_path / "werobot_session.sqlite3").exists()
        assert robot.handle(post_request("t", make_xml(TextMessage, source="o1"))).status == 200
        assert (tmp_path / "werobot_session.sqlite3").exists()
        assert storage.get("o1") == {"n": 1}
    finally:
        storage.close()


def _storage(owner: WeRoBot | Engine) -> SessionStorage | None:
    return owner.session_storage


def test_session_storage_is_re_resolved_when_replaced() -> None:
    robot = WeRoBot(token="t", SESSION_STORAGE=False)
    assert _storage(robot) is None
    first = MemoryStorage()
    robot.config["SESSION_STORAGE"] = first
    assert _storage(robot) is first
    second = MemoryStorage()
    robot.session_storage = second
    config = robot.config
    assert config["SESSION_STORAGE"] is second
    robot.session_storage = None
    assert config.get("SESSION_STORAGE") is False
    assert _storage(robot) is None


def test_bad_session_storage_value_is_a_config_error() -> None:
    robot = WeRoBot(token="t", SESSION_STORAGE="redis://localhost")
    with pytest.raises(ConfigError, match="SESSION_STORAGE"):
        robot.session_storage  # noqa: B018


# -- what the engine derives from its config ----------------------------------------------


class _Watcher:
    def __init__(self) -> None:
        self.calls = 0

    def changed(self) -> None:
        self.calls += 1


def test_every_kind_of_change_calls_the_watchers_after_bumping_the_version() -> None:
    config = Config(A=1)
    seen: list[int] = []

    class Reader:
        def changed(self) -> None:
            seen.append(config.version)

    reader = Reader()
    config.watch(reader.changed)
    config["B"] = 2
    del config["B"]
    config.update(C=3)
    config |= {"D": 4}
    config.setdefault("E", 5)
    config.pop("E")
    config.popitem()
    config.from_object(types.SimpleNamespace(F=6))
    config.clear()
    assert seen == list(range(1, 10))


def test_watchers_are_held_weakly_and_copies_have_none() -> None:
    import copy
    import gc
    import pickle

    config = Config(A=1)
    kept, dropped = _Watcher(), _Watcher()
    config.watch(kept.changed)
    config.watch(dropped.changed)
    del dropped
    gc.collect()
    config["B"] = 2  # the dead watcher is gone
    assert kept.calls == 1
    assert len(config.__dict__["_watchers"]) == 1
    for twin in (copy.copy(config), copy.deepcopy(config), pickle.loads(pickle.dumps(config))):
        assert twin == config
        twin["C"] = 3
    assert kept.calls == 1  # a copy's changes are its own


def test_derived_values_are_kept_until_the_config_changes(aes_key: str, app_id: str) -> None:
    robot = WeRoBot(token="t", app_id=app_id, encoding_aes_key=aes_key, SESSION_STORAGE=False)
    engine = robot.engine
    settings, crypto, dedup = engine.settings, engine.crypto, engine.dedup_store
    assert {"settings", "crypto", "dedup_store"} <= set(vars(engine))  # kept, not re-read
    assert "session_storage" not in vars(engine)  # not read yet
    assert (engine.settings, engine.crypto, engine.dedup_store) == (settings, crypto, dedup)
    robot.config["REPLY_DEADLINE"] = 2
    assert "settings" not in vars(engine)
    assert engine.settings is not settings
    assert engine.settings.reply_deadline == 2
    assert engine.crypto is crypto  # the same keys: the same crypto object, not rebuilt
    assert engine.dedup_store is dedup  # the in-process store outlives the change
    store = MemoryStorage()
    robot.config = Config({**robot.config, "SESSION_STORAGE": store})
    assert engine.session_storage is store
    robot.config["SESSION_STORAGE"] = False
    assert engine.session_storage is None


def test_an_accounts_engine_follows_the_robots_config_and_stores() -> None:
    from werobot_core.accounts import Account, Accounts

    robot = WeRoBot(token="base", SESSION_STORAGE=False)
    accounts = Accounts(robot.router, robot.engine, [Account("wxaaaa", token="own")])
    engine = accounts.engine("wxaaaa")
    assert _storage(engine) is None
    assert engine.dedup_store is robot.engine.dedup_store
    assert engine.settings.reply_deadline == robot.engine.settings.reply_deadline
    store = MemoryStorage()
    robot.config["SESSION_STORAGE"] = store  # in place: the account reads through
    robot.config["REPLY_DEADLINE"] = 2
    assert (_storage(engine), engine.settings.reply_deadline) == (store, 2)
    replaced = Config({**robot.config, "SESSION_STORAGE": MemoryStorage()})
    robot.config = replaced  # the account's layer still reads the old config ...
    assert engine.settings.token == "own"
    robot.config["DEDUP_STORE"] = MemoryDedupStore()  # ... but the robot's stores are new
    assert engine.dedup_store is robot.config["DEDUP_STORE"]


def test_a_value_derived_while_the_config_changes_is_not_kept() -> None:
    class Probe(Engine):
        @Derived
        def probe(self) -> object:
            self.config["CHANGED"] = True  # as another thread may, while this one derives
            return object()

    engine = Probe(Config())
    assert engine.probe is not engine.probe
    assert "probe" not in vars(engine)
    Probe.probe.compute = lambda engine: object()  # now the config stays as it is
    kept = engine.probe
    assert engine.probe is kept
    engine.config["OTHER"] = 1  # a subclass's values are dropped too
    assert "probe" not in vars(engine)


def test_config_changes_while_requests_derive_raise_nothing_and_the_last_one_holds() -> None:
    import threading

    robot = WeRoBot(token="t", SESSION_STORAGE=False)
    engine = robot.engine
    errors: list[Exception] = []
    seen: list[object] = []
    done = threading.Event()

    def read() -> None:
        try:
            while not done.is_set():
                seen[:] = [engine.settings, engine.dedup_store, engine.session_storage]
        except Exception as exc:  # pragma: no cover - what the test looks for
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for deadline in range(1, 2001):
            robot.config["REPLY_DEADLINE"] = deadline / 1000
    finally:
        done.set()
        for reader in readers:
            reader.join()
    assert errors == []
    assert engine.settings.reply_deadline == 2.0
