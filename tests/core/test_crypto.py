"""Safe mode crypto (werobot_core.crypto): official vectors, framing, and every error path."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.vectors import VECTORS as SHARED_VECTORS

import werobot_core.crypto.exceptions as crypto_exceptions
from werobot_core import exceptions
from werobot_core.crypto import MessageCrypt, PrpCrypto, decode_aes_key
from werobot_core.exceptions import (
    AppIdValidationError,
    BadRequest,
    ConfigError,
    InvalidEncodingAESKey,
    InvalidPadding,
    InvalidSignature,
    UnvalidEncodingAESKey,
)
from werobot_core.signature import get_signature
from werobot_core.xmlcodec import parse_xml

VECTORS = SHARED_VECTORS / "crypto"

# Our own sample: the key is bytes 0..31, so the IV is bytes 0..15.
KEY = bytes(range(32))
ENCODING_AES_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
APP_ID = "wx0123456789abcdef"
TOKEN = "sampletoken"
PREFIX = b"0123456789abcdef"


def raw_encrypt(plain: bytes, key: bytes = KEY) -> str:
    """AES-256-CBC (IV = key[:16]) of ``plain`` as is, without any framing or padding."""
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def raw_decrypt(ciphertext: str, key: bytes = KEY) -> bytes:
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    return decryptor.update(base64.b64decode(ciphertext)) + decryptor.finalize()


def frame(message: bytes, app_id: bytes = APP_ID.encode(), *, block: int = 32) -> bytes:
    """WeChat's plaintext layout built by hand: prefix, length, message, AppId, PKCS#7."""
    body = PREFIX + len(message).to_bytes(4, "big") + message + app_id
    pad = block - len(body) % block
    return body + bytes([pad]) * pad


# --- the shared vectors ---------------------------------------------------------------------


def _vector_cases() -> list[Any]:
    if not VECTORS.is_dir():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason="shared vectors absent"))]
    params = []
    for path in sorted(VECTORS.glob("*.json")):
        sample = json.loads(path.read_text(encoding="utf-8"))
        for case in sample["cases"]:
            params.append(pytest.param(sample, case, id=f"{sample['id']}:{case['name']}"))
    return params


def _crypt(sample: dict[str, Any], **kwargs: Any) -> MessageCrypt:
    return MessageCrypt(sample["token"], sample["encoding_aes_key"], sample["app_id"], **kwargs)


def _check_decrypt(sample: dict[str, Any], case: dict[str, Any]) -> None:
    query = case["query"]
    assert parse_xml(case["body"])["Encrypt"] == case["encrypt"]
    plain = _crypt(sample).decrypt_message(
        query["timestamp"], query["nonce"], query["msg_signature"], case["encrypt"]
    )
    assert plain == case["expected_plaintext"].encode("utf-8")
    for tag, value in case.get("expected_fields", {}).items():
        assert parse_xml(plain)[tag] == value


def _check_echostr(sample: dict[str, Any], case: dict[str, Any]) -> None:
    query = case["query"]
    args = (query["timestamp"], query["nonce"], query["msg_signature"], query["echostr"])
    if "expected_error" in case:
        with pytest.raises(InvalidSignature):
            _crypt(sample).decrypt_message(*args)
    else:
        assert _crypt(sample).decrypt_message(*args) == case["expected_plaintext"].encode()


def _check_fixed_encrypt(sample: dict[str, Any], case: dict[str, Any]) -> None:
    prefix = case["random_prefix"].encode()
    plaintext = case["plaintext"].encode("utf-8")
    assert (
        PrpCrypto(decode_aes_key(sample["encoding_aes_key"])).encrypt(
            plaintext, sample["app_id"], prefix
        )
        == case["expected_encrypt"]
    )
    if "timestamp" not in case:
        return
    envelope = _crypt(sample, random_bytes=lambda n: prefix[:n]).encrypt_message(
        case["plaintext"], case["timestamp"], case["nonce"]
    )
    assert envelope == (
        f"<xml><Encrypt><![CDATA[{case['expected_encrypt']}]]></Encrypt>"
        f"<MsgSignature><![CDATA[{case['expected_msg_signature']}]]></MsgSignature>"
        f"<TimeStamp>{case['timestamp']}</TimeStamp>"
        f"<Nonce><![CDATA[{case['nonce']}]]></Nonce></xml>"
    ).encode("ascii")
    assert parse_xml(envelope) == parse_xml(case["expected_response"])


