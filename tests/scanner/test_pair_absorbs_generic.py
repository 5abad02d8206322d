"""A provider's finding absorbs the generic one on the same text (issue 15, item 9): an AWS
secret access key next to its key ID is one AWS finding, never also a generic secret."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import Repo, scan_json

KEY_ID = "AKIAQWERTYUIOPASDFGH"
SECRET = "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"  # made up, 40 base64 characters
CREDENTIALS = f"[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"
REVERSED = f"aws_secret_access_key: {SECRET}\naws_access_key_id: {KEY_ID}\n"


def _providers(doc: dict) -> list[tuple[str, list[tuple[str, str]]]]:  # type: ignore[type-arg]
    return sorted((f["provider"], sorted((loc["path"], loc["exposure"]) for loc in f["locations"]))
                  for f in doc["findings"])


def test_tracked_and_history_report_the_pair_once(repo: Repo) -> None:
    repo.write("old.ini", "# the first try\n" + CREDENTIALS)
    repo.commit("credentials")
    repo.git("rm", "-q", "old.ini")
    repo.commit("gone")
    repo.write("creds.ini", CREDENTIALS)
    repo.write("deploy.yml", REVERSED.replace(KEY_ID, "AKIAZXCVBNMLKJHGFDSA").replace(SECRET, SECRET[::-1]))
    repo.commit("again")
    doc = scan_json(repo.root, "--offline")
    found = _providers(doc)
    assert [p for p, _ in found] == ["aws", "aws"], found
    assert ("creds.ini", "tracked") in found[0][1] + found[1][1]
    assert ("old.ini", "history") in found[0][1] + found[1][1]


def test_home_credentials_file_reports_the_pair_once(repo: Repo, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws/credentials").write_text(CREDENTIALS)
    repo.write("a.py", "print(1)\n")
    repo.commit("a")
    doc = scan_json(repo.root, "--offline", "--home", env={"HOME": str(home)})
    assert _providers(doc) == [("aws", [("~/.aws/credentials", "home")])]
