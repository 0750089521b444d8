"""The table of every message and event type, derived from ``MESSAGE_TYPES``.

``werobot events`` prints it and the docs site renders it (``models_markdown``), so neither
keeps a list of its own: adding a model class adds its row everywhere.
"""

from __future__ import annotations

import ast
import functools
import inspect
import re
import textwrap
from typing import Any

from pydantic import AliasChoices, AliasPath
from pydantic.fields import FieldInfo

from werobot_core.messages import (
    MESSAGE_TYPES,
    BaseEvent,
    UnknownEvent,
    UnknownMessage,
    WeChatMessage,
)

__all__ = ["COMMON_FIELDS", "attribute_docs", "field_rows", "model_rows", "models_markdown"]

#: The fields every message (and every event) has; rows list only the others.
COMMON_FIELDS = frozenset(WeChatMessage.model_fields) | frozenset(BaseEvent.model_fields)
_ANY_OTHER = "(any other)"
_NOT_FROM_XML = frozenset({"raw", "type"})


def _wire_values(cls: type[WeChatMessage]) -> tuple[str, str | None]:
    if issubclass(cls, BaseEvent):
        return cls.MSG_TYPE, _ANY_OTHER if cls is UnknownEvent else cls.EVENT
    return (_ANY_OTHER if cls is UnknownMessage else cls.MSG_TYPE), None


def model_rows() -> list[dict[str, Any]]:
    """One row per class: type, class, MsgType, Event, decorators and own fields."""
    rows = []
    for cls in MESSAGE_TYPES:
        msg_type, event = _wire_values(cls)
        rows.append(
            {
                "type": cls.dispatch_key(),
                "class": cls.__name__,
                "msg_type": msg_type,
                "event": event,
                "decorators": [f"@robot.{name}" for name in cls.decorator_names()],
                "fields": [name for name in cls.model_fields if name not in COMMON_FIELDS],
            }
        )
    return rows


def _tag(name: str, info: FieldInfo) -> str:
    alias = info.validation_alias or info.alias
    if name in _NOT_FROM_XML:
        return "–"
    if alias is None:
        return name
    if isinstance(alias, AliasPath):
        return "/".join(str(part) for part in alias.path)
    if isinstance(alias, AliasChoices):
        return " or ".join(_tag(name, FieldInfo(validation_alias=c)) for c in alias.choices)
    return str(alias)


def _type_name(info: FieldInfo) -> str:
    text = str(info.annotation)
    text = re.sub(r"<class '([\w.]+)'>", r"\1", text)
    text = re.sub(r"\b(?:typing|werobot_core\.messages\.\w+)\.", "", text)
    return text.replace("NoneType", "None")


@functools.cache
def attribute_docs(cls: type) -> dict[str, str]:
    """The docstring written under each annotated attribute of ``cls`` and of its bases,
    read from their source; an attribute declared again keeps only its own (as pydantic's
    ``use_attribute_docstrings`` read them).

    The models do not have pydantic keep these as field descriptions: reading the source of
    every class cost ~45 ms on the first push, for the docs only.
    """
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if klass.__module__ in ("builtins", "pydantic.main"):
            continue
        try:
            source = textwrap.dedent(inspect.getsource(klass))
        except (OSError, TypeError):  # no source (a class built at run time)
            continue
        body = ast.parse(source).body[0]
        assert isinstance(body, ast.ClassDef)
        for node, after in zip(body.body, [*body.body[1:], None], strict=True):
            if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
                continue
            docs.pop(node.target.id, None)  # declared again: its own docstring, or none
            if (
                isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                docs[node.target.id] = inspect.cleandoc(after.value.value)
    return docs


def field_rows(cls: type[WeChatMessage], *, common: bool = False) -> list[dict[str, str]]:
    """``{"name", "tag", "type", "doc"}`` for the class's own fields (or only the common)."""
    rows = []
    docs = attribute_docs(cls)
    for name, info in cls.model_fields.items():
        if (name in COMMON_FIELDS) != common:
            continue
        doc = " ".join((info.description or docs.get(name, "")).split())
        rows.append({"name": name, "tag": _tag(name, info), "type": _type_name(info), "doc": doc})
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _fields_table(rows: list[dict[str, str]]) -> list[str]:
    lines = ["| attribute | XML | type | meaning |", "|---|---|---|---|"]
    for row in rows:
        kind = row["type"].replace(" | ", " or ")  # a `|` cannot sit in a table's code span
        cells = [f"`{row['name']}`", f"`{row['tag']}`", kind, row["doc"]]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return lines


def _section(cls: type[WeChatMessage], row: dict[str, Any]) -> list[str]:
    wire = f"`MsgType={row['msg_type']}`"
    if row["event"] is not None:
        wire += f", `Event={row['event']}`"
    decorators = ", ".join(f"`{d}`" for d in row["decorators"])
    doc = " ".join((cls.__doc__ or "").split())
    summary = f"{wire} · type `{row['type']}` · {decorators}"
    lines = [f"### {row['class']}", "", doc, "", summary, ""]
    own = field_rows(cls)
    return lines + (_fields_table(own) if own else ["No fields besides the common ones."]) + [""]


def models_markdown() -> str:
    """The model reference page: common fields, then one section per message and event."""
    rows = model_rows()
    lines = [
        "# Message and event models",
        "",
        f"Every type of push the SDK models ({len(rows)} classes), generated from",
        "`werobot_core.messages.MESSAGE_TYPES` when the site is built; `werobot events`",
        "prints the same table.",
        "",
        "## Common fields",
        "",
        *_fields_table(field_rows(BaseEvent, common=True)),
        "",
        "`event` exists on events only.",
        "",
    ]
    for title, want_event in (("## Messages", False), ("## Events", True)):
        lines += [title, ""]
        for cls, row in zip(MESSAGE_TYPES, rows, strict=True):
            if issubclass(cls, BaseEvent) == want_event:
                lines += _section(cls, row)
    return "\n".join(lines)


_DECORATORS_HEAD = '''\
"""The robot's handler decorators: one :class:`On` per message and event class.

Generated from ``MESSAGE_TYPES`` and each class's ``decorator_names()`` by
``make decorators`` (``python -m werobot_cli.modeltable``); the suite fails when this file
and the classes disagree. Edit the classes in :mod:`werobot_core.messages`, not this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werobot_core.handlers import On

if TYPE_CHECKING:
    from werobot_core import messages as m

__all__ = ["HandlerDecorators"]


class HandlerDecorators:
    """``@robot.text``, ``@robot.subscribe``, … and ``@robot.handler`` (every type)."""

    handler: On[m.WeChatMessage] = On()
'''


def decorators_source(line_length: int = 100) -> str:
    """The text of ``werobot_core/decorators.py``: one line per class, in table order."""
    lines = [_DECORATORS_HEAD.rstrip("\n")]
    for cls in MESSAGE_TYPES:
        first, *others = cls.decorator_names()
        line = f'    {first}: On[m.{cls.__name__}] = On("{cls.dispatch_key()}")'
        if len(line) > line_length:
            line = f'    {first}: On[m.{cls.__name__}] = On(\n        "{cls.dispatch_key()}"\n    )'
        lines.append(line)
        lines += [f"    {other} = {first}" for other in others]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - `make decorators`
    from pathlib import Path

    import werobot_core.decorators

    Path(werobot_core.decorators.__file__).write_text(decorators_source(), encoding="utf-8")
