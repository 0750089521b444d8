"""Fail-fast Redis clients for the stores that sit on a request's path.

redis-py's defaults retry a failed command three times with backoff (about 4.4 s against a
closed port) and wait 5 s for a silent server: longer than WeChat's 5-second cut-off, so
the 503 that should make WeChat deliver again is never seen. The Redis stores
(:class:`~werobot_core.session.redisstorage.RedisStorage`,
:class:`~werobot_core.dedup.RedisDedupStore`, ``werobot_client.redis_store.RedisTokenStore``)
therefore never change the client they are given: they talk to its server through a client
of their own, built here, that gives up after ``timeout`` seconds without retrying.

redis-py is imported only when a client is built.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DEFAULT_TIMEOUT", "fail_fast"]

#: Seconds a Redis store waits for a connection or an answer before it gives up (503).
DEFAULT_TIMEOUT = 1.0

# The connection settings copied from the given client: where the server is, who we are,
# how answers are decoded, TLS. Timeouts and retries are the store's own.
_SETTINGS = frozenset(
    {
        "host",
        "port",
        "db",
        "username",
        "password",
        "path",
        "client_name",
        "credential_provider",
        "decode_responses",
        "encoding",
        "encoding_errors",
        "protocol",
        "socket_keepalive",
        "socket_keepalive_options",
        "lib_name",
        "lib_version",
    }
)


def check_timeout(timeout: float | None) -> None:
    """``ValueError`` unless ``timeout`` is ``None`` or a positive number of seconds."""
    if timeout is not None and not timeout > 0:
        raise ValueError(f"timeout must be positive seconds or None, not {timeout!r}")


def fail_fast(client: Any, timeout: float | None = DEFAULT_TIMEOUT) -> Any:
    """A client for the server of ``client`` that gives up after ``timeout`` seconds.

    Connecting and each command may take ``timeout`` seconds; a failure is not retried.
    It has its own connection pool (of the size of ``client``'s), with the host, port,
    database, credentials, TLS and decoding settings of ``client``, which is left as it
    was. ``timeout=None`` returns ``client`` itself; so does a client this cannot copy
    (Sentinel, cluster, or one pinned to a single connection): configure such a client's
    ``socket_timeout``, ``socket_connect_timeout`` and ``retry`` yourself.
    """
    check_timeout(timeout)
    if timeout is None:
        return client
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    pool = getattr(client, "connection_pool", None)
    plain = type(client) is redis.Redis and getattr(client, "connection", None) is None
    if not plain or type(pool) not in (redis.ConnectionPool, redis.BlockingConnectionPool):
        return client
    assert pool is not None
    settings = {
        name: value
        for name, value in pool.connection_kwargs.items()
        if name in _SETTINGS or name.startswith("ssl_")
    }
    own = type(pool)(
        connection_class=pool.connection_class,
        max_connections=pool.max_connections,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
        **settings,
    )
    return redis.Redis(connection_pool=own)
