"""Package hygiene: import weight, curated ``__all__`` lists, typing marker (DESIGN §1, §7)."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import werobot_core

FORBIDDEN = ("django", "flask", "bottle", "tornado", "starlette", "fastapi", "httpx")

IMPORT_CHECK = """
import json, sys
{imports}
found = sorted(
    name for name in sys.modules
    if name.split(".")[0] in {forbidden!r} or name.split(".")[0] == "werobot_client"
)
print(json.dumps(found))
"""


def _modules() -> list[ModuleType]:
    names = [m.name for m in pkgutil.walk_packages(werobot_core.__path__, "werobot_core.")]
    return [werobot_core, *(importlib.import_module(name) for name in sorted(names))]


MODULES = _modules()


def _imported_in_a_fresh_interpreter(imports: str) -> list[str]:
    code = IMPORT_CHECK.format(imports=imports, forbidden=FORBIDDEN)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    found: list[str] = json.loads(done.stdout)
    return found


def test_import_werobot_core_imports_no_framework_and_no_httpx() -> None:
    assert _imported_in_a_fresh_interpreter("import werobot_core") == []


def test_the_protocol_modules_import_no_framework_and_no_httpx() -> None:
    imports = "\n".join(
        f"import {name}"
        for name in (
            "werobot_core.robot",
            "werobot_core.pipeline",
            "werobot_core.testing",
            "werobot_core.server",
            "werobot_core.wsgi",
            "werobot_core.transport",
            "werobot_core.messages",
            "werobot_core.replies",
            "werobot_core.session.sqlitestorage",
            "werobot_core.session.memorystorage",
        )
    )
    assert _imported_in_a_fresh_interpreter(imports) == []


def _isort_key(name: str) -> tuple[int, str]:
    """ruff RUF022's order: SCREAMING_CASE, then CamelCase, then the rest."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_all_is_sorted_unique_and_honest(module: ModuleType) -> None:
    names = getattr(module, "__all__", None)
    assert isinstance(names, list), f"{module.__name__} has no __all__ list"
    assert names, module.__name__
    assert names == sorted(names, key=_isort_key)
    assert len(set(names)) == len(names)
    missing = [name for name in names if not hasattr(module, name)]
    assert missing == []


def test_every_submodule_was_checked() -> None:
    names = {m.__name__ for m in MODULES}
    for expected in (
        "robot",
        "pipeline",
        "parser",
        "replies",
        "messages.events",
        "testing",
        "utils",
    ):
        assert f"werobot_core.{expected}" in names


def test_utils_keeps_werobots_names_and_the_signature_helpers() -> None:
    from werobot_core import signature, utils

    # Every public name of WeRoBot 1.13.1's werobot.utils (issue 10: drop-in parity).
    werobot_utils = {
        "byte2int",
        "cached_property",
        "check_signature",
        "check_token",
        "generate_token",
        "get_signature",
        "is_regex",
        "is_string",
        "json_dumps",
        "json_loads",
        "make_error_page",
        "pay_sign_dict",
        "re_type",
        "string_types",
        "to_binary",
        "to_text",
    }
    assert set(utils.__all__) == werobot_utils
    for name in ("check_signature", "check_token", "generate_token", "get_signature"):
        assert getattr(utils, name) is getattr(signature, name)


def test_top_level_names() -> None:
    assert set(werobot_core.__all__) >= {"WeRoBot", "BaseRoBot", "WeChatRequest", "WeChatResponse"}
    assert isinstance(werobot_core.__version__, str)


def test_py_typed_marker() -> None:
    assert (Path(werobot_core.__file__).parent / "py.typed").is_file()


def test_exceptions_are_importable_from_both_places() -> None:
    from werobot_core import exceptions
    from werobot_core.crypto import exceptions as crypto_exceptions

    for name in (
        "InvalidSignature",
        "AppIdValidationError",
        "InvalidEncodingAESKey",
        "InvalidPadding",
    ):
        assert getattr(crypto_exceptions, name) is getattr(exceptions, name)
    assert exceptions.UnvalidEncodingAESKey is exceptions.InvalidEncodingAESKey
    for name in exceptions.__all__:
        assert issubclass(getattr(exceptions, name), exceptions.WeRoBotError)
    statuses = {
        "BadRequest": 400,
        "SignatureError": 403,
        "PayloadTooLarge": 413,
        "StorageUnavailable": 503,
        "InvalidSignature": 403,
        "AppIdValidationError": 403,
        "InvalidPadding": 400,
    }
    for name, status in statuses.items():
        error = getattr(exceptions, name)("why")
        assert (error.status, error.reason) == (status, "why")
    storage = exceptions.StorageUnavailable("down", backend="RedisStorage")
    assert storage.backend == "RedisStorage"
    assert exceptions.ConfigError().reason == "ConfigError"
