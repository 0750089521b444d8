"""The storage contract (SPEC §6), run against every backend on its real server."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.session import session_contract as contract
from tests.session import session_servers as srv

from werobot_core.session.base import SessionStorage

VALUE: dict[str, Any] = {
    "名字": "张三",
    "emoji": "😀 ok",
    "count": 0,
    "nested": {"list": [1, 2.5, None, True, {"深": "层"}], "empty": {}, "s": 'a"b\\c\n'},
}


@pytest.fixture(params=contract.BACKENDS)
def backend(
    request: pytest.FixtureRequest, servers: srv.Servers, tmp_path: Path
) -> Iterator[contract.Backend]:
    with contextlib.ExitStack() as cleanup:
        yield contract.make_backend(request.param, servers, tmp_path, cleanup)


@pytest.fixture
def storage(backend: contract.Backend) -> SessionStorage:
    return backend.make()


def test_get_of_a_missing_id_is_an_empty_dict(storage: SessionStorage) -> None:
    id = contract.new_id()
    first = storage.get(id)
    assert first == {}
    first["changed"] = True  # a returned dict is the caller's: nothing stored changes
    assert storage.get(id) == {}


def test_set_then_get_round_trips_non_ascii_and_nested_json(storage: SessionStorage) -> None:
    id = contract.new_id()
    storage.set(id, VALUE)
    assert storage.get(id) == VALUE


def test_values_are_json_with_non_ascii_readable(
    backend: contract.Backend, storage: SessionStorage
) -> None:
    if backend.raw is None:
        pytest.skip("memory keeps no text to read past the storage")
    id = contract.new_id()
    storage.set(id, VALUE)
    assert backend.raw(contract.new_id()) is None
    text = backend.raw(id)
    assert text is not None
    assert "张三" in text
    assert "\\u" not in text
    assert json.loads(text) == VALUE


def test_set_overwrites_the_whole_session(storage: SessionStorage) -> None:
    id = contract.new_id()
    storage.set(id, {"a": 1, "b": 2})
    storage.set(id, {"c": 3})
    assert storage.get(id) == {"c": 3}


def test_users_are_independent(storage: SessionStorage) -> None:
    one, two = contract.new_id(), contract.new_id()
    storage.set(one, {"who": 1})
    storage.set(two, {"who": 2})
    storage.delete(one)
    assert storage.get(one) == {}
    assert storage.get(two) == {"who": 2}


def test_delete_of_a_missing_id_is_fine(storage: SessionStorage) -> None:
    storage.delete(contract.new_id())


def test_delete_removes_the_session(storage: SessionStorage) -> None:
    id = contract.new_id()
    storage.set(id, {"a": 1})
    storage.delete(id)
    assert storage.get(id) == {}


def test_item_access(storage: SessionStorage) -> None:
    id = contract.new_id()
    storage[id] = {"k": "值"}
    assert storage[id] == {"k": "值"}
    del storage[id]
    assert storage[id] == {}


def test_a_value_json_cannot_hold_fails_and_keeps_the_stored_session(
    storage: SessionStorage,
) -> None:
    id = contract.new_id()
    storage.set(id, {"a": 1})
    with pytest.raises(TypeError):
        storage.set(id, {"a": 2, "bad": object()})
    assert storage.get(id) == {"a": 1}


def test_a_second_storage_on_the_same_place_sees_the_data(backend: contract.Backend) -> None:
    if not backend.second_instance:
        pytest.skip(f"{backend.name}: one storage per place")
    id = contract.new_id()
    backend.make().set(id, VALUE)
    assert backend.make().get(id) == VALUE


def test_a_weRoBot_1_session_is_read_then_moved_to_the_str_key(backend: contract.Backend) -> None:
    if backend.write_legacy is None or backend.records is None:
        pytest.skip(f"{backend.name}: WeRoBot 1.x left nothing to migrate")
    id = contract.new_id()
    backend.write_legacy(id, json.dumps({"n": 1, "名": "旧"}))
    storage = backend.make()
    assert storage.get(id) == {"n": 1, "名": "旧"}
    storage.set(id, {"n": 2})
    assert backend.records(id) == 1
    assert storage.get(id) == {"n": 2}
    if backend.raw is not None:
        assert json.loads(backend.raw(id) or "null") == {"n": 2}


def test_the_str_key_wins_over_a_legacy_one(backend: contract.Backend) -> None:
    if backend.write_legacy is None or not backend.distinct_legacy_key:
        pytest.skip(f"{backend.name}: no legacy key distinct from the str key")
    id = contract.new_id()
    storage = backend.make()
    storage.set(id, {"new": True})
    backend.write_legacy(id, json.dumps({"old": True}))
    assert backend.make().get(id) == {"new": True}


def test_delete_removes_a_legacy_session_too(backend: contract.Backend) -> None:
    if backend.write_legacy is None or backend.records is None:
        pytest.skip(f"{backend.name}: WeRoBot 1.x left nothing to migrate")
    id = contract.new_id()
    backend.write_legacy(id, json.dumps({"old": True}))
    storage = backend.make()
    storage.delete(id)
    assert storage.get(id) == {}
    assert backend.records(id) == 0


def test_the_lock_excludes_other_threads_of_one_storage(storage: SessionStorage) -> None:
    id, other = contract.new_id(), contract.new_id()
    outcome: list[str] = []

    def contend(key: str) -> None:
        try:
            with storage.lock(key, timeout=0.05):
                outcome.append(f"took {key}")
        except TimeoutError:
            outcome.append(f"timed out on {key}")

    with storage.lock(id):
        for key in (id, other):
            thread = threading.Thread(target=contend, args=(key,))
            thread.start()
            thread.join()
    assert outcome == [f"timed out on {id}", f"took {other}"]
    with storage.lock(id, timeout=5):
        pass


def test_the_lock_is_released_when_the_block_raises(storage: SessionStorage) -> None:
    id = contract.new_id()

    def fail_inside_the_lock() -> None:
        with storage.lock(id):
            storage.set(id, {"a": 1})
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fail_inside_the_lock()
    taken = threading.Event()

    def take() -> None:
        with storage.lock(id, timeout=5):
            taken.set()

    thread = threading.Thread(target=take)
    thread.start()
    thread.join()
    assert taken.is_set()
    assert storage.get(id) == {"a": 1}


def test_the_lock_spans_storages_when_the_backend_says_so(backend: contract.Backend) -> None:
    if not backend.second_instance:
        pytest.skip(f"{backend.name}: one storage per place")
    first, second = backend.make(), backend.make()
    id = contract.new_id()
    with first.lock(id):
        with second.lock(contract.new_id(), timeout=5):
            pass  # other users are not held up
        if backend.cross_process:
            with pytest.raises(TimeoutError), second.lock(id, timeout=0.05):
                pass
        else:  # documented: the lock of File and MongoDB is per process
            with second.lock(id, timeout=5):
                pass
    with second.lock(id, timeout=5):
        second.set(id, {"after": True})
    assert first.get(id) == {"after": True}


@pytest.mark.parametrize("value", ["喵喵", 42, 2.5, True, None, [1, "二", {"3": []}]])
def test_any_json_value_round_trips_as_werobot_allowed(storage: SessionStorage, value: Any) -> None:
    # WeRoBot users store values other than dicts directly: storage.set(id, "text").
    id = contract.new_id()
    storage.set(id, value)
    assert storage.get(id) == value
    assert storage[id] == value
    storage.delete(id)
    assert storage.get(id) == {}
