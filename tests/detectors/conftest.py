"""The whole catalog in each engine, for the tests that scan text with it."""

from __future__ import annotations

import pytest

from tokenreach.detectors.registry import all_patterns
from tokenreach.scanner.engine import Engine


@pytest.fixture(scope="session", params=["hyperscan", "re"])
def engine(request: pytest.FixtureRequest) -> Engine:
    if request.param == "hyperscan":
        pytest.importorskip("hyperscan")
    return Engine(all_patterns(), use_hyperscan=request.param == "hyperscan")
