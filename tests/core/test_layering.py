"""The centre as a ladder (DESIGN §5b): no import ring in werobot_core, config read in one place.

Imports are read from the source (``ast``), every kind counted: module level, inside
``if TYPE_CHECKING:`` and inside functions (lazy imports).
"""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import werobot_core

ROOT = Path(werobot_core.__file__).parent
PACKAGE = "werobot_core"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in ROOT.rglob("*.py")}


def _imports(name: str, path: Path) -> set[str]:
    """The werobot_core modules ``name`` imports (a package's submodules by their name)."""
    found: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name if is_package else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    anchor = anchor.rpartition(".")[0]
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in MODULES else base)
    return {module for module in found if module in MODULES and module != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _rings(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    rings: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                rings.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return rings


def test_the_graph_is_read() -> None:
    assert "werobot_core.routing" in GRAPH["werobot_core.robot"]
    assert "werobot_core.engine" in GRAPH["werobot_core.pipeline"]
    assert "werobot_core.messages.base" in GRAPH["werobot_core.replies"]


def test_the_ring_finder_finds_a_ring() -> None:
    assert _rings({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_ring_in_werobot_core() -> None:
    assert _rings(GRAPH) == []


def test_the_ladder_goes_one_way() -> None:
    ladder = ["routing", "settings", "engine", "pipeline", "robot"]
    for lower, upper in itertools.pairwise(ladder):
        below = _reachable(f"{PACKAGE}.{lower}")
        assert f"{PACKAGE}.{upper}" not in below, f"{lower} reaches {upper}"
    for name, targets in GRAPH.items():
        if name not in (f"{PACKAGE}.robot", PACKAGE, f"{PACKAGE}.testing"):
            assert f"{PACKAGE}.robot" not in targets, f"{name} imports robot.py"


def _reachable(start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in GRAPH[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


_CONFIG_READ = re.compile(r"\b(?:config|cfg)\s*(?:\[|\.get\()")


def test_only_the_robot_config_and_settings_read_config_keys() -> None:
    allowed = {f"{PACKAGE}.robot", f"{PACKAGE}.config", f"{PACKAGE}.settings"}
    readers = {
        name
        for name, path in MODULES.items()
        if _CONFIG_READ.search(path.read_text(encoding="utf-8")) and name not in allowed
    }
    assert readers == set()


def test_sync_and_async_share_one_pool() -> None:
    # The async driver runs blocking work in the engine's pool, never in the default
    # executor or a thread of its own.
    for name in ("dispatch", "deadline", "pipeline", "outcomes"):
        source = MODULES[f"{PACKAGE}.{name}"].read_text(encoding="utf-8")
        assert "asyncio.to_thread" not in source, name
        assert "threading.Thread(" not in source, name
