"""What an agent started in a repository can reach beyond it: the home stores (stores.toml), the
process environment (--env), secret-named files in the projects next to it (--nearby), and all
of them at once (--agent)."""

from __future__ import annotations

import json
import os
import random
import string
from pathlib import Path

import pytest

from tests.helpers import Repo, run_cli, scan_json
from tokenreach.detectors.checksums import _BASE62, _encode
from tokenreach.detectors.providers.private_key import _ENCRYPTED_RSA_EXAMPLE, _RSA_EXAMPLE
from tokenreach.detectors.redaction import redact
from tokenreach.scanner.sources import stores

DOCS = Path(__file__).resolve().parents[2] / "docs"


def hf_token(rng: random.Random) -> str:
    return "hf_" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(34))


def gh_token(seed: str) -> str:
    """A GitHub classic token shape whose CRC32 check verifies (made up: it was never issued)."""
    rng = random.Random(seed)
    body = "ghp_" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(30))
    import zlib

    return body + _encode(zlib.crc32(body[4:].encode()), _BASE62, 6)


def concrete(store_path: str) -> str:
    """A file a store's path names: globs filled with a real tool's file name, a folder given one."""
    path = store_path.replace("config-*.json", "config-staging.json").replace("config.*", "config.yaml")
    path = path.replace("configstore/*.json", "configstore/firebase-tools.json").replace(".ssh/*", ".ssh/id_rsa")
    if path.endswith("/"):
        path += "tokens/cache.json"
    return path


@pytest.fixture
def app(tmp_path) -> Repo:
    repo = Repo(tmp_path / "code" / "app")
    repo.write("main.py", "print(1)\n")
    repo.commit("init")
    return repo


def test_every_home_store_is_read_with_exposure_home(app, tmp_path):
    home = tmp_path / "home"
    rng = random.Random(13)
    planted: dict[str, str] = {}
    for store in stores.home_stores():
        rel = concrete(store.path)
        if rel in planted.values():
            continue
        path = home / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if store.only == "unencrypted-keys":
            path.write_text(_RSA_EXAMPLE + "\n")
            (path.parent / "id_rsa_protected").write_text(_ENCRYPTED_RSA_EXAMPLE + "\n")
            continue
        tok = hf_token(rng)
        path.write_text(f'{{"token": "{tok}"}}\n')
        planted[tok] = rel
    doc = scan_json(app.root, "--offline", "--no-history", "--home", env={"HOME": str(home)})
    found = {f["redacted"]: f for f in doc["findings"]}
    paths = {(loc["path"], loc["exposure"]) for f in doc["findings"] for loc in f["locations"]}
    for rel in planted.values():
        assert (f"~/{rel}", "home") in paths, rel
    assert len([p for p in paths if p[0].startswith("~/")]) == len(planted) + 1  # + the SSH key
    assert ("~/.ssh/id_rsa", "home") in paths
    assert all("id_rsa_protected" not in p for p, _ in paths)  # a passphrase: not usable as found
    assert doc["stats"]["skipped"].get("private key with a passphrase") == 1
    assert len(found) == len(planted) + 1


def test_home_stores_are_never_followed_through_links(app, tmp_path):
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    (home / ".config").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "x.json").write_text('{"token": "hf_LinkLinkLinkLinkLinkLinkLinkLinkLi"}\n')
    (home / ".config" / "configstore").symlink_to(elsewhere)
    doc = scan_json(app.root, "--offline", "--no-history", "--home", env={"HOME": str(home)})
    assert doc["findings"] == []


def test_list_stores_prints_every_store_and_the_docs_page_is_current():
    out = run_cli(["scan", "--home", "--list-stores"])
    assert out.returncode == 0, out.stderr
    for store in stores.all_stores():
        assert store.shown in out.stdout
    for expected in ("~/.cursor/mcp.json", "~/.claude.json", "~/.bash_history", "~/.pgpass", "~/.ssh/*",
                     "Library/Application Support/Claude/claude_desktop_config.json",
                     ".config/Claude/claude_desktop_config.json", "~/.codeium/windsurf/mcp_config.json",
                     "~/.local/share/fish/fish_history", "~/.config/configstore/*.json", "~/.terraformrc"):
        assert expected in out.stdout
    assert (DOCS / "home-stores.md").read_text(encoding="utf-8") == stores.markdown(), \
        "docs/home-stores.md is stale: run python docs/stores_page.py"


FORMATS = ("text", "json", "sarif", "markdown", "html")