def _check_roundtrip(sample: dict[str, Any], case: dict[str, Any]) -> None:
    crypt = _crypt(sample)
    envelope = parse_xml(crypt.encrypt_message(case["plaintext"], nonce=case["nonce"]))
    assert envelope["Nonce"] == case["nonce"]
    fields = [str(envelope[tag]) for tag in ("TimeStamp", "Nonce", "MsgSignature", "Encrypt")]
    plain = crypt.decrypt_message(*fields)
    assert plain == case["plaintext"].encode("utf-8")


@pytest.mark.parametrize(("sample", "case"), _vector_cases())
def test_shared_vector(sample: dict[str, Any], case: dict[str, Any]) -> None:
    op = case["op"]
    if op == "check_signature":
        query = case["query"]
        expected = get_signature(sample["token"], query["timestamp"], query["nonce"])
        assert expected == query["signature"]
        return
    checks = {
        "decrypt": _check_decrypt,
        "decrypt_echostr": _check_echostr,
        "encrypt_fixed_random": _check_fixed_encrypt,
        "roundtrip": _check_roundtrip,
    }
    checks[op](sample, case)


# --- the framing, checked against AES used directly -----------------------------------------


@pytest.mark.parametrize("size", [0, 1, 5, 6, 7, 37, 38, 64, 1000])
def test_encrypt_uses_wechat_layout_and_32_byte_padding(size: int) -> None:
    message = b"m" * size
    ciphertext = PrpCrypto(KEY).encrypt(message, APP_ID, PREFIX)
    assert raw_decrypt(ciphertext) == frame(message)
    assert len(base64.b64decode(ciphertext)) % 32 == 0


def test_encrypt_draws_a_fresh_prefix_by_default() -> None:
    prp = PrpCrypto(KEY)
    first, second = prp.encrypt(b"same", APP_ID), prp.encrypt(b"same", APP_ID)
    assert first != second
    assert prp.decrypt(first, APP_ID) == prp.decrypt(second, APP_ID) == b"same"
    assert raw_decrypt(first)[16:] == frame(b"same")[16:]


def test_decrypt_reads_the_hand_built_layout() -> None:
    message = "你好, WeChat".encode()
    assert PrpCrypto(KEY).decrypt(raw_encrypt(frame(message)), APP_ID) == message


def test_decrypt_accepts_padding_to_16_bytes() -> None:
    frame16 = frame(b"hello", block=16)
    assert len(frame16) % 32 != 0
    assert PrpCrypto(KEY).decrypt(raw_encrypt(frame16), APP_ID) == b"hello"


def test_decrypt_accepts_a_full_block_of_padding() -> None:
    body = PREFIX + (2).to_bytes(4, "big") + b"hi" + b"x" * 10  # 32 bytes with the AppId "x"*10
    assert PrpCrypto(KEY).decrypt(raw_encrypt(body + bytes([32]) * 32), "x" * 10) == b"hi"


def test_decrypt_keeps_non_xml_payloads_as_bytes() -> None:
    message = b"\x00\xff binary \xe4"
    assert PrpCrypto(KEY).decrypt(PrpCrypto(KEY).encrypt(message, APP_ID), APP_ID) == message


