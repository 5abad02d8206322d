from __future__ import annotations

from tests.helpers import scan_json

GH = "gho_16C7e42F292c6912E7710c838347Ae178B4a"  # GitHub's documented example shape


def test_home_credential_stores_are_opt_in(repo, tmp_path):
    home = tmp_path / "home"
    (home / ".cache/huggingface").mkdir(parents=True)
    (home / ".cache/huggingface/token").write_text("hf_HomeHomeHomeHomeHomeHomeHomeHome01\n")
    (home / ".railway").mkdir()
    (home / ".railway/config.json").write_text(
        '{"projects": {}, "user": {"token": "0b6c1f2e-8d3a-4c5b-9e7f-1a2b3c4d5e6f"}}')
    (home / "unrelated.txt").write_text("hf_NotScannedNotScannedNotScannedNo02\n")
    repo.write("a.py", "print(1)\n")
    repo.commit("a")
    env = {"HOME": str(home)}
    assert scan_json(repo.root, "--offline", env=env)["findings"] == []
    doc = scan_json(repo.root, "--offline", "--home", env=env)
    locs = {(loc["path"], loc["exposure"]) for f in doc["findings"] for loc in f["locations"]}
    assert ("~/.cache/huggingface/token", "home") in locs
    assert ("~/.railway/config.json", "home") in locs
    assert all("unrelated" not in p for p, _ in locs)
