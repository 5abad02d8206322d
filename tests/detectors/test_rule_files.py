"""Rule files (detectors/rule_files.py, detectors/checks.py, detectors/checksums.py): every field of
the format, every check, and every error naming its file and line."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from tokenreach.detectors import catalog, checks, checksums, rule_files
from tokenreach.detectors.registry import all_detectors, by_provider
from tokenreach.detectors.rule_files import RuleDetector, RuleError
from tokenreach.scanner.engine import Engine

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"

MINIMAL = """\
provider = "acme"
name = "Acme"

[[rules]]
id = "acme.key"
name = "Acme key"
regex = '\\b(?P<secret>acme_[a-z0-9]{8})\\b'
keywords = ["acme_"]
examples = ["k = acme_ab12cd34"]
"""


NAMED = """\
provider = "acme"
name = "Acme"

[[rules]]
id = "acme.key"
name = "Acme key"
named = ['acme']
value = '[0-9a-f]{32}'
examples = ["ACME_KEY=83076d6cf54de7c4956fd17bee91ccf4"]
"""


def engines() -> list[bool]:
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        return [False]
    return [False, True]


def found(spec: rule_files.RuleFile, text: str, hyperscan: bool) -> list[str]:
    det = RuleDetector(spec)
    eng = Engine([(det, p) for p in det.patterns], use_hyperscan=hyperscan)
    return [m.pattern.id for m in eng.scan(text.encode())]


# The format ------------------------------------------------------------------------------------


@pytest.mark.parametrize("hyperscan", engines())
def test_the_documented_example_loads_and_its_examples_hold(hyperscan):
    block = re.search(r"```toml\n(# Acme Cloud.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert block, "docs/rules.md has its example"
    spec = rule_files.parse(block.group(1), "docs/rules.md", strict=True)
    pattern = spec.patterns[0]
    for example in pattern.examples:
        assert found(spec, example, hyperscan) == [pattern.id]
    for counter in pattern.counterexamples:
        assert found(spec, counter, hyperscan) == []


def test_every_file_and_rule_field_reaches_the_detector(tmp_path):
    path = tmp_path / "acme.toml"
    path.write_text(textwrap.dedent("""\
        provider = "acme"
        name = "Acme Cloud"
        revoke_url = "https://acme.example/keys"
        least_privilege = "use a project key"
        rotate_hint = "rotate it in the console"
        generic = true

        [context]
        region = 'ACME_REGION=([a-z]+-[0-9])'

        [[rules]]
        id = "acme.api_key"
        name = "Acme API key"
        kind = "api_key"
        keywords = ["ACME_"]
        regex = '\\b(?P<secret>acme_[A-Za-z0-9]{12})\\b'
        prefilter = 'acme_[A-Za-z0-9]{12}'
        lookup = false
        examples = ["ACME_KEY=acme_Zq8Rt2Lm9Xw4"]
        counterexamples = ["ACME_KEY=acme_xxxxxxxxxxxx"]

        [rules.check]
        skip = 5
        alphabet = "alnum"
        """), encoding="utf-8")
    spec = rule_files.load(path, strict=True)
    det = RuleDetector(spec)
    assert (det.provider, det.title, det.revoke_url, det.least_privilege, det.rotate_hint, det.generic) == (
        "acme", "Acme Cloud", "https://acme.example/keys", "use a project key", "rotate it in the console", True)
    assert det.context_patterns == {"region": "ACME_REGION=([a-z]+-[0-9])"}
    assert not det.has_lookup() and det.source == str(path)
    (p,) = det.patterns
    assert (p.id, p.name, p.kind, p.keywords, p.prefilter, p.lookup) == (
        "acme.api_key", "Acme API key", "api_key", ("acme_",), "acme_[A-Za-z0-9]{12}", False)
    assert p.examples == ("ACME_KEY=acme_Zq8Rt2Lm9Xw4",) and p.counterexamples == ("ACME_KEY=acme_xxxxxxxxxxxx",)
    assert p.source == str(path)
    assert p.validate is not None
    assert p.validate("acme_Zq8Rt2Lm9Xw4") and not p.validate("acme_xxxxxxxxxxxx")


def test_optional_fields_have_their_defaults():
    spec = rule_files.parse(MINIMAL, "acme.toml")
    (p,) = spec.patterns
    assert (spec.revoke_url, spec.least_privilege, spec.rotate_hint, spec.generic, dict(spec.context)) == (
        None, None, None, False, {})
    assert (p.kind, p.lookup, p.prefilter, p.validate, p.counterexamples) == (None, True, None, None, ())


def test_a_rule_without_keywords_still_runs_in_the_re_engine():
    spec = rule_files.parse(MINIMAL.replace('keywords = ["acme_"]\n', ""), "acme.toml", strict=True)
    assert spec.patterns[0].keywords == ()
    assert found(spec, "k = acme_ab12cd34", hyperscan=False) == ["acme.key"]


# Checks: every field -----------------------------------------------------------------------------

CASES = [
    # (check table, value, passes)
    ({"skip": 4, "min_length": 3, "max_length": 3}, "abc_xyz", True),
    ({"skip": 4, "min_length": 4}, "abc_xyz", False),
    ({"skip": "sk_", "deny": ["live"]}, "sk_live", False),
    ({"skip": "sk_", "deny": ["live"]}, "pk_live", True),  # no such prefix: the whole value
    ({"field": [".", 2], "deny": ["c"]}, "a.b.c", False),
    ({"field": [".", -1], "deny": ["c"]}, "a.b.c", False),
    ({"field": [".", 3], "max_length": 9}, "a.b.c", False),  # too few fields
    ({"after": ":", "deny": ["b:c"]}, "a:b:c", False),
    ({"after": ":", "deny": ["abc"]}, "abc", False),  # no separator: the whole value
    ({"after_last": ":", "deny": ["c"]}, "a:b:c", False),
    ({"before": ".", "deny": ["a"]}, "a.b.c", False),
    ({"before_last": ".", "deny": ["a.b"]}, "a.b.c", False),
    ({"starting_at": "key", "deny": ["key_1"]}, "xx_key_1", False),
    ({"starting_at": "key", "max_length": 99}, "nothing", False),
    ({"slice": [2, 4], "deny": ["cd"]}, "abcdef", False),
    ({"slice": [-2], "deny": ["ef"]}, "abcdef", False),
    ({"trim_start": "A", "deny": ["bc"]}, "AAAbc", False),
    ({"trim_end": "=", "deny": ["bc"]}, "bc==", False),
    ({"remove": "-_", "deny": ["abc"]}, "a-b_c", False),
    ({"decode": "base64", "matches": "user:pass"}, "dXNlcjpwYXNz", True),
    ({"decode": "base64", "matches": "user:pass"}, "dXNlcjpwYXN$", False),
    ({"decode": "base64url", "matches": "[0-9]+"}, "MTIzNDU2Nzg5", True),
    ({"decode": "base64_json", "keys": ["org"]}, "eyJvcmciOiJhY21lIn0", True),  # {"org":"acme"}
    ({"decode": "base64_json", "keys": ["org", "url"]}, "eyJvcmciOiJhY21lIn0", False),
    ({"decode": "base64_json", "any_keys": ["url", "org"]}, "eyJvcmciOiJhY21lIn0", True),
    ({"decode": "base64_json", "values": {"org": "acme"}}, "eyJvcmciOiJhY21lIn0", True),
    ({"decode": "base64_json", "values": {"org": "other"}}, "eyJvcmciOiJhY21lIn0", False),
    ({"decode": "base64_json", "not_values": {"org": "acme"}}, "eyJvcmciOiJhY21lIn0", False),
    ({"decode": "base64_json", "member": "org", "min_length": 4}, "eyJvcmciOiJhY21lIn0", True),
    ({"decode": "base64_json", "member": "org", "min_length": 5}, "eyJvcmciOiJhY21lIn0", False),
    ({"decode": "base64_json", "keys": ["org"]}, "bm90IGpzb24", False),  # "not json"
    # a JWT whose header is {"alg":"HS256"} and whose claims are {"iss":"argocd"}
    ({"decode": "jwt", "values": {"iss": "argocd"}}, "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJhcmdvY2QifQ.c2ln", True),
    ({"decode": "jwt", "values": {"iss": "other"}}, "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJhcmdvY2QifQ.c2ln", False),
    ({"decode": "jwt", "keys": ["iss"]}, "not.a.jwt", False),
    ({"matches": "[a-z]+:(?P<body>[0-9]+)", "min_length": 3}, "ab:123", True),
    ({"matches": "[a-z]+:(?P<body>[0-9]+)", "min_length": 4}, "ab:123", False),
    ({"matches": "[a-z]+"}, "abc1", False),  # a full match
    ({"deny_words": ["your"]}, "get_your_key", False),
    ({"deny_words": ["your"]}, "Zq8Rt2Lm9Xw4", True),
    ({"min_digits": 2}, "ab1c", False),
    ({"min_digits": 2}, "ab1c2", True),
    ({"min_distinct": 4}, "aabbcc", False),
    ({"min_classes": 3}, "abcABC", False),
    ({"min_classes": 3}, "abcAB1", True),
    ({"min_classes": 4}, "aB1-", True),
    ({"requires": ["digit", "upper", "lower"]}, "abcDEF", False),
    ({"requires": ["letter", "hex_letter", "symbol"]}, "f+", True),
    ({"requires": ["hex_letter"]}, "xyz", False),
    ({"placeholder": True}, "${ACME_TOKEN}", False),
    ({"placeholder": True}, "your_token_here_123", False),
    ({"placeholder": True}, "aaaaaaaaaaaaaaaaaaaa", False),
    ({"placeholder": True}, "Zq8Rt2Lm9Xw4", True),
    ({"alphabet": "any"}, "Zq8Rt2Lm9Xw4Vb7N", True),
    ({"alphabet": "any"}, "abababababababab", False),
    ({"alphabet": "hex"}, "83076d6cf54de7c4956fd17bee91ccf4", True),
    ({"alphabet": "hex"}, "83076035412745601789012345678012", False),  # a number: no letter
    ({"alphabet": "alnum"}, "zqrtlmxwvbnqplkj", False),  # one class only
    ({"alphabet": "alnum"}, "Zq8Rt2Lm9Xw4Vb7N", True),
    ({"alphabet": "any", "min_entropy": 4.5}, "Zq8Rt2Lm9Xw4Vb7N", False),
    ({"min_entropy": 2.0}, "Zq8Rt2Lm", True),
    ({"min_entropy": 2.0}, "aaab", False),
    ({"checksum": "crc32_base62", "skip": 4}, "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", True),
    ({"checksum": "crc32_base62", "skip": 4}, "ghp_R7kQ2mVx9LpT4wNc8ZbH3sJd6YfGa135I1tw", False),
    ({"checksum": "crc32_base36"}, "glpat-MDEyMzQ1Njc4OWFiY2RlZm86MQp1OjE2CA.01.0y0fwaebb", True),
    ({"checksum": "crc32_base36"}, "glpat-MDEyMzQ1Njc4OWFiY2RlZm86MQp1OjE2CA.01.0y0fwaebc", False),
    ({"checksum": "crc32_base64le", "skip": 4},
     "cfltzxMBFSCasZ173qHjsKFh6ZlPHmd9XW/GIrz54jUpg1rIORvI49XsG0Zo2Mgg", True),
    ({"checksum": "crc32_base64le", "skip": 4},
     "cfltzxMBFSCasZ173qHjsKFh6ZlPHmd9XW/GIrz54jUpg1rIORvI49XsG0AAAAAA", False),
    ({"checksum": "bech32"}, "AGE-SECRET-KEY-15GNDAMV9VW7S827XZQ5V9AVHPFXUWP7JM4Z8NX9CA0SX8DKFADKSRCLKW5", True),
    ({"checksum": "bech32"}, "AGE-SECRET-KEY-15GNDAMV9VW7S827XZQ5V9AVHPFXUWP7JM4Z8NX9CA0SX8DKFADKSRCLKW6", False),
    ({"one_of": [{"max_length": 3}, {"requires": ["digit"]}]}, "abcd", False),
    ({"one_of": [{"max_length": 3}, {"requires": ["digit"]}]}, "abc", True),
    ({"one_of": [{"max_length": 3}, {"requires": ["digit"]}]}, "abcd1", True),
]


@pytest.mark.parametrize(("table", "value", "passes"), CASES,
                         ids=[f"{i}-{next(iter(c[0]))}" for i, c in enumerate(CASES)])
def test_check_field(table, value, passes):
    assert checks.build(table).passes(value) is passes


def test_every_check_field_is_exercised():
    used = {k for table, _, _ in CASES for k in table}
    assert used == set(checks.FIELDS)
    assert {c for table, _, _ in CASES for c in table.get("requires", [])} == set(checks.CLASSES)
    assert {table["checksum"] for table, _, _ in CASES if "checksum" in table} == set(checksums.CHECKSUMS)


def test_checks_combine_all_of_them_must_pass():
    text = MINIMAL + '\n[[rules.check]]\nmin_digits = 4\n\n[[rules.check]]\nskip = 5\nrequires = ["digit"]\n'
    validate = rule_files.parse(text, "acme.toml").patterns[0].validate
    assert validate is not None
    assert validate("acme_ab12cd34") and not validate("acme_ab1cdefg")


def test_a_check_never_raises_on_hostile_values():
    hostile = ["", "\x00" * 50, "é" * 40, "=" * 9, ".." * 30, "eyJ" + "A" * 5000]
    for table, _, _ in CASES:
        check = checks.build(table)
        for value in hostile:
            assert check.passes(value) in (True, False)


def test_the_named_checksums_agree_with_the_provider_modules():
    from tokenreach.detectors.providers import github, npm, vercel

    token = github.with_checksum("ghp", "R7kQ2mVx9LpT4wNc8ZbH3sJd6YfGa1")
    assert checksums.crc32_base62(token[4:]) and github.checksum_ok(token)
    body = "kQ7vXz2LmN9pR4sT6wY8bC1dF3gH5j"
    assert checksums.crc32_base62(body + npm.checksum(body))
    body50 = "Zx8wQ2mN4vB6cR1tY7uI3oP5aS9dF0gH2jK4lL6zX8cV1bN3mQ"
    assert checksums.crc32_base62(body50 + vercel.checksum(body50))
    assert vercel.valid_checksum("vcp_" + body50 + vercel.checksum(body50))


# The shared form of a key known only by the name it is assigned to ---------------------------------

V = "83076d6cf54de7c4956fd17bee91ccf4"
# Every way of assigning a value the shared grammar (catalog.ASSIGN) understands, one per language.
ASSIGNMENTS = [
    f"ACME_KEY={V}",
    f'acme_key: "{V}"',
    f'{{"acme_api_key": "{V}"}}',
    f"acme_key => '{V}'",
    f'private static final String ACME_KEY = "{V}";',
    f'const acmeKey: string = "{V}";',
    f'const ACME_KEY: &str = "{V}";',
    f"ACME_KEY ?= {V}",
    f"ACME_KEY := {V}",
    f"ACME_KEY ::= {V}",
    f"ACME_KEY :::= {V}",
    f"ACME_KEY += {V}",
    f"ENV['ACME_KEY'] ||= '{V}'",
    f'$acme_key .= "{V}";',
    f'props.setProperty("ACME_KEY", "{V}");',
    f'os.environ.setdefault("ACME_KEY", "{V}")',
    f'key = os.getenv("ACME_KEY", "{V}")',
    f"<key>ACME_KEY</key>\n    <string>{V}</string>",
    f"<name>acme.key</name>\n  <value>{V}</value>",
    f'<add key="AcmeKey" value="{V}" />',
    f'{{"env": "ACME_KEY={V}\\nOTHER=1"}}',
    f'"{{\\"acme_key\\": \\"{V}\\"}}"',
    f"acme_key: |\n  {V}\n",
    f"acme_key: >-\n    {V}\n",
    # the provider's name first, the credential's own name after it
    f'variable "acme_api_key" {{\n  type      = string\n  sensitive = true\n  default   = "{V}"\n}}',
    f'provider "acme" {{\n  region  = "eu"\n  api_key = "{V}"\n}}',
    f'client = acme.Client(api_key="{V}")',
    f"const client = new Acme({{ apiKey: '{V}' }});",
    f"ACME_ENDPOINT=https://api.example.test/v2/events?api_key={V}&source=web",
    f"acme:\n  enabled: true\n  token: {V}\n",
]
NOT_ASSIGNMENTS = [
    f"acme, {V}",                      # a list, not an assignment
    f"acme_key:\n  nested: {V}",       # a YAML mapping below the name: the value belongs to "nested"
    f"ACME_KEY = {V}0",                 # longer than the shape
    "ACME_KEY=${ACME_KEY}",
    f'client = acme.Client(region="{V}")',      # an argument that names no credential
    f"ACME_URL=https://api.example.test/v2/{V}",  # a path, not a key's query parameter
    f"acme:\n  region: eu\n  build_id: {V}\n",  # nor a key under the mapping
]


@pytest.mark.parametrize("hyperscan", engines())
def test_the_named_form_reads_every_assignment_syntax(hyperscan):
    spec = rule_files.parse(NAMED, "rules/acme.toml", strict=True)
    assert spec.patterns[0].keywords == ("acme",)
    for text in ASSIGNMENTS:
        assert found(spec, text, hyperscan) == ["acme.key"], text
    for text in NOT_ASSIGNMENTS:
        assert found(spec, text, hyperscan) == [], text


@pytest.mark.parametrize("hyperscan", engines())
def test_named_takes_several_names_a_regex_name_with_keywords_and_a_gap(hyperscan):
    spec = rule_files.parse(NAMED.replace("named = ['acme']", "named = ['acme', 'acmecorp']"), "a.toml", strict=True)
    assert spec.patterns[0].keywords == ("acme", "acmecorp")
    text = NAMED.replace("named = ['acme']", "named = ['acme[_.]?secret']\nkeywords = ['acme']\ngap = 0")
    spec = rule_files.parse(text, "a.toml", strict=True)
    assert found(spec, f"ACME_SECRET={V}", hyperscan) == ["acme.key"]
    assert found(spec, f"ACME_SECRET_BACKUP={V}", hyperscan) == []  # no gap allowed after the name


@pytest.mark.parametrize("hyperscan", engines())
def test_a_plain_name_is_read_in_every_case_style(hyperscan):
    spec = rule_files.parse(NAMED.replace("named = ['acme']", "named = ['acme_cloud', 'io_key']"), "a.toml",
                            strict=True)
    assert spec.patterns[0].keywords == ("cloud", "io_key")  # each name's longest word, if long enough
    for text in (f"ACME_CLOUD_KEY={V}", f'const acmeCloudKey = "{V}";', f"acme.cloud.key={V}",
                 f"acme-cloud-key: {V}", f"IO_KEY={V}"):
        assert found(spec, text, hyperscan) == ["acme.key"], text
    assert found(spec, f'ioKey = "{V}"', hyperscan) == []  # "io" alone would prefilter nothing


@pytest.mark.parametrize("hyperscan", engines())
def test_the_providers_own_name_then_the_credentials(hyperscan):
    # The names say "acmecloud…secret"; where "acmecloud" alone (the provider's id) names a client,
    # a mapping or a provider block, the credential's own name comes after it.
    text = (NAMED.replace("named = ['acme']", "named = ['acmecloud[_.]?(?:client[_.]?)?secret']\nkeywords = ['acm']")
            .replace('"acme"', '"acmecloud"').replace("acme.key", "acmecloud.key"))
    spec = rule_files.parse(text, "a.toml", strict=True)
    assert spec.patterns[0].keywords == ("acm", "acmecloud")
    for form in (f'client = acmecloud.Client(secret="{V}")', f"acmecloud:\n  enabled: true\n  secret: {V}\n",
                 f'provider "acmecloud" {{\n  client_secret = "{V}"\n}}', f"ACMECLOUD_CLIENT_SECRET={V}",
                 f"ACMECLOUD_URL=https://api.example.test/v2/events?token={V}&source=web"):
        assert found(spec, form, hyperscan) == ["acmecloud.key"], form
    for form in (f'client = acmecloud.Client(region="{V}")', f"acmecloud:\n  region: {V}\n",
                 f"ACMECLOUD_REGION={V}", f'x.acmecloud(secret="{V}")', f"if not acmecloud:\n  secret: {V}\n"):
        assert found(spec, form, hyperscan) == [], form


def test_the_builtin_catalog_uses_the_named_form_for_keys_without_a_prefix():
    texts = [p.read_text(encoding="utf-8") for p in rule_files.builtin_files()]
    assert sum("\nnamed = " in t for t in texts) >= 80
    # no rule copies the shared assignment grammar into a hand-written regex of its own
    old_grammar = r"""["'\]]{0,2}\s{0,3}(?::=|=>|[:=])\s{0,3}[@"'`]?(?P<secret>"""
    copies = [p.id for f in rule_files.builtin_files() for p in rule_files.load(f).patterns
              if p.regex.startswith("(?i:") and old_grammar in p.regex and p.regex.endswith(catalog.END)]
    assert copies == []


# Errors: one line, with the file and the line ------------------------------------------------------

ERRORS = [
    # (file text, line, words in the message)
    ('provider = "acme"\nname = "Acme"\n[[rules]\n', 3, "invalid TOML"),
    (MINIMAL.replace('name = "Acme"\n', 'name = "Acme"\ncolour = "red"\n'), 3, "colour: unknown key"),
    (MINIMAL.replace('provider = "acme"', 'provider = "Acme Cloud"'), 1, "provider: required: a lowercase id"),
    (MINIMAL.replace('name = "Acme"\n', ""), None, "name: required"),
    ('provider = "acme"\nname = "Acme"\n', None, "rules: required"),
    (MINIMAL.replace('name = "Acme"\n', 'name = "Acme"\nrevoke_url = "http://acme.example"\n'), 3,
     "revoke_url: must be an https:// URL"),
    (MINIMAL.replace('name = "Acme"\n', 'name = "Acme"\ngeneric = "yes"\n'), 3, "generic: must be true or false"),
    (MINIMAL.replace('id = "acme.key"', 'id = "other.key"'), 5, "rule 'other.key': id: must start with"),
    (MINIMAL.replace('id = "acme.key"', 'id = "Acme Key"'), 5, "rules[0]: id: required"),
    (MINIMAL.replace('regex = ', 'pattern = '), 7, "rule 'acme.key': pattern: unknown key"),
    (MINIMAL.replace("regex = '\\b(?P<secret>acme_[a-z0-9]{8})\\b'\n", ""), 4, "rule 'acme.key': regex: required"),
    (MINIMAL.replace("{8})", "{8}"), 7, "rule 'acme.key': regex: invalid regular expression"),
    (MINIMAL.replace('keywords = ["acme_"]', 'keywords = "acme_"'), 8, "keywords: must be a list"),
    (MINIMAL.replace('examples = ["k = acme_ab12cd34"]', "examples = []"), 9, "examples: must be a non-empty list"),
    (MINIMAL.replace('examples = ["k = acme_ab12cd34"]', 'examples = ["k = acme_ab12cd34"]\nlookup = "no"'), 10,
     "lookup: must be true or false"),
    (MINIMAL.replace('name = "Acme key"', 'name = "Acme key"\nkind = "API Key"'), 7, "kind: must be a lowercase word"),
    (MINIMAL + '\n[[rules]]\nid = "acme.key"\nname = "again"\nregex = "acme"\nexamples = ["acme"]\n', 12,
     "rule 'acme.key': id: the same id as an earlier rule"),
    (MINIMAL + "\n[rules.check]\nmin_lenght = 3\n", 12, "rule 'acme.key': check.min_lenght: unknown check field"),
    (MINIMAL + '\n[rules.check]\nalphabet = "base32"\n', 12, "check.alphabet: must be one of any, hex, alnum"),
    (MINIMAL + '\n[rules.check]\nchecksum = "luhn"\n', 12, "check.checksum: must be one of crc32_base62"),
    (MINIMAL + '\n[rules.check]\nmin_entropy = 9\n', 12, "check.min_entropy: must be a number"),
    (MINIMAL + '\n[rules.check]\nmin_length = 5\nmax_length = 3\n', 13, "check.max_length: is below min_length"),
    (MINIMAL + '\n[rules.check]\nmin_length = "5"\n', 12, "check.min_length: must be a whole number"),
    (MINIMAL + '\n[rules.check]\nrequires = ["emoji"]\n', 12, "check.requires: 'emoji' is not one of"),
    (MINIMAL + '\n[rules.check]\nkeys = ["org"]\n', 12, 'check.keys: needs decode = "base64_json"'),
    (MINIMAL + '\n[rules.check]\ndecode = "jwt"\nmin_length = 3\n', 13, "check.min_length: after a JSON decode"),
    (MINIMAL + '\n[rules.check]\ndecode = "rot13"\n', 12, "check.decode: must be one of"),
    (MINIMAL + "\n[rules.check]\nmatches = '(unclosed'\n", 12, "check.matches: invalid regular expression"),
    (MINIMAL + "\n[rules.check]\nskip = -1\n", 12, "check.skip: must be a count"),
    (MINIMAL + '\n[rules.check]\nfield = "."\n', 12, "check.field: must be [separator, index]"),
    (MINIMAL + "\n[rules.check]\nslice = [1, 2, 3]\n", 12, "check.slice: must be [start]"),
    (MINIMAL + '\n[rules.check]\nafter = ""\n', 12, "check.after: must be a non-empty string"),
    (MINIMAL + "\n[rules.check]\nplaceholder = 1\n", 12, "check.placeholder: must be true or false"),
    (MINIMAL + "\n[rules.check]\nvalues = []\n", 12, 'check.values: needs decode'),
    (MINIMAL + '\n[rules.check]\ndecode = "jwt"\nvalues = []\n', 13, "check.values: must be a table"),
    (MINIMAL + "\n[rules.check]\none_of = [{ min_length = 2 }]\n", 12, "check.one_of: must be a list of at least"),
    (MINIMAL + "\n[rules.check]\none_of = [{ min_length = 2 }, { colour = 1 }]\n", 12,
     "check.one_of[1].colour: unknown check field"),
    (MINIMAL + "\n[rules.check]\nskip = 3\n", 11, "check: selects a part of the secret but tests nothing"),
    (MINIMAL + "\n[[rules.check]]\nmin_length = 3\n\n[[rules.check]]\nmin_classes = 7\n", 15,
     "check[1].min_classes: there are 4 classes"),
    (MINIMAL + "check = 3\n", 10, "check: must be a table"),
    (MINIMAL.replace('name = "Acme"\n', 'name = "Acme"\ncontext = { region = 3 }\n'), 3, "context: must be a table"),
    (MINIMAL.replace('keywords = ["acme_"]', "named = ['acme']"), 8, 'named: give either "regex" or "named"'),
    (NAMED.replace("value = '[0-9a-f]{32}'\n", ""), 4, "rule 'acme.key': value: required"),
    (NAMED.replace("named = ['acme']", "named = ['acme[_.]?key']"), 7,
     'named: a name that is a regex needs "keywords"'),
    (NAMED.replace("named = ['acme']", "named = ['acme']\ngap = 200"), 8, "gap: must be a whole number from 0 to 80"),
    (MINIMAL.replace('keywords = ["acme_"]', "gap = 3"), 8, 'gap: only with "named"'),
    (NAMED.replace("'[0-9a-f]{32}'", "'([0-9a-f]{32}'"), 8, "value: invalid regular expression"),
]


@pytest.mark.parametrize(("text", "line", "words"), ERRORS, ids=[e[2][:40] for e in ERRORS])
def test_errors_name_the_file_the_line_and_the_field(text, line, words):
    with pytest.raises(RuleError) as info:
        rule_files.parse(text, "rules/acme.toml", strict=True)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"rules/acme.toml:{line}: " if line else "rules/acme.toml: ")
    assert words in message


