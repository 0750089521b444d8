"""SPEC §1's contract (``contract.CASES``), run against every binding (``BINDINGS``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from tests.adapters.adapter_bindings import BINDINGS
from tests.adapters.contract import CASES, Served, make_robot


@pytest.fixture(params=sorted(BINDINGS))
def served(request: pytest.FixtureRequest) -> Iterator[Served]:
    """A fresh robot served by one binding."""
    robot, calls = make_robot()
    with BINDINGS[request.param](robot) as client:
        yield Served(robot, client, calls)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__)
def test_contract(served: Served, case: Callable[[Served], None]) -> None:
    case(served)
