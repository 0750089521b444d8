"""Every error the protocol core raises, under one root.

::

    WeRoBotError
    ├── ConfigError                    a setting is missing or malformed
    │   └── InvalidEncodingAESKey      (alias UnvalidEncodingAESKey)
    ├── BadRequest              400    the push cannot be read
    │   └── InvalidPadding      400    the ciphertext's PKCS#7 padding is wrong
    ├── SignatureError          403    signature, timestamp or nonce missing or wrong
    │   ├── InvalidSignature    403    ``msg_signature`` of an encrypted push is wrong
    │   └── AppIdValidationError 403   the AppId inside the ciphertext is not ours
    ├── UnknownAccount          404    no account of an ``Accounts`` is the request's
    ├── PayloadTooLarge         413    the body is over ``MAX_BODY_SIZE``
    └── StorageUnavailable      503    the session store cannot be reached

Each error that maps to an HTTP answer carries that answer's ``status`` and a short
``reason`` safe to show to the caller.
"""

from __future__ import annotations

__all__ = [
    "AppIdValidationError",
    "BadRequest",
    "ConfigError",
    "InvalidEncodingAESKey",
    "InvalidPadding",
    "InvalidSignature",
    "PayloadTooLarge",
    "SignatureError",
    "StorageUnavailable",
    "UnknownAccount",
    "UnvalidEncodingAESKey",
    "WeRoBotError",
]


class WeRoBotError(Exception):
    """The root of every error raised by ``werobot_core``."""

    status: int = 500

    def __init__(self, reason: str = "") -> None:
        super().__init__(reason)
        self.reason = reason or type(self).__name__


class ConfigError(WeRoBotError):
    """A configuration value is missing or malformed."""


class InvalidEncodingAESKey(ConfigError):
    """``ENCODING_AES_KEY`` is not 43 characters of base64 encoding 32 bytes."""


UnvalidEncodingAESKey = InvalidEncodingAESKey  # WeRoBot's spelling


class BadRequest(WeRoBotError):
    """The request body cannot be read as a WeChat push (HTTP 400)."""

    status = 400


class InvalidPadding(BadRequest):
    """The decrypted plaintext does not end in valid PKCS#7 padding (block 32)."""


class SignatureError(WeRoBotError):
    """The request's signature does not verify (HTTP 403)."""

    status = 403


class InvalidSignature(SignatureError):
    """The ``msg_signature`` of an encrypted push is missing or wrong."""


class AppIdValidationError(SignatureError):
    """The AppId trailer of a decrypted push differs from ``APP_ID``."""


class UnknownAccount(WeRoBotError):
    """The request's URL (or resolver) names no account of an ``Accounts`` (HTTP 404)."""

    status = 404


class PayloadTooLarge(WeRoBotError):
    """The request body exceeds ``MAX_BODY_SIZE`` (HTTP 413)."""

    status = 413


class StorageUnavailable(WeRoBotError):
    """The session store cannot be reached (HTTP 503, so WeChat retries).

    ``backend`` names the storage class, ``__cause__`` holds the driver's error.
    """

    status = 503

    def __init__(self, reason: str = "", backend: str = "") -> None:
        super().__init__(reason)
        self.backend = backend