@pytest.mark.parametrize("fmt", FORMATS)
def test_env_reports_the_variable_name_never_its_value(app, fmt):
    secret = gh_token("environment")
    out = run_cli(["scan", str(app.root), "--offline", "--no-history", "--env", "--format", fmt],
                  env={"TOKENREACH_TEST_DEPLOY_TOKEN": secret})
    assert out.returncode in (0, 1), out.stderr
    text = out.stdout + out.stderr
    assert "TOKENREACH_TEST_DEPLOY_TOKEN" in text.replace("\\", "")  # Markdown escapes each _
    # Nothing of the value beyond what redaction shows (its public prefix and last 4 characters).
    for i in range(4, len(secret) - 6):
        assert secret[i:i + 7] not in text, f"a fragment of the value leaked in {fmt}"
    if fmt == "json":
        doc = json.loads(out.stdout)
        [f] = [f for f in doc["findings"] if f["variable"] == "TOKENREACH_TEST_DEPLOY_TOKEN"]
        assert f["exposure"] == "environment"
        assert f["locations"][0]["path"] == "$TOKENREACH_TEST_DEPLOY_TOKEN"
        # Weighs like a git-ignored file: the same token in an ignored .env rates the same.
        app.write(".gitignore", ".env\n")
        app.write(".env", f"TOKENREACH_TEST_DEPLOY_TOKEN={secret}\n")
        ignored = scan_json(app.root, "--offline", "--no-history")
        [g] = [g for g in ignored["findings"] if g["exposure"] == "ignored"]
        assert f["severity"] == g["severity"]


def test_nearby_reads_secret_named_files_in_other_projects_to_a_depth(app, tmp_path):
    code = tmp_path / "code"
    rng = random.Random(7)
    near, deep, dep, notes, linked, own = (hf_token(rng) for _ in range(6))
    (code / "other" / "src" / "cfg").mkdir(parents=True)
    (code / "other" / ".env").write_text(f"HF_TOKEN={near}\n")
    (code / "other" / "src" / "cfg" / ".env").write_text(f"HF_TOKEN={deep}\n")  # three folders down
    (code / "other" / "node_modules").mkdir()
    (code / "other" / "node_modules" / ".env").write_text(f"HF_TOKEN={dep}\n")
    (code / "other" / "notes.txt").write_text(f"HF_TOKEN={notes}\n")  # not a secret-named file
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / ".env").write_text(f"HF_TOKEN={linked}\n")
    (code / "linked").symlink_to(tmp_path / "outside")
    app.write(".env", f"HF_TOKEN={own}\n")  # the project's own: read once, as a working-tree file

    def located(*extra: str) -> dict[str, set[tuple[str, str]]]:
        doc = scan_json(app.root, "--offline", "--no-history", *extra)
        return {f["redacted"]: {(loc["path"], loc["exposure"]) for loc in f["locations"]} for f in doc["findings"]}

    def redacted(tok: str) -> str:
        return redact(tok)

    off = located()
    assert set(off) == {redacted(own)}
    one = located("--nearby", "1")
    assert one[redacted(near)] == {("../other/.env", "nearby")}
    assert one[redacted(own)] == {(".env", "untracked")}
    assert set(one) == {redacted(near), redacted(own)}
    three = located("--nearby", "3")
    assert three[redacted(deep)] == {("../other/src/cfg/.env", "nearby")}
    assert redacted(dep) not in three and redacted(notes) not in three and redacted(linked) not in three


def test_nearby_says_when_its_bounds_stopped_it(app, tmp_path):
    from tokenreach.scanner.model import SourceStats
    from tokenreach.scanner.sources import nearby

    for i in range(5):
        (tmp_path / "code" / f"p{i}").mkdir()
        (tmp_path / "code" / f"p{i}" / ".env").write_text("A=1\n")
    stats = SourceStats()
    chunks = list(nearby.chunks(app.root, 1, stats, max_size=1 << 20, max_files=3))
    assert len(chunks) == 3
    assert stats.skipped["nearby: over the entry or file limit"] == 1
    assert any("--nearby: stopped early" in w for w in stats.warnings)


