"""Safe mode crypto by hand: encrypt a push as WeChat does, then open it as the robot does."""

from collections.abc import Callable

from werobot_core.crypto import MessageCrypt
from werobot_core.exceptions import InvalidEncodingAESKey, InvalidSignature, WeRoBotError
from werobot_core.xmlcodec import parse_xml

TOKEN = "tokenhere"
APP_ID = "wx1234567890abcdef"
ENCODING_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters


def error_of(call: Callable[[], object]) -> WeRoBotError:
    """Run ``call`` and return the error it raised."""
    try:
        call()
    except WeRoBotError as error:
        return error
    raise AssertionError("no error raised")


def main() -> None:
    crypt = MessageCrypt(TOKEN, ENCODING_AES_KEY, APP_ID)
    push = "<xml><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content></xml>"

    # The envelope: <Encrypt>, <MsgSignature>, <TimeStamp> and <Nonce>.
    envelope = parse_xml(crypt.encrypt_message(push, timestamp=1700000000, nonce="1234567890"))
    assert envelope["TimeStamp"] == "1700000000"
    assert envelope["Nonce"] == "1234567890"
    encrypt, msg_signature = str(envelope["Encrypt"]), str(envelope["MsgSignature"])

    # WeChat sends timestamp, nonce and msg_signature in the query, <Encrypt> in the body.
    plaintext = crypt.decrypt_message("1700000000", "1234567890", msg_signature, encrypt)
    assert plaintext == push.encode("utf-8")
    assert parse_xml(plaintext)["Content"] == "你好"

    # The signature is checked first, in constant time: a wrong timestamp is a 403.
    error = error_of(lambda: crypt.decrypt_message("1", "1234567890", msg_signature, encrypt))
    assert isinstance(error, InvalidSignature)
    assert error.status == 403

    # A malformed key is refused when MessageCrypt (or the robot's crypto) is built.
    error = error_of(lambda: MessageCrypt(TOKEN, ENCODING_AES_KEY[:-1], APP_ID))
    assert isinstance(error, InvalidEncodingAESKey)
    assert error.reason == "ENCODING_AES_KEY must be 43 characters long, got 42"


if __name__ == "__main__":
    main()
    print("ok")