def test_a_regex_hyperscan_rejects_is_an_error_in_a_users_file():
    pytest.importorskip("hyperscan")
    text = MINIMAL.replace("'\\b(?P<secret>acme_[a-z0-9]{8})\\b'", "'(?<=k = )(?P<secret>acme_[a-z0-9]{8})'")
    with pytest.raises(RuleError, match=r"^rules/acme.toml:7: rule 'acme.key': regex: Hyperscan cannot compile"):
        rule_files.parse(text, "rules/acme.toml", strict=True)
    assert rule_files.parse(text, "rules/acme.toml").patterns  # built-in files: the tests compile them


def test_unreadable_and_oversized_files(tmp_path):
    missing = tmp_path / "none.toml"
    with pytest.raises(RuleError, match="cannot read"):
        rule_files.load(missing)
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(RuleError, match="not UTF-8"):
        rule_files.load(binary)
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * rule_files.MAX_FILE_SIZE)
    with pytest.raises(RuleError, match="not a rule file"):
        rule_files.load(big)


# Users' rule files -----------------------------------------------------------------------------------


def test_user_rules_from_files_and_folders(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "a.toml").write_text(MINIMAL)
    (folder / "b.toml").write_text(MINIMAL.replace("acme", "bolt"))
    (folder / "notes.txt").write_text("not a rule")
    single = tmp_path / "c.toml"
    single.write_text(MINIMAL.replace("acme", "corp"))
    dets = rule_files.load_user_rules([folder, single], builtin_providers=by_provider())
    assert [d.provider for d in dets] == ["acme", "bolt", "corp"]
    assert all(d.user for d in dets)


