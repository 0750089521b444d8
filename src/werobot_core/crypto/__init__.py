"""Safe mode crypto: the AES envelope of encrypted pushes and replies (SPEC §2).

``key = base64decode(EncodingAESKey + "=")`` (32 bytes); AES-256-CBC with ``IV = key[:16]``.
The plaintext is 16 random bytes, the 4-byte big-endian length of the message, the message
and the AppId, PKCS#7-padded to a multiple of 32 bytes; the ciphertext travels as base64.

:class:`PrpCrypto` is that primitive; :class:`MessageCrypt` adds the ``msg_signature`` check
and the reply envelope.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from werobot_core.exceptions import (
    AppIdValidationError,
    BadRequest,
    InvalidEncodingAESKey,
    InvalidPadding,
    InvalidSignature,
)
from werobot_core.signature import get_signature, safe_equal
from werobot_core.xmlcodec import render_envelope

if TYPE_CHECKING:
    from werobot_core.replies import WeChatReply

__all__ = ["MessageCrypt", "PrpCrypto", "decode_aes_key"]


def _b64(data: bytes) -> str:
    return binascii.b2a_base64(data, newline=False).decode("ascii")


ENCODING_AES_KEY_LENGTH = 43
KEY_SIZE = 32
#: The key sizes ``PrpCrypto`` accepts (AES-128/192/256; WeChat's EncodingAESKey gives 32).
KEY_SIZES = (16, 24, 32)
BLOCK_SIZE = 32  # WeChat pads to 32 bytes, not to the AES block of 16
PREFIX_SIZE = 16
NONCE_DIGITS = 10
_NONCE_RANGE = 10**NONCE_DIGITS


def decode_aes_key(encoding_aes_key: str) -> bytes:
    """Return the 32-byte AES key that ``encoding_aes_key`` (43 base64 characters) encodes.

    Raises :class:`~werobot_core.exceptions.InvalidEncodingAESKey` naming the problem.
    """
    if not isinstance(encoding_aes_key, str):
        raise InvalidEncodingAESKey(
            f"ENCODING_AES_KEY must be a string, got {type(encoding_aes_key).__name__}"
        )
    if len(encoding_aes_key) != ENCODING_AES_KEY_LENGTH:
        raise InvalidEncodingAESKey(
            f"ENCODING_AES_KEY must be {ENCODING_AES_KEY_LENGTH} characters long, "
            f"got {len(encoding_aes_key)}"
        )
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except ValueError:
        raise InvalidEncodingAESKey("ENCODING_AES_KEY is not base64") from None
    if len(key) != KEY_SIZE:
        raise InvalidEncodingAESKey(
            f"ENCODING_AES_KEY must decode to {KEY_SIZE} bytes, got {len(key)}"
        )
    return key


class PrpCrypto:
    """AES-CBC with WeChat's framing, keyed with ``key`` (IV = ``key[:16]``).

    WeChat's key is 32 bytes (AES-256); 16 and 24 bytes (AES-128/192) are accepted as WeRoBot
    did. A ``str`` key is encoded as UTF-8.
    """

    def __init__(self, key: bytes | str) -> None:
        if isinstance(key, str):
            key = key.encode("utf-8")
        if len(key) not in KEY_SIZES:
            sizes = ", ".join(map(str, KEY_SIZES))
            raise InvalidEncodingAESKey(f"the AES key must be {sizes} bytes, got {len(key)}")
        self.key = key
        self._iv = key[:16]
        self._cipher = Cipher(algorithms.AES(key), modes.CBC(self._iv))
        # Idle cipher contexts, reused: creating one costs ~14k instructions, as much as the
        # rest of decrypting a push. A context is popped by one caller at a time (list.pop
        # and append are atomic), so threads never share one mid-update.
        self._decryptors: list[Any] = []
        self._encryptors: list[Any] = []

    def encrypt(self, text: bytes | str, app_id: str, random_prefix: bytes | None = None) -> str:
        """Return the base64 ciphertext of ``text`` (``str`` is encoded as UTF-8) for ``app_id``.

        ``random_prefix`` (16 bytes) is fresh random bytes unless given, e.g. to reproduce a
        known ciphertext.
        """
        fresh = random_prefix is None
        if random_prefix is None:
            random_prefix = os.urandom(PREFIX_SIZE)
        elif len(random_prefix) != PREFIX_SIZE:
            raise ValueError(f"random_prefix must be {PREFIX_SIZE} bytes")
        if isinstance(text, str):
            text = text.encode("utf-8")
        app = app_id.encode("utf-8")
        pad = BLOCK_SIZE - (PREFIX_SIZE + 4 + len(text) + len(app)) % BLOCK_SIZE
        plain = b"".join(
            (random_prefix, len(text).to_bytes(4, "big"), text, app, bytes((pad,)) * pad)
        )
        if not fresh:  # a given prefix: the ciphertext is reproducible, from a new context
            encryptor = self._cipher.encryptor()
            return _b64(encryptor.update(plain) + encryptor.finalize())
        # A random prefix: a reused context goes on from the last block it encrypted. CBC
        # then encrypts the first block as prefix ^ that block instead of prefix ^ IV, so
        # WeChat (decrypting with the IV) reads a different prefix, as random as the one we
        # drew, which it discards; every later block chains from this ciphertext alone.
        try:
            encryptor = self._encryptors.pop()
        except IndexError:
            encryptor = self._cipher.encryptor()
        ciphertext = encryptor.update(plain)  # whole blocks: nothing is held back
        self._encryptors.append(encryptor)
        return _b64(ciphertext)

    def decrypt(self, ciphertext: str | bytes, app_id: str) -> bytes:
        """Return the message inside the base64 ``ciphertext``, checking its AppId.

        Raises :class:`~werobot_core.exceptions.BadRequest` (not base64, not whole blocks,
        too short, length field past the end), :class:`InvalidPadding` and
        :class:`AppIdValidationError`.
        """
        plain = self._decrypt_blocks(ciphertext)
        pad = plain[-1]
        if not 1 <= pad <= BLOCK_SIZE or plain[-pad:] != bytes((pad,)) * pad:
            raise InvalidPadding("invalid PKCS#7 padding")
        end = len(plain) - pad
        if end < PREFIX_SIZE + 4:
            raise BadRequest("decrypted message is too short")
        length = int.from_bytes(plain[PREFIX_SIZE : PREFIX_SIZE + 4], "big")
        start = PREFIX_SIZE + 4
        if length > end - start:
            raise BadRequest("length field past the end of the plaintext")
        if not hmac.compare_digest(plain[start + length : end], app_id.encode("utf-8")):
            raise AppIdValidationError("AppId in the message does not match APP_ID")
        return plain[start : start + length]

    def _decrypt_blocks(self, ciphertext: str | bytes) -> bytes:
        try:
            raw = base64.b64decode(ciphertext, validate=True)
        except ValueError:
            raise BadRequest("ciphertext is not base64") from None
        if not raw or len(raw) % 16:
            raise BadRequest("ciphertext is not a whole number of AES blocks")
        # A reused context goes on from the last block it decrypted: the first block comes
        # out XORed with that block instead of the IV. It is the random prefix, which no
        # one reads; every later block chains from this ciphertext alone.
        if len(raw) == 16:  # the prefix alone (malformed): decrypted as it was sent
            decryptor = self._cipher.decryptor()
            return decryptor.update(raw) + decryptor.finalize()
        try:
            decryptor = self._decryptors.pop()
        except IndexError:
            decryptor = self._cipher.decryptor()
        plain: bytes = decryptor.update(raw)  # whole blocks: nothing is held back
        self._decryptors.append(decryptor)
        return plain


class MessageCrypt:
    """Decrypts encrypted pushes and encrypts replies for one Official Account.

    ``clock`` gives the reply's ``TimeStamp`` and ``random_bytes`` the random prefix and the
    nonce; inject them for reproducible output. Raises
    :class:`~werobot_core.exceptions.InvalidEncodingAESKey` for a malformed key.
    """

    def __init__(
        self,
        token: str,
        encoding_aes_key: str,
        app_id: str,
        *,
        clock: Callable[[], float] = time.time,
        random_bytes: Callable[[int], bytes] = os.urandom,
    ) -> None:
        self.token = token
        self.app_id = app_id
        self.prp = PrpCrypto(decode_aes_key(encoding_aes_key))
        self._clock = clock
        self._random_bytes = random_bytes

    def decrypt_message(
        self, timestamp: str, nonce: str, msg_signature: str, encrypt: str
    ) -> bytes:
        """Check ``msg_signature`` (constant-time), then return the decrypted message bytes.

        Raises :class:`~werobot_core.exceptions.InvalidSignature` when ``msg_signature`` is
        missing or wrong, and the errors of :meth:`PrpCrypto.decrypt`.
        """
        expected = get_signature(self.token, timestamp, nonce, encrypt)
        if not msg_signature or not safe_equal(expected, msg_signature):
            raise InvalidSignature("msg_signature is missing or wrong")
        return self.prp.decrypt(encrypt, self.app_id)

    def encrypt_message(
        self,
        reply: str | bytes | WeChatReply,
        timestamp: str | int | None = None,
        nonce: str | None = None,
    ) -> bytes:
        """Return the encrypted reply envelope (XML bytes) for ``reply``.

        ``reply`` is the reply XML, or a reply model (rendered first, as WeRoBot allowed).
        ``timestamp`` defaults to now (from ``clock``) and ``nonce`` to 10 random digits.
        """
        if isinstance(reply, str):
            reply = reply.encode("utf-8")
        data = reply if isinstance(reply, bytes) else reply.to_xml()
        stamp = int(self._clock() if timestamp is None else timestamp)
        if nonce is None:
            nonce = self._new_nonce()
        # With the default randomness the prefix is drawn inside (and may reuse a context);
        # an injected random_bytes gives the same ciphertext for the same bytes.
        prefix = None if self._random_bytes is os.urandom else self._random_bytes(PREFIX_SIZE)
        encrypt = self.prp.encrypt(data, self.app_id, prefix)
        signature = get_signature(self.token, str(stamp), nonce, encrypt)
        return render_envelope(encrypt, signature, stamp, nonce)

    def _new_nonce(self) -> str:
        number = int.from_bytes(self._random_bytes(8), "big") % _NONCE_RANGE
        return str(number).zfill(NONCE_DIGITS)
