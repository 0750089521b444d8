"""The package's public names are honest: every ``__all__`` lists names that exist, sorted."""

from __future__ import annotations

import importlib
import pkgutil

import werobot_client

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(werobot_client.__path__, prefix="werobot_client.")
)


def test_every_module_has_an_honest_all() -> None:
    assert "werobot_client.redis_store" in MODULES
    for name in ["werobot_client", *MODULES]:
        module = importlib.import_module(name)
        exported = getattr(module, "__all__", None)
        if name.endswith(".endpoints"):
            continue  # a namespace of modules
        assert exported is not None, name
        assert len(set(exported)) == len(exported), name
        missing = [item for item in exported if not hasattr(module, item)]
        assert missing == [], name
        assert module.__doc__, name


def test_the_top_level_names() -> None:
    assert werobot_client.__all__ == [
        "ApiCall",
        "ApiResponse",
        "ArticleLike",
        "AsyncClient",
        "AsyncComponentClient",
        "Client",
        "ClientException",
        "ComponentClient",
        "Endpoint",
        "MediaFile",
        "MemoryTokenStore",
        "StoredToken",
        "TokenStore",
        "check_error",
        "endpoint",
    ]
