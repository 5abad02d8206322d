from __future__ import annotations

import os

import pytest

from tests.helpers import Repo


@pytest.fixture(scope="session")
def _session_cache(tmp_path_factory):
    # Shared by the whole run: the compiled-engine cache is keyed by the patterns' content, so
    # sharing it only saves each CLI call the Hyperscan compile. Lookup-cache tests use their own.
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def _engine_cache(tmp_path_factory):
    # One compiled catalog for every xdist worker and every test, even those that point
    # XDG_CACHE_HOME somewhere of their own: a full Hyperscan compile of the catalog takes seconds.
    return tmp_path_factory.getbasetemp().parent / "tokenreach-engine-cache"


@pytest.fixture(autouse=True)
def _isolated_env(_session_cache, _engine_cache, monkeypatch):
    """No test reads or writes the real user cache; no test inherits provider URL overrides."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(_session_cache))
    monkeypatch.setenv("TOKENREACH_ENGINE_CACHE", str(_engine_cache))
    monkeypatch.setenv("TOKENREACH_NO_PROGRESS", "1")
    # In-process lookups back off 50x faster: the retry logic is the same, the suite not idle.
    monkeypatch.setattr("tokenreach.detectors.http.BACKOFF_SECONDS", 0.01)
    for key in list(os.environ):
        if key.startswith("TOKENREACH_") and key.endswith("_API_URL"):
            monkeypatch.delenv(key)


@pytest.fixture
def repo(tmp_path) -> Repo:
    return Repo(tmp_path / "repo")