@settings(max_examples=50, deadline=None)
@given(message=st.binary(max_size=300), app_id=st.text(max_size=40))
def test_encrypt_decrypt_round_trip(message: bytes, app_id: str) -> None:
    prp = PrpCrypto(KEY)
    assert prp.decrypt(prp.encrypt(message, app_id), app_id) == message


# --- reused cipher contexts ------------------------------------------------------------------
# PrpCrypto reuses its AES contexts, which carry the CBC chain of the last message on. WeChat
# decrypts each message on its own with IV = key[:16] (raw_decrypt): every message of a
# sequence must read back there, and ciphertexts made that way must read back here.


@settings(max_examples=30, deadline=None)
@given(messages=st.lists(st.binary(max_size=200), min_size=2, max_size=8))
def test_a_sequence_of_replies_reads_back_as_wechat_decrypts_each(messages: list[bytes]) -> None:
    prp = PrpCrypto(KEY)
    for message in messages:
        plain = raw_decrypt(prp.encrypt(message, APP_ID))
        # the 16-byte prefix is random either way; what follows is WeChat's layout
        assert plain[16:] == frame(message)[16:]


@settings(max_examples=30, deadline=None)
@given(messages=st.lists(st.binary(max_size=200), min_size=2, max_size=8))
def test_a_sequence_of_pushes_encrypted_apart_decrypts_in_turn(messages: list[bytes]) -> None:
    prp = PrpCrypto(KEY)
    for message in messages:  # each from a context of its own, as WeChat sends them
        assert prp.decrypt(raw_encrypt(frame(message)), APP_ID) == message


def test_a_one_block_ciphertext_is_decrypted_with_the_iv_whatever_came_before() -> None:
    prp = PrpCrypto(KEY)
    prp.decrypt(prp.encrypt(b"before", APP_ID), APP_ID)  # leaves a chain in the context
    block = raw_encrypt(bytes([16]) * 16)  # a valid padding block, nothing else: too short
    with pytest.raises(BadRequest, match="too short"):
        prp.decrypt(block, APP_ID)


def test_threads_sharing_one_prp_crypto_never_mix_their_contexts() -> None:
    import concurrent.futures

    prp = PrpCrypto(KEY)

    def work(seed: int) -> None:
        for number in range(150):
            message = f"{seed}:{number}".encode() * (number % 7 + 1)
            assert raw_decrypt(prp.encrypt(message, APP_ID))[16:] == frame(message)[16:]
            assert prp.decrypt(raw_encrypt(frame(message)), APP_ID) == message

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        for future in [pool.submit(work, seed) for seed in range(8)]:
            future.result()
    # contexts are only made when none is idle: at most one per thread that ran at once
    assert 1 <= len(prp._encryptors) <= 8
    assert 1 <= len(prp._decryptors) <= 8


def test_an_injected_random_source_keeps_replies_reproducible() -> None:
    def crypt() -> MessageCrypt:
        return MessageCrypt(TOKEN, ENCODING_AES_KEY, APP_ID, random_bytes=lambda n: b"7" * n)

    first, second = crypt(), crypt()
    first.encrypt_message(b"<xml>warm</xml>", 1, "1")  # a context with a chain behind it
    assert first.encrypt_message(b"<xml/>", 1, "1") == second.encrypt_message(b"<xml/>", 1, "1")


# --- decryption errors -----------------------------------------------------------------------


def test_wrong_key_is_rejected() -> None:
    ciphertext = PrpCrypto(KEY).encrypt(b"<xml></xml>", APP_ID, PREFIX)
    other = PrpCrypto(bytes(range(1, 33)))
    with pytest.raises((BadRequest, AppIdValidationError)):
        other.decrypt(ciphertext, APP_ID)


def test_wrong_app_id_is_rejected() -> None:
    ciphertext = PrpCrypto(KEY).encrypt(b"<xml></xml>", "wxsomebodyelse", PREFIX)
    with pytest.raises(AppIdValidationError) as caught:
        PrpCrypto(KEY).decrypt(ciphertext, APP_ID)
    assert caught.value.status == 403
    assert caught.value.reason == "AppId in the message does not match APP_ID"


