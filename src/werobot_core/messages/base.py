"""Base classes and field types shared by every inbound message and event model."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    SkipValidation,
)
from pydantic_core import core_schema

__all__ = [
    "BaseEvent",
    "Float",
    "Int",
    "IntZero",
    "Str",
    "StrEmpty",
    "WeChatMessage",
    "WeChatModel",
    "as_list",
    "declared_types",
]


class _EmptyAs:
    """Validate as the annotated type, and read its empty forms ``empties`` as ``value``.

    The type's own validator runs first, in pydantic-core, and the empty forms are tried
    only when it fails, so the common value costs no Python call (a ``BeforeValidator``
    costs one per field and push, ~0.6k instructions). A value that is neither fails with
    ``error`` (a pydantic error type), as the type's own validator would.
    """

    def __init__(self, value: Any, empties: tuple[Any, ...], error: str) -> None:
        self.value, self.empties, self.error = value, empties, error

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        value = self.value
        empty = core_schema.chain_schema(
            [
                core_schema.literal_schema(list(self.empties)),
                core_schema.no_info_plain_validator_function(lambda _: value),
            ]
        )
        typed = _without_empty_str(handler(source)) if "" in self.empties else handler(source)
        return core_schema.union_schema(
            [typed, empty], mode="left_to_right", custom_error_type=self.error
        )


def _without_empty_str(schema: Any) -> Any:
    """``schema`` with any ``str`` in it refusing ``""`` (left to the empty form)."""
    if schema["type"] == "nullable":
        return {**schema, "schema": _without_empty_str(schema["schema"])}
    return {**schema, "min_length": 1} if schema["type"] == "str" else schema


def as_list(value: Any) -> list[Any]:
    """``None`` → ``[]``, a list unchanged, anything else → a one-item list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


#: Optional text: ``None`` when the element is absent or empty.
Str = Annotated[str | None, _EmptyAs(None, ("",), "string_type")]
#: The text a type is defined by: ``""`` when absent.
StrEmpty = Annotated[str, _EmptyAs("", (None,), "string_type")]
#: Optional integer / float: ``None`` when absent or empty, 400 when not a number.
Int = Annotated[int | None, _EmptyAs(None, ("",), "int_parsing")]
Float = Annotated[float | None, _EmptyAs(None, ("",), "float_parsing")]
#: An integer that defaults to 0 when absent or empty (``time``, ``message_id``).
IntZero = Annotated[int, _EmptyAs(0, (None, ""), "int_parsing")]


class WeChatModel(BaseModel):
    """Shared configuration of every wire model: unknown fields kept, immutable."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        frozen=True,
        coerce_numbers_to_str=True,
        defer_build=True,  # each class builds its validator on first use: fast imports
    )


class WeChatMessage(WeChatModel):
    """An inbound push: a user message or an event.

    Every subclass declares ``MSG_TYPE`` (the ``MsgType`` it is parsed from, lower case);
    events also declare ``EVENT``. The dispatch key ``type``, the parsing table and the
    robot's decorators are derived from these two class variables.
    """

    MSG_TYPE: ClassVar[str] = ""

    source: StrEmpty = Field("", alias="FromUserName")
    """The sender's openid (``FromUserName``)."""
    target: StrEmpty = Field("", alias="ToUserName")
    """The official account's id (``ToUserName``)."""
    time: IntZero = Field(0, alias="CreateTime")
    """When WeChat created the push, in Unix seconds (``CreateTime``)."""
    message_id: IntZero = Field(0, validation_alias=AliasChoices("MsgId", "MsgID"))
    """``MsgId`` (``MsgID`` on events); 0 when absent."""
    msg_data_id: Str = Field(None, alias="MsgDataId")
    """The article a message comes from (``MsgDataId``), when it comes from one."""
    idx: Int = Field(None, alias="Idx")
    """Which article of a multi-article post (``Idx``, from 1), when from an article."""
    raw: SkipValidation[str] = ""
    """The XML this message was parsed from (decrypted, for encrypted pushes)."""
    type: SkipValidation[str] = ""
    """The dispatch key: the lower-case ``MsgType``, or the event's type."""
    # Where the push came from: class defaults, set on the instance by mark_origin() when
    # they differ (plain attributes, not fields: a push cannot forge them, and a plaintext
    # push to a robot of its own pays nothing for them).
    decrypted: ClassVar[bool] = False
    """Whether the push came encrypted (safe mode); its reply is encrypted too."""
    account: ClassVar[str | None] = None
    """The AppID of the Official Account the push was sent to, when the robot knows it
    (``APP_ID``, or the account of an ``Accounts`` that served it)."""

    def mark_origin(self, *, decrypted: bool = False, account: str | None = None) -> None:
        """Record how the push arrived (the parser's call; the model is otherwise frozen)."""
        values = self.__dict__  # where object.__setattr__ puts them, for a third of its cost
        if decrypted:
            values["decrypted"] = True
        if account is not None:
            values["account"] = account

    @property
    def _decrypted(self) -> bool:
        """``decrypted`` (the name ``get_encrypted_reply`` used)."""
        return self.decrypted

    @classmethod
    def dispatch_key(cls) -> str:
        """The ``type`` of instances of this class (``add_handler(type=...)`` key)."""
        return cls.MSG_TYPE

    @classmethod
    def decorator_names(cls) -> tuple[str, ...]:
        """The robot decorators that register a handler for this class."""
        return (cls.dispatch_key(),)


class BaseEvent(WeChatMessage):
    """An event push (``MsgType`` is ``event``)."""

    MSG_TYPE: ClassVar[str] = "event"
    EVENT: ClassVar[str] = ""
    """The lower-case ``Event`` value this class is parsed from."""
    DECORATOR: ClassVar[str | None] = None
    """The seed's decorator name, when it is not the type without ``_event``."""

    event: StrEmpty = Field("", alias="Event")
    """The ``Event`` value as received (case kept)."""

    @classmethod
    def dispatch_key(cls) -> str:
        event = cls.EVENT
        return event if event.endswith("_event") else event + "_event"

    @classmethod
    def decorator_names(cls) -> tuple[str, ...]:
        key = cls.dispatch_key()
        short = cls.DECORATOR or key.removesuffix("_event")
        return (short,) if short == key else (short, key)


def declared_types(namespace: dict[str, Any]) -> tuple[type[WeChatMessage], ...]:
    """The message classes a module defines that declare their own wire type, in order.

    ``MESSAGES`` and ``EVENTS`` are derived with it from their modules' class definitions,
    so a new class is listed (parsed, dispatched, given decorators) by being written.
    The two unknown fallbacks are left out.
    """
    module = namespace["__name__"]
    return tuple(
        value
        for value in namespace.values()
        if isinstance(value, type)
        and issubclass(value, WeChatMessage)
        and value.__module__ == module
        and ("MSG_TYPE" in vars(value) or "EVENT" in vars(value))
        and "unknown" not in (vars(value).get("MSG_TYPE"), vars(value).get("EVENT"))
    )
