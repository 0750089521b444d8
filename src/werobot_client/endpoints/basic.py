"""The token endpoints, the callback IP list, and ``request``/``get``/``post`` for the rest."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from werobot_client.call import ApiCall, FilePart, endpoint, get_json
from werobot_client.models import AccessToken, IpList
from werobot_client.responses import json_as, raw_json
from werobot_client.uploads import MediaInput, file_part

__all__ = ["get_ip_list", "grant_token", "request"]

_REQUEST_KEYWORDS = frozenset({"params", "data", "json", "files", "headers", "timeout"})


def grant_token(appid: str, secret: str, *, stable: bool = False) -> ApiCall[AccessToken]:
    """Ask for a new access token (never retried: its errors mean a wrong account)."""
    if stable:
        body = {
            "grant_type": "client_credential",
            "appid": appid,
            "secret": secret,
            "force_refresh": False,
        }
        return ApiCall(
            "POST",
            "/cgi-bin/stable_token",
            decode=json_as(AccessToken),
            body=body,
            needs_token=False,
            retryable=False,
        )
    query = {"grant_type": "client_credential", "appid": appid, "secret": secret}
    return ApiCall(
        "GET",
        "/cgi-bin/token",
        decode=json_as(AccessToken),
        query=query,
        needs_token=False,
        retryable=False,
    )


@endpoint
def get_ip_list() -> ApiCall[IpList]:
    """The IP addresses WeChat's servers push from."""
    return get_json("/cgi-bin/getcallbackip", IpList)


def _files(files: Mapping[str, MediaInput] | None) -> dict[str, FilePart] | None:
    if files is None:
        return None
    return {name: file_part(media) for name, media in files.items()}


@endpoint
def request(method: str, url: str, **kwargs: Any) -> ApiCall[dict[str, Any]]:
    """Call an endpoint the client does not wrap; returns the error-checked JSON.

    ``access_token`` is added to the query unless ``params`` is given. A dict ``data`` is sent
    as UTF-8 JSON (as form fields when ``files`` is given); ``str``/``bytes`` ``data`` as is.
    Also accepted: ``json``, ``files``, ``headers`` and ``timeout`` (seconds).
    """
    unknown = sorted(set(kwargs) - _REQUEST_KEYWORDS)
    if unknown:
        raise TypeError(f"request() got unexpected keyword arguments: {', '.join(unknown)}")
    data = kwargs.get("data")
    files = _files(kwargs.get("files"))
    body, content, form = kwargs.get("json"), None, None
    if isinstance(data, Mapping):
        if files is None:
            body = data
        else:
            form = {str(key): str(value) for key, value in data.items()}
    elif isinstance(data, str):
        content = data.encode("utf-8")
    elif isinstance(data, bytes):
        content = data
    elif data is not None:
        raise TypeError(f"data must be a dict, str or bytes, not {type(data).__name__}")
    params = kwargs.get("params")
    return ApiCall(
        method.upper(),
        url,
        decode=raw_json,
        query=params or {},
        body=body,
        content=content,
        files=files,
        form=form,
        headers=kwargs.get("headers") or {},
        needs_token=params is None,
        timeout=kwargs.get("timeout"),
    )