def test_app_id_must_match_exactly_not_as_a_prefix() -> None:
    ciphertext = raw_encrypt(frame(b"msg", (APP_ID + "x").encode()))
    with pytest.raises(AppIdValidationError):
        PrpCrypto(KEY).decrypt(ciphertext, APP_ID)


def _with_last_bytes(tail: bytes) -> bytes:
    valid = frame(b"message")
    return valid[: -len(tail)] + tail


@pytest.mark.parametrize(
    "plain",
    [
        _with_last_bytes(b"\x00"),  # pad 0
        _with_last_bytes(bytes([33])),  # pad above 32
        _with_last_bytes(bytes([255])),
        _with_last_bytes(b"\x01\x02\x03"),  # claims 3, but the other pad bytes differ
        _with_last_bytes(b"\x04\x04\x04\x04\x05"),  # claims 5, but the 4 before it are 4s
        b"\x00" * 15 + bytes([32]) + bytes([32]) * 16,  # pad 32 longer than a 16-byte tail match
    ],
)
def test_bad_padding_is_rejected(plain: bytes) -> None:
    with pytest.raises(InvalidPadding) as caught:
        PrpCrypto(KEY).decrypt(raw_encrypt(plain), APP_ID)
    assert caught.value.status == 400
    assert caught.value.reason == "invalid PKCS#7 padding"


def test_padding_longer_than_the_plaintext_is_rejected() -> None:
    with pytest.raises(InvalidPadding):
        PrpCrypto(KEY).decrypt(raw_encrypt(bytes([32]) * 16), APP_ID)


@pytest.mark.parametrize(
    ("ciphertext", "reason"),
    [
        ("not base64!", "ciphertext is not base64"),
        ("密文", "ciphertext is not base64"),
        ("QUJD\nREVG", "ciphertext is not base64"),
        ("QUJDRA", "ciphertext is not base64"),  # missing padding
        ("", "ciphertext is not a whole number of AES blocks"),
        (base64.b64encode(b"x" * 20).decode(), "ciphertext is not a whole number of AES blocks"),
    ],
)
def test_unreadable_ciphertext_is_a_bad_request(ciphertext: str, reason: str) -> None:
    with pytest.raises(BadRequest) as caught:
        PrpCrypto(KEY).decrypt(ciphertext, APP_ID)
    assert type(caught.value) is BadRequest
    assert caught.value.reason == reason


def test_truncated_ciphertext_is_rejected() -> None:
    raw = base64.b64decode(PrpCrypto(KEY).encrypt(b"x" * 100, APP_ID, PREFIX))
    for cut in (5, 16, 32):
        with pytest.raises(BadRequest):
            PrpCrypto(KEY).decrypt(base64.b64encode(raw[:-cut]).decode(), APP_ID)


def test_length_field_past_the_end_is_rejected() -> None:
    body = PREFIX + (1000).to_bytes(4, "big") + b"short" + APP_ID.encode()
    pad = 32 - len(body) % 32
    with pytest.raises(BadRequest) as caught:
        PrpCrypto(KEY).decrypt(raw_encrypt(body + bytes([pad]) * pad), APP_ID)
    assert caught.value.reason == "length field past the end of the plaintext"


def test_length_field_one_past_the_end_is_rejected() -> None:
    body = PREFIX + (4).to_bytes(4, "big") + b"abc"  # claims 4 bytes, 3 remain, empty AppId
    pad = 32 - len(body) % 32
    with pytest.raises(BadRequest, match="length field"):
        PrpCrypto(KEY).decrypt(raw_encrypt(body + bytes([pad]) * pad), "")


def test_plaintext_without_room_for_the_header_is_rejected() -> None:
    with pytest.raises(BadRequest) as caught:
        PrpCrypto(KEY).decrypt(raw_encrypt(b"0123456789abcdef" + bytes([16]) * 16), APP_ID)
    assert caught.value.reason == "decrypted message is too short"