def test_agent_is_history_home_env_and_nearby_one(app, tmp_path):
    home = tmp_path / "home"
    (home / ".railway").mkdir(parents=True)
    rng = random.Random(11)
    in_home, in_env, near, in_history = (hf_token(rng) for _ in range(4))
    (home / ".bash_history").write_text(f"export HF_TOKEN={in_home}\n")
    (tmp_path / "code" / "other").mkdir()
    (tmp_path / "code" / "other" / ".env.local").write_text(f"HF_TOKEN={near}\n")
    app.write("old.txt", f"{in_history}\n")
    app.commit("oops")
    os.remove(app.root / "old.txt")
    app.commit("removed")
    doc = scan_json(app.root, "--offline", "--agent", env={"HOME": str(home), "HF_TOKEN": in_env})
    by_path = {loc["path"]: loc["exposure"] for f in doc["findings"] for loc in f["locations"]}
    assert by_path["~/.bash_history"] == "home"
    assert by_path["$HF_TOKEN"] == "environment"
    assert by_path["../other/.env.local"] == "nearby"
    assert by_path["old.txt"] == "history"
    fixes = {f["exposure"]: " ".join(f["remediation"]) for f in doc["findings"] if f["redacted"] in
             {redact(t) for t in (in_home, in_env, near, in_history)}}
    assert set(fixes) == {"home", "environment", "nearby", "history"}
    assert "unset it in the shells coding agents start from" in fixes["environment"]
    assert "log the tool out" in fixes["home"]
    assert "move it out of the other project's folder tree" in fixes["nearby"]


def _rand(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def test_the_issues_missed_stores_in_their_real_layouts(app, tmp_path):
    """The files `--home` missed in issue 13 (a Stripe key in ~/.cursor/mcp.json, a Slack token in
    ~/.claude.json, three tokens in ~/.bash_history), and more agent configurations as their
    tools write them: each token is found, exposure home, at its line."""
    rng = random.Random(1313)
    stripe = "sk_live_" + _rand(rng, 32)
    slack = f"xoxb-{_rand(rng, 12, string.digits)}-{_rand(rng, 13, string.digits)}-{_rand(rng, 24)}"
    history = [gh_token("history"), hf_token(rng), "a1b2c3d4-e5f6-4a7b-8c9d-" + _rand(rng, 12, "0123456789abcdef")]
    zsh, fish, codex, desktop = gh_token("zsh"), hf_token(rng), gh_token("codex"), hf_token(rng)
    home = tmp_path / "home"
    files = {
        ".cursor/mcp.json": json.dumps({"mcpServers": {"stripe": {
            "command": "npx", "args": ["-y", "@stripe/mcp", "--tools=all"],
            "env": {"STRIPE_SECRET_KEY": stripe}}}}, indent=2),
        ".claude.json": json.dumps({"numStartups": 12, "projects": {"/home/dev/app": {"allowedTools": []}},
                                    "mcpServers": {"slack": {"type": "stdio", "command": "npx",
                                                             "env": {"SLACK_BOT_TOKEN": slack}}}}, indent=2),
        ".bash_history": "ls\n"
                         f"export GITHUB_TOKEN={history[0]}\n"
                         f"huggingface-cli login --token {history[1]}\n"
                         f"RAILWAY_TOKEN={history[2]} railway up\n",
        ".zsh_history": f": 1764806400:0;git clone https://x-access-token:{zsh}@github.com/o/r\n",
        ".local/share/fish/fish_history": f"- cmd: set -x HF_TOKEN {fish}\n  when: 1764806400\n",
        ".codex/config.toml": f'[mcp_servers.github]\ncommand = "docker"\n'
                              f'env = {{ GITHUB_PERSONAL_ACCESS_TOKEN = "{codex}" }}\n',
        "Library/Application Support/Claude/claude_desktop_config.json": json.dumps(
            {"mcpServers": {"hf": {"command": "uvx", "env": {"HF_TOKEN": desktop}}}}),
    }
    for rel, text in files.items():
        (home / rel).parent.mkdir(parents=True, exist_ok=True)
        (home / rel).write_text(text)
    doc = scan_json(app.root, "--offline", "--no-history", "--home", env={"HOME": str(home)})
    at = {f["redacted"]: [(loc["path"], loc["line"], loc["exposure"]) for loc in f["locations"]]
          for f in doc["findings"]}
    expected = {}
    for rel, text in files.items():
        for tok in (stripe, slack, *history, zsh, fish, codex, desktop):
            if tok in text:
                expected[tok] = (f"~/{rel}", text[:text.index(tok)].count("\n") + 1)
    assert len(expected) == 9
    for tok, (path, line) in expected.items():
        assert at.get(redact(tok)) == [(path, line, "home")], (path, at.get(redact(tok)))
