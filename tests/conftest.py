from __future__ import annotations

import contextlib
import os
import time

import pytest

from tests.helpers import Repo
from tokenreach.scanner.parallel import cores


@pytest.fixture(scope="session")
def _session_cache(tmp_path_factory):
    # Shared by the whole run: the compiled-engine cache is keyed by the patterns' content, so
    # sharing it only saves each CLI call the Hyperscan compile. Lookup-cache tests use their own.
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def _engine_cache(tmp_path_factory):
    # One compiled catalog for every xdist worker and every test, even those that point
    # XDG_CACHE_HOME somewhere of their own: a full Hyperscan compile of the catalog takes seconds.
    # And for every run: the folder is pytest's per-user one (pytest-of-USER), not this run's
    # pytest-N, which an xdist worker's basetemp (pytest-N/popen-gwK) would give, so that each
    # run's workers compiled the catalog again, both at once (~6 s each). The cache is keyed by
    # content (the expressions, the catalog files' names, sizes and times, the versions), as a
    # user's own cache is across runs.
    base = tmp_path_factory.getbasetemp()
    per_user = next((p for p in (base, *base.parents) if p.name.startswith("pytest-of-")), base.parent)
    folder = per_user / "tokenreach-engine-cache"
    # Each edit of the catalog adds a database (~7 MB): what no run wrote for two days goes (a run
    # that still needs it compiles it again; a missing file is a cache miss, not an error).
    stale = time.time() - 2 * 86400
    for entry in folder.glob("*"):
        with contextlib.suppress(OSError):
            if entry.is_file() and entry.stat().st_mtime < stale:
                entry.unlink()
    return folder


@pytest.fixture(scope="session", autouse=True)
def _isolated_session(_session_cache, _engine_cache):
    """No test reads or writes the real user cache; no test inherits provider URL overrides. Set
    for the whole session, so that session- and module-scoped fixtures (set up before any test's
    own) see it too: a module's first CLI run would otherwise compile the catalog into a cache of
    its own, or into the real user's."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(_session_cache))
        mp.setenv("TOKENREACH_ENGINE_CACHE", str(_engine_cache))
        mp.setenv("TOKENREACH_NO_PROGRESS", "1")
        for key in list(os.environ):
            if key.startswith("TOKENREACH_") and key.endswith("_API_URL"):
                mp.delenv(key)
        yield


@pytest.fixture(autouse=True)
def _isolated_test(monkeypatch):
    # In-process lookups back off 50x faster: the retry logic is the same, the suite not idle.
    monkeypatch.setattr("tokenreach.detectors.http.BACKOFF_SECONDS", 0.01)
    # A run registers its users' rule files for the process (registry.use_user_detectors): none
    # may leak into the next test, where "acme" would then be a provider already taken.
    monkeypatch.setattr("tokenreach.detectors.registry._user", ())


@pytest.fixture
def repo(tmp_path) -> Repo:
    return Repo(tmp_path / "repo")


@pytest.fixture
def recorded_sleeps(monkeypatch) -> list[float]:  # type: ignore[no-untyped-def]
    """Lookups back off through this instead of sleeping: the waits they asked for, in order (a
    Retry-After of 1 would otherwise cost the test two real seconds). The clock does not move, so
    a lookup retries as often as its max_retries allows."""
    from tokenreach.detectors.http import ProviderSession

    sleeps: list[float] = []
    monkeypatch.setitem(ProviderSession.__init__.__kwdefaults__, "sleep", sleeps.append)
    return sleeps


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto``: one worker more than the cores. A third of the suite's worker time is spent
    waiting (on lookup deadlines, hung fake servers, git processes that never answer), and the extra
    worker runs tests in it: 147 s -> 125 s on 2 cores. PYTEST_XDIST_AUTO_NUM_WORKERS still decides
    when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    return cores() + 1


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The heavy tests (marked ``slow``) first, the others in their usual order: xdist hands the
    tests out in this order, and a 28 s test handed out last keeps one worker busy long after the
    other has run out of work."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