# --- MessageCrypt --------------------------------------------------------------------------


def _counting_bytes() -> Callable[[int], bytes]:
    state = {"next": 0}

    def random_bytes(n: int) -> bytes:
        start = state["next"]
        state["next"] += n
        return bytes((start + i) % 256 for i in range(n))

    return random_bytes


def test_encrypt_message_envelope_with_injected_clock_and_randomness() -> None:
    crypt = MessageCrypt(
        TOKEN, ENCODING_AES_KEY, APP_ID, clock=lambda: 1700000000.9, random_bytes=_counting_bytes()
    )
    envelope = crypt.encrypt_message("<xml><Content><![CDATA[hi]]></Content></xml>")
    match = re.fullmatch(
        rb"<xml><Encrypt><!\[CDATA\[([A-Za-z0-9+/=]+)\]\]></Encrypt>"
        rb"<MsgSignature><!\[CDATA\[([0-9a-f]{40})\]\]></MsgSignature>"
        rb"<TimeStamp>1700000000</TimeStamp><Nonce><!\[CDATA\[(\d{10})\]\]></Nonce></xml>",
        envelope,
    )
    assert match is not None
    encrypt, signature, nonce = (group.decode() for group in match.groups())
    # the nonce comes from the first 8 random bytes 00..07, the prefix from the next 16
    assert nonce == str(int.from_bytes(bytes(range(8)), "big") % 10**10).zfill(10)
    assert raw_decrypt(encrypt)[:16] == bytes(range(8, 24))
    assert signature == get_signature(TOKEN, "1700000000", nonce, encrypt)
    assert crypt.decrypt_message("1700000000", nonce, signature, encrypt) == (
        b"<xml><Content><![CDATA[hi]]></Content></xml>"
    )


def test_encrypt_message_nonce_is_ten_digits_even_when_small() -> None:
    crypt = MessageCrypt(TOKEN, ENCODING_AES_KEY, APP_ID, random_bytes=lambda n: bytes(n))
    assert parse_xml(crypt.encrypt_message(b"x"))["Nonce"] == "0000000000"
    crypt = MessageCrypt(TOKEN, ENCODING_AES_KEY, APP_ID, random_bytes=lambda n: b"\xff" * n)
    assert parse_xml(crypt.encrypt_message(b"x"))["Nonce"] == "3709551615"  # (2**64-1) % 10**10


def test_encrypt_message_accepts_str_and_bytes_and_int_timestamps() -> None:
    crypt = MessageCrypt(TOKEN, ENCODING_AES_KEY, APP_ID, random_bytes=lambda n: bytes(n))
    as_str = crypt.encrypt_message("回复", "1411525903", "123")
    assert crypt.encrypt_message("回复".encode(), 1411525903, "123") == as_str
    assert parse_xml(as_str)["TimeStamp"] == "1411525903"


def test_encrypt_message_uses_real_time_and_randomness_by_default() -> None:
    crypt = MessageCrypt(TOKEN, ENCODING_AES_KEY, APP_ID)
    first, second = parse_xml(crypt.encrypt_message("a")), parse_xml(crypt.encrypt_message("a"))
    assert first["Encrypt"] != second["Encrypt"]
    assert isinstance(first["TimeStamp"], str)
    assert int(first["TimeStamp"]) > 1_700_000_000


@pytest.mark.parametrize("msg_signature", ["", "0" * 40, "签名", "X"])
def test_decrypt_message_checks_msg_signature_first(msg_signature: str) -> None:
    crypt = MessageCrypt(TOKEN, ENCODING_AES_KEY, APP_ID)
    # a garbage ciphertext: the signature error must win over the base64 error
    with pytest.raises(InvalidSignature) as caught:
        crypt.decrypt_message("1", "2", msg_signature, "not base64!")
    assert caught.value.status == 403
    assert caught.value.reason == "msg_signature is missing or wrong"


