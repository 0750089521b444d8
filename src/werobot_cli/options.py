"""Options several commands share: the account's server settings and the simulated user."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from werobot_core.exceptions import InvalidEncodingAESKey

if TYPE_CHECKING:
    from werobot_cli.wire import Account

__all__ = ["AccountOpts", "AesKey", "AppId", "Compat", "Token", "User", "checked_account"]

Token = Annotated[
    str,
    typer.Option(
        "--token",
        envvar="WEROBOT_TOKEN",
        help="The TOKEN saved in WeChat's console (3-32 letters and digits).",
    ),
]
AppId = Annotated[
    str | None,
    typer.Option("--app-id", envvar="WEROBOT_APP_ID", help="APP_ID; with --aes-key: safe mode."),
]
AesKey = Annotated[
    str | None,
    typer.Option(
        "--aes-key", envvar="WEROBOT_AES_KEY", help="ENCODING_AES_KEY (43 characters); safe mode."
    ),
]
Compat = Annotated[
    bool,
    typer.Option("--compat", help="Compat mode: plaintext fields beside <Encrypt>."),
]
User = Annotated[
    str, typer.Option("--user", help="The openid of the simulated user (FromUserName).")
]
AccountOpts = Annotated[str, typer.Option("--account", help="The account's id (ToUserName).")]

DEFAULT_USER = "o_werobot_simulated_user"
DEFAULT_ACCOUNT = "gh_werobot_simulated"


def checked_account(
    url: str, token: str, app_id: str | None, aes_key: str | None, compat: bool
) -> Account:
    """The account of the options; a malformed ``--aes-key`` is a usage error."""
    from werobot_cli.wire import Account

    account = Account(url, token, app_id, aes_key, compat)
    try:
        account.crypto()
    except InvalidEncodingAESKey as exc:
        hint = f"{exc}; run `werobot check` for the fix"
        raise typer.BadParameter(hint, param_hint="--aes-key") from None
    return account