def test_a_user_rule_file_cannot_take_a_built_in_provider(tmp_path):
    path = tmp_path / "github.toml"
    path.write_text(MINIMAL.replace('"acme"', '"github"').replace("acme.key", "github.key"))
    with pytest.raises(RuleError, match=r"github.toml:1: provider: 'github' is a built-in provider"):
        rule_files.load_user_rules([path], builtin_providers=by_provider())


def test_two_user_files_for_one_provider_is_an_error(tmp_path):
    (tmp_path / "a.toml").write_text(MINIMAL)
    (tmp_path / "b.toml").write_text(MINIMAL)
    with pytest.raises(RuleError, match=r"b.toml:1: provider: 'acme' is also defined in .*a.toml"):
        rule_files.load_user_rules([tmp_path], builtin_providers=by_provider())


def test_missing_paths_and_empty_folders(tmp_path):
    with pytest.raises(RuleError, match="no such rule file or folder"):
        rule_files.load_user_rules([tmp_path / "nope"], builtin_providers=())
    with pytest.raises(RuleError, match=r"no rule files \(\*\.toml\) in this folder"):
        rule_files.load_user_rules([tmp_path], builtin_providers=())


# Built-in files and the provider modules that read theirs -----------------------------------------


def test_every_built_in_rule_file_is_loaded_once():
    providers = {d.provider: d for d in all_detectors()}
    for path in rule_files.builtin_files():
        spec = rule_files.builtin(path.stem)
        assert spec.provider == path.stem
        det = providers[spec.provider]
        assert [p.id for p in det.patterns] == [p.id for p in spec.patterns]
        if isinstance(det, RuleDetector):
            assert det.title == spec.name and not det.has_lookup()
        else:  # a module that needs code reads its patterns from the file
            assert det.title == spec.name
            assert all(p.source == spec.path for p in det.patterns)


