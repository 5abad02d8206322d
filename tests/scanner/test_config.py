from __future__ import annotations

import pytest

from tests.helpers import run_cli
from tokenreach.scanner.config import ConfigError, find, load

TOK = "hf_ConfigConfigConfigConfigConfigCo01"


def write(tmp_path, text, name=".tokenreach.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_full_configuration_parses(tmp_path):
    cfg = load(write(tmp_path, """
exclude = ["fixtures/**", "*.min.js"]
max_file_size = "2M"
fail_on = "critical"
fail_on_over_privileged = true
allow = ["0123456789abcdef0123456789abcdef"]
baseline = "security/baseline.json"
include_deps = false
providers = { datadog = "off", aws = "offline" }

[[intent]]
purpose = "DNS only"
paths = ["infra/dns/**"]
variables = ["CLOUDFLARE_*"]
provider = "cloudflare"
capabilities = ["read", "write"]
reach = "resource"
grants = ["Zone:DNS:Edit"]
"""))
    assert cfg.exclude == ("fixtures/**", "*.min.js")
    assert cfg.max_file_size == 2 * 1024 * 1024
    assert (cfg.fail_on, cfg.fail_on_over_privileged, cfg.include_deps) == ("critical", True, False)
    assert cfg.providers == {"datadog": "off", "aws": "offline"}
    (intent,) = cfg.intents
    assert intent.purpose == "DNS only" and intent.reach == "resource"
    assert intent.capabilities == frozenset({"read", "write"}) and intent.grants == frozenset({"Zone:DNS:Edit"})


def test_pyproject_section_is_found_and_dedicated_file_wins(tmp_path):
    write(tmp_path, '[tool.tokenreach]\nfail_on = "low"\n', "pyproject.toml")
    assert find(tmp_path) == tmp_path / "pyproject.toml"
    assert load(find(tmp_path)).fail_on == "low"
    write(tmp_path, 'fail_on = "medium"\n')
    assert find(tmp_path) == tmp_path / ".tokenreach.toml"
    write(tmp_path, '[project]\nname = "x"\n', "pyproject.toml")
    (tmp_path / ".tokenreach.toml").unlink()
    assert find(tmp_path) is None


@pytest.mark.parametrize(("text", "message"), [
    ("fail_on = 'urgent'", "fail_on: must be one of"),
    ("show_secrets = true", "show_secrets: unknown key"),
    ("api_url = 'https://evil.example'", "api_url: unknown key"),
    ("exclude = 3", "exclude: must be a list of strings"),
    ("max_file_size = 'huge'", "is not a size"),
    ("allow = ['abc']", "is not a tokenreach fingerprint"),
    ("providers = { nosuch = 'off' }", "providers.nosuch: unknown provider"),
    # a name is looked up alone (registry.detector), never as a path to a rule file
    ("providers = { '../../rules/github' = 'off' }", "unknown provider"),
    ("[[intent]]\npaths = ['a']\nprovider = '../github'", "intent[0].provider: unknown provider"),
    ("providers = { github = 'maybe' }", "providers.github: must be one of"),
    ("[[intent]]\npurpose = 'x'", "intent[0]: needs at least one of"),
    ("[[intent]]\npaths = ['a']\nreach = 'galaxy'", "intent[0].reach: must be one of"),
    ("[[intent]]\npaths = ['a']\ncapabilities = ['fly']", "intent[0].capabilities"),
    ("[[intent]]\npaths = ['a']\nurl = 'x'", "intent[0].url: unknown key"),
    ("fail_on = ", "invalid TOML"),
])
def test_bad_configuration_names_file_and_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as exc:
        load(path)
    assert str(path) in str(exc.value) and message in str(exc.value)


def test_bad_configuration_is_exit_2_without_traceback(repo):
    repo.write(".tokenreach.toml", "fail_on = 'urgent'\n")
    repo.write("a.py", f"T='{TOK}'\n")
    repo.commit("a")
    proc = run_cli(["scan", str(repo.root), "--offline"])
    assert proc.returncode == 2
    assert ".tokenreach.toml: fail_on: must be one of" in proc.stderr and "Traceback" not in proc.stderr


def test_configuration_drives_the_scan(repo):
    repo.write("pyproject.toml", '[tool.tokenreach]\nfail_on = "critical"\nexclude = ["fixtures/*"]\n')
    repo.write("app.py", f"T='{TOK}'\n")
    repo.write("fixtures/fake.py", "T='hf_FixtureFixtureFixtureFixtureFixt02'\n")
    repo.commit("a")
    proc = run_cli(["scan", str(repo.root), "--offline", "--no-history", "--format", "json"])
    assert proc.returncode == 0  # high is below the configured critical threshold
    assert '"fixtures/fake.py"' not in proc.stdout and '"app.py"' in proc.stdout
    # The command line wins over the configuration.
    assert run_cli(["scan", str(repo.root), "--offline", "--fail-on", "high"]).returncode == 1
    assert run_cli(["scan", str(repo.root), "--offline", "--no-config"]).returncode == 1


def test_provider_off_and_offline_switches(repo):
    repo.write(".tokenreach.toml", 'providers = { huggingface = "off" }\n')
    repo.write("app.py", f"T='{TOK}'\n")
    repo.commit("a")
    proc = run_cli(["scan", str(repo.root), "--format", "json"])
    assert '"findings": []' in proc.stdout
    repo.write(".tokenreach.toml", 'providers = { huggingface = "offline" }\n')
    proc = run_cli(["scan", str(repo.root), "--format", "json", "--lookup-timeout", "5"])
    assert 'configuration: huggingface = \\"offline\\"' in proc.stdout
