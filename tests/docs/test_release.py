"""Something to pin (issue 15, item 2): `tokenreach --version`, a changelog, a release checklist,
and README pins that name only refs that exist."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.helpers import run_cli

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
PLACEHOLDER = "<full-commit-sha>"


def test_version_option_prints_the_installed_version() -> None:
    proc = run_cli(["--version"])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"tokenreach {VERSION}\n"


def test_changelog_has_unreleased_and_the_current_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", text, flags=re.M)
    assert headings[:2] == ["Unreleased", VERSION]
    for name in headings:
        assert re.search(rf"^\[{re.escape(name)}\]: https://", text, flags=re.M), name
    assert "tokenreach --version" in text


def test_release_checklist_tags_the_version_and_a_moving_major_tag() -> None:
    text = (ROOT / "docs" / "releasing.md").read_text(encoding="utf-8")
    assert "git tag -a vX.Y.Z" in text and "git tag -fa vX" in text
    assert "v1" in text and "CHANGELOG.md" in text and "pyproject.toml" in text


def _tags() -> set[str]:
    out = subprocess.run(["git", "-C", str(ROOT), "tag", "--list"], capture_output=True, text=True)
    return set(out.stdout.split())


def _pins() -> list[str]:
    blocks = re.findall(r"```yaml\n(.*?)```", README, flags=re.S)
    [hooks] = [yaml.safe_load(b) for b in blocks if ".pre-commit-config.yaml" in b]
    [workflow] = [yaml.safe_load(b) for b in blocks if ".github/workflows/" in b]
    pins = [repo["rev"] for repo in hooks["repos"] if repo["repo"].endswith("/tokenreach")]
    for step in workflow["jobs"]["scan"]["steps"]:
        name, _, ref = step.get("uses", "").partition("@")
        if name.endswith("/tokenreach"):
            pins.append(ref)
    return pins


def test_readme_pins_name_only_refs_that_exist() -> None:
    pins = _pins()
    assert len(pins) == 2
    tags = _tags()
    for ref in pins:
        # A tag of this repository, a full commit SHA, or the placeholder the README explains.
        assert ref in tags or re.fullmatch(r"[0-9a-f]{40}", ref) or ref == PLACEHOLDER, ref
    if PLACEHOLDER in pins:
        assert f"replace `{PLACEHOLDER}` with the full SHA of a commit" in README
        assert "No release of tokenreach is tagged yet" in README