def test_rules_for_attaches_code_by_rule_id(monkeypatch, tmp_path):
    (tmp_path / "acme.toml").write_text(MINIMAL)
    monkeypatch.setattr(rule_files, "RULES_DIR", tmp_path)
    rule_files.builtin.cache_clear()
    try:
        (p,) = rule_files.rules_for("acme", validate={"acme.key": lambda s: s.endswith("4")})
        assert p.validate is not None and p.validate("acme_ab12cd34") and not p.validate("acme_ab12cd35")
        with pytest.raises(RuleError, match=r"unknown rule 'acme\.nope'"):
            rule_files.rules_for("acme", accept={"acme.nope": lambda groups: True})
        (tmp_path / "acme.toml").write_text(MINIMAL + "\n[rules.check]\nmin_length = 3\n")
        rule_files.builtin.cache_clear()
        with pytest.raises(RuleError, match="both a check and a validate"):
            rule_files.rules_for("acme", validate={"acme.key": lambda s: True})
    finally:
        rule_files.builtin.cache_clear()


def test_the_parsed_catalog_is_cached_and_a_changed_file_is_read_again(monkeypatch, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "acme.toml").write_text(MINIMAL)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("TOKENREACH_ENGINE_CACHE", raising=False)
    monkeypatch.setattr(rule_files, "RULES_DIR", rules)

    def fresh() -> dict:
        rule_files._builtin_data.cache_clear()
        return rule_files._builtin_data()

    try:
        assert fresh()["acme"]["provider"] == "acme"
        cached = list((tmp_path / "cache").rglob("rules-*.marshal"))
        assert len(cached) == 1
        # the next start reads the cache, not the TOML
        monkeypatch.setattr(rule_files.tomllib, "loads", lambda text: pytest.fail("parsed again"))
        assert fresh()["acme"]["name"] == "Acme"
        monkeypatch.undo()
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        monkeypatch.delenv("TOKENREACH_ENGINE_CACHE", raising=False)
        monkeypatch.setattr(rule_files, "RULES_DIR", rules)
        (rules / "acme.toml").write_text(MINIMAL.replace('name = "Acme"', 'name = "Acme Cloud"'))
        assert fresh()["acme"]["name"] == "Acme Cloud"  # another size and time: another key
        assert len(list((tmp_path / "cache").rglob("rules-*.marshal"))) == 2
        # a file that does not parse is never cached, and builtin() names its line
        (rules / "bolt.toml").write_text('provider = "bolt"\nname = \n')
        assert "bolt" not in fresh()
        rule_files.builtin.cache_clear()
        with pytest.raises(RuleError, match=r"bolt.toml:2: invalid TOML"):
            rule_files.builtin("bolt")
    finally:
        rule_files._builtin_data.cache_clear()
        rule_files.builtin.cache_clear()
