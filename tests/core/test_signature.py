"""The webhook signature and the TOKEN helpers (werobot_core.signature, werobot_core.utils)."""

from __future__ import annotations

import json
import string

import pytest
from tests.vectors import VECTORS

from werobot_core.signature import check_signature, check_token, generate_token, get_signature

SHA1_ABC = "a9993e364706816aba3e25717850c26c9cd0d89d"  # FIPS 180 test vector: sha1("abc")
OFFICIAL_SAMPLE = VECTORS / "crypto" / "official-mp-python-sample.json"


@pytest.mark.parametrize("parts", [("a", "b", "c"), ("c", "b", "a"), ("b", "c", "a")])
def test_get_signature_sorts_the_parts(parts: tuple[str, str, str]) -> None:
    assert get_signature(*parts) == SHA1_ABC


def test_get_signature_sorts_lexicographically_not_numerically() -> None:
    # as strings "10" < "9", so the signed text is "109" (sha1sum), not "910"
    assert get_signature("9", "10") == "a1422e6a168630cdd214ac5e31ca01ae1bee8d92"
    assert get_signature("c", "ab") == SHA1_ABC  # "ab" + "c"


def test_get_signature_of_non_ascii_text_hashes_utf8() -> None:
    # sha1 of the UTF-8 bytes of "中" (e4 b8 ad), computed independently with sha1sum
    assert get_signature("中") == "0869071c92c0c11170ac87036bebedb52ea0c993"


def test_check_signature_accepts_the_right_signature() -> None:
    assert check_signature("c", "a", "b", SHA1_ABC)


@pytest.mark.parametrize(
    ("token", "timestamp", "nonce", "sig"),
    [
        ("c", "a", "b", SHA1_ABC.upper()),
        ("c", "a", "b", SHA1_ABC[:-1] + "e"),
        ("c", "a", "x", SHA1_ABC),
        ("c", "a", "b", SHA1_ABC + "0"),
        ("c", "a", "b", "签名"),  # non-ASCII must give False, not TypeError
        ("c", "a", "b", ""),
        ("c", "a", "b", None),
        ("", "a", "bc", SHA1_ABC),  # an empty token never verifies, even if the hash matches
        (None, "a", "bc", SHA1_ABC),
        ("c", "", "ab", SHA1_ABC),
        ("c", None, "ab", SHA1_ABC),
        ("c", "ab", "", SHA1_ABC),
        ("c", "ab", None, SHA1_ABC),
    ],
)
def test_check_signature_rejects(
    token: str | None, timestamp: str | None, nonce: str | None, sig: str | None
) -> None:
    assert check_signature(token, timestamp, nonce, sig) is False


def test_check_signature_with_the_official_sample() -> None:
    if not OFFICIAL_SAMPLE.is_file():
        pytest.skip("shared vectors are absent")
    sample = json.loads(OFFICIAL_SAMPLE.read_text(encoding="utf-8"))
    (case,) = [case for case in sample["cases"] if case["op"] == "check_signature"]
    query = case["query"]
    args = (sample["token"], query["timestamp"], query["nonce"])
    assert check_signature(*args, query["signature"])
    assert not check_signature(*args, query["signature"][::-1])


def test_generate_token_defaults_to_32_letters_and_digits() -> None:
    tokens = {generate_token() for _ in range(20)}
    assert len(tokens) == 20
    for token in tokens:
        assert len(token) == 32
        assert set(token) <= set(string.ascii_letters + string.digits)
        assert check_token(token)


@pytest.mark.parametrize("length", [3, 10, 32])
def test_generate_token_length(length: int) -> None:
    assert len(generate_token(length)) == length


@pytest.mark.parametrize("length", [-1, 0, 2, 33, 100])
def test_generate_token_rejects_lengths_wechat_refuses(length: int) -> None:
    with pytest.raises(ValueError, match="between 3 and 32"):
        generate_token(length)


@pytest.mark.parametrize("token", ["abc", "A1b2C3", "0" * 32, "werobot", "x" * 31])
def test_check_token_accepts(token: str) -> None:
    assert check_token(token) is True


@pytest.mark.parametrize(
    "token",
    ["", "ab", "a" * 33, "abc!", "ab c", "abc\n", "中文abc", "١٢٣", "ａｂｃ", "abc_def"],
)
def test_check_token_rejects(token: str) -> None:
    assert check_token(token) is False


def test_check_token_rejects_non_strings() -> None:
    assert check_token(None) is False  # type: ignore[arg-type]
    assert check_token(12345) is False  # type: ignore[arg-type]


def test_the_builtin_sha1_and_its_fallback_give_the_same_digest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import hashlib
    import importlib

    from werobot_core import signature

    assert signature._sha1(b"abc").hexdigest() == SHA1_ABC

    def missing(name: str) -> object:
        raise ImportError(name)

    monkeypatch.setattr(importlib, "import_module", missing)
    fallback = signature._builtin_sha1()
    assert fallback is hashlib.sha1
    assert fallback(b"abc").hexdigest() == SHA1_ABC
