"""The WSGI environ → ``WeChatRequest`` translation: the URL as ``wsgiref`` writes it, the
headers read only when asked for."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import parse_qsl
from wsgiref.util import request_uri

from hypothesis import given, settings
from hypothesis import strategies as st

from werobot_core.transport import parse_query, read_body, status_line
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


_QUERY_PARTS = st.sampled_from(
    [*"&=&=ab19_-.~", "signature=", "%41", "%", "%E4%BD%A0", "%FF", "+", " ", "é", "你", ";"]
)


@settings(max_examples=1000)
@given(st.lists(_QUERY_PARTS, max_size=16).map("".join))
def test_parse_query_is_the_first_value_of_parse_qsl(text: str) -> None:
    raw = text.encode("utf-8")
    expected: dict[str, str] = {}
    for name, value in parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True):
        expected.setdefault(name, value)
    assert parse_query(raw) == expected


class _Chunked:
    """A stream that hands out at most ``step`` bytes a read, counting what it gave."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step, self.given = data, step, 0

    def read(self, size: int) -> bytes:
        chunk = self.data[self.given : self.given + min(size, self.step)]
        self.given += len(chunk)
        return chunk


@settings(max_examples=300)
@given(
    size=st.integers(0, 300),
    step=st.integers(1, 120),
    declared=st.booleans(),
    limit=st.integers(0, 200),
)
def test_read_body_returns_the_body_or_none_over_the_limit(
    size: int, step: int, declared: bool, limit: int
) -> None:
    stream = _Chunked(bytes(range(256))[:size] + b"x" * max(size - 256, 0), step)
    body = read_body(stream.read, size if declared else None, limit)
    if size > limit:
        assert body is None
        # a declared length over the limit reads nothing; else one byte over tells
        assert stream.given == (0 if declared else limit + 1)
    else:
        assert body == stream.data
        assert stream.given == size


def test_status_lines_of_every_standard_status() -> None:
    assert status_line(418) == "418 I'm a Teapot"
    assert status_line(503) == "503 Service Unavailable"
    assert status_line(599) == "599 Unknown"


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
