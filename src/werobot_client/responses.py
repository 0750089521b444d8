"""How an answer is read: the response base model, downloaded files, and the decoders.

Every JSON answer becomes a pydantic model (unknown fields kept) that also reads like the
dict WeRoBot returned: ``resp["menu"]``, ``resp.get("errmsg")``, ``"menu" in resp`` and
``dict(resp)`` all see the raw JSON. A JSON object with ``errcode`` ≠ 0 raises the error from
:mod:`werobot_client.exceptions` instead.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, ItemsView, KeysView, Mapping, ValuesView
from dataclasses import dataclass
from email.message import Message
from typing import Any, TypeVar

import httpx
from pydantic import (
    BaseModel,
    ConfigDict,
    ModelWrapValidatorHandler,
    PrivateAttr,
    ValidationError,
    create_model,
    model_validator,
)
from typing_extensions import Self

from werobot_client.exceptions import HTTPError, UnexpectedResponse, error_for

__all__ = ["ApiResponse", "MediaFile", "WireModel", "json_as", "media_file", "raw_json"]

M = TypeVar("M", bound="ApiResponse")
logger = logging.getLogger("werobot_client")


class WireModel(BaseModel):
    """A nested object of an answer; fields WeChat adds later are kept as extras."""

    model_config = ConfigDict(extra="allow")


class ApiResponse(BaseModel):
    """A JSON answer: typed fields, plus read-only mapping access to the raw JSON."""

    model_config = ConfigDict(extra="allow")

    errcode: int = 0
    """``0`` on success (an error raises instead, so this is ``0`` in practice)."""
    errmsg: str = "ok"
    """WeChat's message, ``"ok"`` on success."""

    _raw: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_raw(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        model = handler(data)
        if isinstance(data, Mapping):
            model._raw = dict(data)
        return model

    def __getitem__(self, key: str) -> Any:
        return self._raw[key]

    def __contains__(self, key: object) -> bool:
        return key in self._raw

    def __len__(self) -> int:
        return len(self._raw)

    def get(self, key: str, default: Any = None) -> Any:
        """The raw JSON value of ``key``, or ``default``."""
        return self._raw.get(key, default)

    def keys(self) -> KeysView[str]:
        """The keys of the raw JSON (so ``dict(resp)`` gives the raw JSON)."""
        return self._raw.keys()

    def values(self) -> ValuesView[Any]:
        """The values of the raw JSON."""
        return self._raw.values()

    def items(self) -> ItemsView[str, Any]:
        """The ``(key, value)`` pairs of the raw JSON."""
        return self._raw.items()

    def __eq__(self, other: object) -> bool:
        """Equal to the dict WeChat sent (as WeRoBot's answers were), or to the same model."""
        if isinstance(other, ApiResponse):
            return super().__eq__(other) and self._raw == other._raw
        if isinstance(other, Mapping):
            return self._raw == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class MediaFile:
    """A downloaded file. ``content`` and ``headers`` read like the old ``requests.Response``."""

    content: bytes
    content_type: str
    filename: str | None
    headers: httpx.Headers

    @property
    def text(self) -> str:
        """The content decoded as UTF-8."""
        return self.content.decode("utf-8")

    def json(self) -> Any:
        """The content parsed as JSON (a permanent news or video material answers in JSON)."""
        return json.loads(self.content)


def _check_status(response: httpx.Response) -> None:
    if not response.is_success:
        raise HTTPError(response.request, response)


def _error_object(response: httpx.Response) -> dict[str, Any] | None:
    """The JSON object of the body if it is one, raising when it carries an errcode ≠ 0."""
    try:
        data = json.loads(response.content)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    errcode = data.get("errcode", 0)
    if isinstance(errcode, int) and errcode != 0:
        errmsg = str(data.get("errmsg", ""))
        raise error_for(errcode, errmsg, request=response.request, response=response)
    return data


def raw_json(response: httpx.Response) -> dict[str, Any]:
    """The error-checked JSON object of ``response`` (what ``request``/``get``/``post`` return)."""
    _check_status(response)
    data = _error_object(response)
    if data is None:
        raise UnexpectedResponse(
            None,
            f"expected a JSON object, got {response.headers.get('content-type', 'no type')}",
            request=response.request,
            response=response,
        )
    return data


def json_as(model: type[M]) -> Callable[[httpx.Response], M]:
    """A decoder reading the error-checked JSON object into ``model``."""

    def decode(response: httpx.Response) -> M:
        return lenient(model, raw_json(response))

    return decode


def lenient(model: type[M], data: dict[str, Any]) -> M:
    """``data`` as ``model``; a field that is missing or does not fit is ``None``, never an error.

    WeChat has already done the work when it answers, so a field it left out (or sent in
    another shape) must not turn success into an exception: the field reads ``None``, the raw
    answer stays readable (``resp["field"]``) and a debug log names the fields.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        loose = frozenset(str(error["loc"][0]) for error in exc.errors() if error["loc"])
    # an error names a field by its alias when it has one (``priTmplId`` for ``pri_tmpl_id``)
    names = {n: f.alias or n for n, f in model.model_fields.items() if (f.alias or n) in loose}
    logger.debug("%s: fields %s missing or not as documented; None", model.__name__, loose)
    kept = {k: v for k, v in data.items() if k not in names.values() and k not in names}
    result = _loosened(model, frozenset(names)).model_validate(kept)
    result._raw = dict(data)
    return result


_LOOSENED: dict[tuple[type[ApiResponse], frozenset[str]], type[Any]] = {}


def _loosened(model: type[M], names: frozenset[str]) -> type[M]:
    """A subclass of ``model`` in which the fields ``names`` are optional, ``None`` by default."""
    key = (model, names)
    if key not in _LOOSENED:
        fields: dict[str, Any] = dict.fromkeys(names, (Any, None))
        _LOOSENED[key] = create_model(model.__name__, __base__=model, **fields)
    loosened: type[M] = _LOOSENED[key]
    return loosened


def _filename(response: httpx.Response) -> str | None:
    disposition = response.headers.get("content-disposition")
    if not disposition:
        return None
    message = Message()
    message["content-disposition"] = disposition
    return message.get_filename()


def media_file(response: httpx.Response) -> MediaFile:
    """Read a download; a JSON body with an errcode raises instead."""
    _check_status(response)
    content_type = response.headers.get("content-type", "")
    if not content_type or "json" in content_type or content_type.startswith("text/"):
        _error_object(response)
    return MediaFile(
        content=response.content,
        content_type=content_type,
        filename=_filename(response),
        headers=response.headers,
    )
