"""Custom menus as files: read and write JSON or YAML, and catch what WeChat would refuse.

A menu file holds ``{"button": [...]}`` (a bare list of buttons is accepted) in WeChat's
format: up to 3 buttons, each either with a ``type`` or with up to 5 ``sub_button``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["MenuError", "dump_menu", "load_menu", "menu_problems"]

#: The field each button type needs besides ``name``.
_NEEDS = {
    "click": "key",
    "view": "url",
    "miniprogram": "pagepath",
    "scancode_push": "key",
    "scancode_waitmsg": "key",
    "pic_sysphoto": "key",
    "pic_photo_or_album": "key",
    "pic_weixin": "key",
    "location_select": "key",
    "media_id": "media_id",
    "view_limited": "media_id",
    "article_id": "article_id",
    "article_view_limited": "article_id",
}


class MenuError(ValueError):
    """A menu file that cannot be read or that WeChat would refuse; ``problems`` lists why."""

    def __init__(self, path: str, problems: list[str]) -> None:
        super().__init__(f"{path}: " + "; ".join(problems))
        self.path = path
        self.problems = problems


def _is_yaml(path: Path) -> bool:
    return path.suffix.lower() in (".yaml", ".yml")


def _button_problems(where: str, button: Any, top: bool) -> list[str]:
    if not isinstance(button, dict):
        return [f"{where}: a button is an object"]
    problems = [] if button.get("name") else [f"{where}: a button needs a name"]
    subs = button.get("sub_button")
    if top and subs:
        if len(subs) > 5:
            problems.append(f"{where}: at most 5 sub_button, not {len(subs)}")
        for index, sub in enumerate(subs):
            problems += _button_problems(f"{where}.sub_button[{index}]", sub, False)
        return problems
    kind = button.get("type")
    if kind not in _NEEDS:
        problems.append(f"{where}: type must be one of {', '.join(_NEEDS)}, not {kind!r}")
    elif not button.get(_NEEDS[kind]):
        problems.append(f"{where}: a {kind} button needs {_NEEDS[kind]}")
    return problems


def menu_problems(menu: Any) -> list[str]:
    """What WeChat would refuse in ``menu`` (``{"button": [...]}``); empty when fine."""
    buttons = menu.get("button") if isinstance(menu, dict) else None
    if not isinstance(buttons, list) or not buttons:
        return ['a menu is {"button": [...]} with 1 to 3 buttons']
    problems = [] if len(buttons) <= 3 else [f"at most 3 buttons, not {len(buttons)}"]
    for index, button in enumerate(buttons):
        problems += _button_problems(f"button[{index}]", button, True)
    return problems


def _parse(path: Path, text: str) -> Any:
    if not _is_yaml(path):
        try:
            return json.loads(text)
        except ValueError as exc:
            raise MenuError(str(path), [f"not valid JSON: {exc}"]) from None
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise MenuError(str(path), [f"not valid YAML: {exc}"]) from None


def load_menu(path: str | Path) -> dict[str, Any]:
    """Read a JSON or YAML menu file and check it; raises :class:`MenuError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MenuError(str(path), [f"cannot read it: {exc.strerror}"]) from None
    data = _parse(path, text)
    if isinstance(data, list):
        data = {"button": data}
    problems = menu_problems(data)
    if problems:
        raise MenuError(str(path), problems)
    return dict(data)


def dump_menu(menu: dict[str, Any], path: str | Path | None = None) -> str:
    """``menu`` as JSON (or YAML for a ``.yaml``/``.yml`` path), written to ``path`` if given."""
    if path is not None and _is_yaml(Path(path)):
        import yaml

        text = yaml.safe_dump(menu, allow_unicode=True, sort_keys=False)
    else:
        text = json.dumps(menu, ensure_ascii=False, indent=2) + "\n"
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
