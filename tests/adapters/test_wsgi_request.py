"""The WSGI environ → ``WeChatRequest`` translation: the URL as ``wsgiref`` writes it, the
headers read only when asked for."""

from __future__ import annotations

import io
from typing import Any
from wsgiref.util import request_uri

from hypothesis import given, settings
from hypothesis import strategies as st

from werobot_core.wsgi import EnvironHeaders, request_from_environ, request_url

_PATH_CHARS = st.sampled_from([*"abcXYZ019/_.-~;=,%?# é+&ü", "//", "/a b"])  # latin-1, as WSGI
_PATHS = st.lists(_PATH_CHARS, max_size=12).map("".join)


def _environ(**extra: Any) -> dict[str, Any]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "wsgi.url_scheme": "http",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8888",
        "wsgi.input": io.BytesIO(b"<xml/>"),
        "CONTENT_LENGTH": "6",
    }
    environ.update(extra)
    return environ


@settings(max_examples=1000)
@given(
    script=_PATHS,
    path=_PATHS,
    query=st.sampled_from(["", "signature=a&timestamp=1&nonce=2", "x=%20y"]),
    host=st.sampled_from([None, "bot.example.com", "127.0.0.1:8888"]),
    scheme=st.sampled_from(["http", "https"]),
)
def test_request_url_is_wsgirefs_request_uri(
    script: str, path: str, query: str, host: str | None, scheme: str
) -> None:
    environ = _environ(SCRIPT_NAME=script, PATH_INFO=path, QUERY_STRING=query)
    environ["wsgi.url_scheme"] = scheme
    if host is not None:
        environ["HTTP_HOST"] = host
    assert request_url(environ) == request_uri(environ)


def test_a_plain_path_is_not_quoted_and_keeps_its_query() -> None:
    environ = _environ(HTTP_HOST="bot.example.com", PATH_INFO="/wechat/wx1", QUERY_STRING="a=1")
    assert request_url(environ) == "http://bot.example.com/wechat/wx1?a=1"
    quoted = _environ(HTTP_HOST="bot.example.com", PATH_INFO="/a b")
    assert request_url(quoted) == "http://bot.example.com/a%20b"


def test_headers_are_read_from_the_environ_when_asked_for() -> None:
    environ = _environ(
        HTTP_HOST="bot.example.com",
        HTTP_X_FORWARDED_FOR="10.0.0.1",
        CONTENT_TYPE="text/xml",
        PATH_INFO="/",
    )
    request = request_from_environ(environ, 1024)
    assert request.body == b"<xml/>"
    headers = request.headers
    assert isinstance(headers, EnvironHeaders)
    assert headers._headers is None  # nothing built until a header is read
    assert headers["X-Forwarded-For"] == "10.0.0.1"
    assert dict(headers) == {
        "Host": "bot.example.com",
        "X-Forwarded-For": "10.0.0.1",
        "Content-Type": "text/xml",
        "Content-Length": "6",
    }
    assert headers == {
        "Host": "bot.example.com",
        "X-Forwarded-For": "10.0.0.1",
        "Content-Type": "text/xml",
        "Content-Length": "6",
    }
    assert len(headers) == 4
    assert "Cookie" not in headers
