"""A repository of sha256 object ids: the probe reports its format, and a tracked file's blob is
recognised by its sha256 id (scanned once, as tracked, not again from history)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import Repo
from tokenreach.scanner.findings import ScanOptions, scan
from tokenreach.scanner.sources import git

TOKEN = "ghp_" + "R8mK2pQ7xZ4vN1cB6wT9yJ3hL5sD0fGa" + "2e1Xq9"


def test_a_sha256_repository(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r", init=False)
    repo.git("init", "-q", "-b", "main", "--object-format=sha256")
    repo.write("settings.py", f'GITHUB_TOKEN = "{TOKEN}"\n')
    repo.commit("add settings")
    repo.write("other.py", "x = 1\n")
    repo.commit("more")
    assert git.examine(repo.root).object_format == "sha256"
    assert git.examine(tmp_path).object_format == "sha1"  # no repository: the default
    result = scan(ScanOptions(path=repo.root))
    [finding] = [f for f in result.findings if f.token.secret == TOKEN]
    assert [loc.exposure for loc in finding.locations] == ["tracked"]
    assert result.stats.commits == 2