def test_decrypt_message_rejects_a_signature_over_other_values() -> None:
    crypt = MessageCrypt(TOKEN, ENCODING_AES_KEY, APP_ID)
    encrypt = crypt.prp.encrypt(b"<xml/>", APP_ID)
    signature = get_signature(TOKEN, "1", "2", encrypt)
    assert crypt.decrypt_message("1", "2", signature, encrypt) == b"<xml/>"
    for timestamp, nonce in (("1", "3"), ("3", "2")):
        with pytest.raises(InvalidSignature):
            crypt.decrypt_message(timestamp, nonce, signature, encrypt)
    with pytest.raises(InvalidSignature):
        MessageCrypt("othertoken", ENCODING_AES_KEY, APP_ID).decrypt_message(
            "1", "2", signature, encrypt
        )


def test_decrypt_message_checks_the_app_id() -> None:
    sender = MessageCrypt(TOKEN, ENCODING_AES_KEY, "wxother")
    receiver = MessageCrypt(TOKEN, ENCODING_AES_KEY, APP_ID)
    fields = parse_xml(sender.encrypt_message("x", 1, "2"))
    with pytest.raises(AppIdValidationError):
        receiver.decrypt_message("1", "2", str(fields["MsgSignature"]), str(fields["Encrypt"]))


# --- keys --------------------------------------------------------------------------------


def test_decode_aes_key() -> None:
    assert decode_aes_key(ENCODING_AES_KEY) == KEY


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (ENCODING_AES_KEY[:-1], "ENCODING_AES_KEY must be 43 characters long, got 42"),
        (ENCODING_AES_KEY + "A", "ENCODING_AES_KEY must be 43 characters long, got 44"),
        ("", "ENCODING_AES_KEY must be 43 characters long, got 0"),
        (ENCODING_AES_KEY[:-1] + "!", "ENCODING_AES_KEY is not base64"),
        (ENCODING_AES_KEY[:-1] + "中", "ENCODING_AES_KEY is not base64"),
        ("=" + ENCODING_AES_KEY[1:], "ENCODING_AES_KEY is not base64"),
        (ENCODING_AES_KEY[:-1] + "=", "ENCODING_AES_KEY must decode to 32 bytes, got 31"),
        (None, "ENCODING_AES_KEY must be a string, got NoneType"),
    ],
)
def test_malformed_encoding_aes_key(key: str, reason: str) -> None:
    with pytest.raises(InvalidEncodingAESKey) as caught:
        decode_aes_key(key)
    assert caught.value.reason == reason
    with pytest.raises(ConfigError, match=re.escape(reason)):
        MessageCrypt(TOKEN, key, APP_ID)


def test_prp_crypto_takes_the_aes_key_sizes_werobot_took() -> None:
    for size in (16, 24, 32):
        prp = PrpCrypto(KEY[:size])
        assert prp.decrypt(prp.encrypt("喵", APP_ID), APP_ID) == "喵".encode()
    assert PrpCrypto(KEY[:16].decode("latin-1")).key == KEY[:16]
    for size in (0, 15, 20, 31, 33):
        with pytest.raises(InvalidEncodingAESKey, match=f"16, 24, 32 bytes, got {size}"):
            PrpCrypto(KEY[:size] if size <= 32 else KEY + b"x")


def test_random_prefix_must_be_16_bytes() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        PrpCrypto(KEY).encrypt(b"x", APP_ID, b"short")


def test_crypto_exceptions_module_reexports_the_same_classes() -> None:
    assert sorted(crypto_exceptions.__all__) == crypto_exceptions.__all__
    for name in crypto_exceptions.__all__:
        assert getattr(crypto_exceptions, name) is getattr(exceptions, name)
    assert UnvalidEncodingAESKey is InvalidEncodingAESKey
