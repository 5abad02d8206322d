from __future__ import annotations

import os

import pytest

from tests.helpers import Repo


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user cache; no test inherits provider URL overrides."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("TOKENREACH_NO_PROGRESS", "1")
    for key in list(os.environ):
        if key.startswith("TOKENREACH_") and key.endswith("_API_URL"):
            monkeypatch.delenv(key)


@pytest.fixture
def repo(tmp_path) -> Repo:
    return Repo(tmp_path / "repo")
