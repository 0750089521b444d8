"""The WeChat Official Account HTTP API, typed, blocking (``Client``) and asyncio (``AsyncClient``).

Every endpoint is defined once (``werobot_client.endpoints``) and exposed by both clients;
answers are pydantic models that also read like WeRoBot's dicts; errors are
:class:`ClientException` subclasses carrying ``errcode`` and ``errmsg``. Access tokens are
cached and refreshed one at a time; ``werobot_client.redis_store.RedisTokenStore`` shares
them between processes.
"""

from __future__ import annotations

from werobot_client.call import ApiCall, Endpoint, endpoint
from werobot_client.clients import AsyncClient, Client
from werobot_client.component import AsyncComponentClient, ComponentClient
from werobot_client.endpoints.messages import ArticleLike
from werobot_client.exceptions import ClientException, check_error
from werobot_client.responses import ApiResponse, MediaFile
from werobot_client.tokens import MemoryTokenStore, StoredToken, TokenStore

__all__ = [
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
