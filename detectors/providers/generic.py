"""Secrets no provider module claims: detect-secrets' keyword and entropy plugins, on the few
lines where a secret-like name is assigned a value.

Running detect-secrets' plugins over every line would cost the history scan its speed, so they
run last, on what three cheaper stages let through:

1. Hyperscan, in the same pass as every other pattern, finds lines where a name holding
   ``password``, ``passwd``, ``pwd``, ``secret``, ``token``, ``api_key``/``apikey``, ``auth``,
   ``credential``, ``private_key`` or ``access_key`` is assigned a quoted or bare value with a
   digit in it (``=``, ``:``, ``:=``, ``=>``, ``||=``, a type between name and value as in
   ``const key: string = …``, or a call's next argument as in ``setProperty("API_KEY", …)``;
   ``LINE_REGEX``: a line pattern, see ``scanner/engine.py``).
2. ``extract()`` pairs each name with its value and drops what is plainly no secret: a name that
   describes one (``token_type``, ``password_file``, ``tokenizer``, ``author``), and a value that is
   a placeholder (``changeme``, ``<token>``, ``xxxx``), a template or variable reference (``${X}``,
   ``{{ x }}``, ``$X``, ``%(x)s``), an environment or settings lookup (``os.environ[...]``,
   ``process.env.X``), a call or subscript, an identifier or attribute path, a file path or URL,
   a date or version, a documentation sequence (``a1b2c3d4``, ``1234``), or too regular to be
   random. What is left has 10-256 characters, letters and digits, and no whitespace.
3. Only then are detect-secrets' plugins imported (their import alone costs ~0.1 s) and asked:
   ``Base64HighEntropyString`` / ``HexHighEntropyString`` (their default limits, values of 12
   characters or more) give kind ``high_entropy``; ``KeywordDetector`` (its own denylist:
   password, secret, api key, private key …) gives kind ``keyword_secret``, and so does a random-
   looking value under one of the names its denylist lacks (token, auth, credential, access key).
   Their heuristic filters (templated, sequential, id strings, indirect references) apply too.

The detector is ``generic``: a provider's pattern matching the same text wins (the engine drops
a line pattern's match under any other match), and so does what a base64 value decodes to (a
value that decodes to text holding nothing is judged again decoded: a Kubernetes Secret's
password is reported as the password, base64 of JSON not at all). Nothing is looked up: without
a provider there is no API to ask.

On the Python standard library this reports nothing; on a site-packages of 250 MB (botocore,
awscli, moto …) five AWS CLI documentation examples.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from functools import cache
from itertools import pairwise
from typing import Any

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import entropy, fake, plausible
from tokenreach.scanner.model import Access, Token

KIND_ENTROPY = "high_entropy"
KIND_KEYWORD = "keyword_secret"


# Stage 1: the candidate line ----------------------------------------------------------------

_NAME_WORDS = r"pass|pwd|secret|token|api[_\-]?key|auth|credential|private[_\-]?key|access[_\-]?key"
KEYWORDS = ("pass", "pwd", "secret", "token", "api_key", "api-key", "apikey", "auth", "credential",
            "private_key", "private-key", "privatekey", "access_key", "access-key", "accesskey")
# A name holding a secret word, an assignment, then a value with a digit in it, up to a quote,
# whitespace, a separator or the end. Never crosses a line (no newline before the value). The
# digit keeps Hyperscan from reporting the many lines that assign a word ("token": "NextToken");
# extract() wants a digit in a secret anyway.
# Between a name and its value: = : := => ||= ?= .= +=, a type first (TypeScript's and Rust's
# const key: string = …); or, after a quoted name, a call's next argument (_CALL).
_ASSIGNING = (r"""["'\]]{0,2}[ \t]{0,3}(?:=>|(?::[ \t]{0,3}[A-Za-z_][\w.<>\[\]?]{0,40}[ \t]{0,3})?"""
              r"""(?::=|\|\|=|[?.+]?=)|:)""")
_CALL = r"""[ \t]{0,3},"""  # after the quote that closes the name: its group is _PAIR's alone
LINE_REGEX = (rf"""(?i:{_NAME_WORDS})[\w.\-]{{0,40}}(?:{_ASSIGNING}|(["']){_CALL})"""
              r"""[ \t]{0,3}["'`]?[^\s"'`]*[0-9][^\s"'`]*(?:["'`\s,;]|$)""")

# Stage 2: name and value --------------------------------------------------------------------

_PAIR = re.compile(
    rf"""(?P<name>[A-Za-z_$@][\w.\-$@]{{0,80}}?)(?:{_ASSIGNING}|(?P<call>["']){_CALL})[ \t]{{0,3}}"""
    r"""(?:(?P<q>["'`])(?P<quoted>[^"'`\n]{1,300}?)(?P=q)|(?P<bare>[^\s"'`,;]{1,300}))"""
)
_SPLIT = re.compile(r"[^A-Za-z0-9]+")
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")

# Words that are a secret on their own ...
_SECRET_WORDS = frozenset({
    "password", "passwd", "passphrase", "pass", "pwd", "secret", "token", "credential", "credentials",
    "creds", "apikey", "privatekey", "accesskey", "secretkey", "authkey", "auth",
})
# ... or at the end of one word (dbpassword, clienttoken, appsecret) ...
_SECRET_ENDINGS = ("password", "passwd", "secret", "token", "apikey", "credentials")
# ... or as two words (api_key, privateKey, ACCESS-KEY).
_SECRET_PAIRS = frozenset({("api", "key"), ("private", "key"), ("access", "key"), ("secret", "key"),
                           ("auth", "key")})
# A word after the secret word that makes the name describe a secret rather than hold one.
_DESCRIPTORS = frozenset({
    "file", "files", "filename", "path", "paths", "dir", "folder", "name", "names", "url", "uri", "urls",
    "endpoint", "host", "type", "types", "kind", "class", "mode", "method", "methods", "scheme", "len",
    "length", "size", "bits", "count", "num", "id", "ids", "hash", "hashed", "digest", "checksum", "sha",
    "md5", "prefix", "suffix", "env", "var", "variable", "field", "fields", "header", "headers", "param",
    "params", "format", "regex", "re", "pattern", "policy", "version", "min", "max", "expiry",
    "expires", "expiration", "expire", "timeout", "ttl", "lifetime", "duration", "label", "placeholder",
    "hint", "error", "errors", "msg", "message", "template", "ref", "reference", "arn", "store", "manager",
    "provider", "location", "source", "list", "set", "map", "dict", "cache", "command", "cmd", "prompt",
    "input", "column", "index", "idx", "pos", "start", "end", "required", "enabled", "valid", "validator",
    "validation", "strength", "rule", "rules", "reset", "change", "changed", "confirm",
    "confirmation", "help", "description", "doc", "docs", "title", "text", "display", "mask", "masked",
    "widget", "form", "option", "options", "flag", "setting", "settings", "config",
    "generator", "factory", "handler", "module", "schema", "spec", "usage", "encoding", "charset",
    "alphabet", "chars", "characters", "char", "separator", "delimiter", "regexp", "prop", "property",
    "attr", "attribute", "selector", "xpath", "parser", "lexer", "stream", "iter", "iterator",
    "last", "used", "age", "reuse", "history", "status", "state", "updated", "created", "date", "time",
    "timestamp", "at", "ms", "seconds", "secs", "days", "retries", "attempts", "disabled", "exists",
    "present", "missing", "sent", "received", "response", "request", "uses",
})
# A word before the secret word that makes it something else: pagination and idempotency tokens,
# public keys, verification codes, attributes *of* a token.
_NOT_SECRET_BEFORE = frozenset({
    "next", "prev", "previous", "page", "pagination", "continuation", "cursor", "sync", "public", "pub",
    "verification", "verify", "idempotency", "client_request", "copy", "update", "policy", "request",
    "response", "change", "csrf", "xsrf", "cancel", "marker", "subject", "from", "dummy", "fake", "mock",
    "test", "example", "sample", "placeholder", "hashed", "hash", "sha1", "sha256", "md5", "digest",
    "salted", "checksum",
})
# A first word that makes the name a flag or a count about secrets.
_QUALIFIERS = frozenset({"is", "has", "use", "uses", "using", "enable", "disable", "require", "requires",
                         "allow", "show", "hide", "num", "max", "min", "len", "count", "no", "need",
                         "needs", "should", "must", "can", "valid", "check", "validate", "verify", "get",
                         "set", "fetch", "load", "read", "parse", "on", "handle", "ask", "prompt", "new"})


def secretish_name(name: str) -> bool:
    """``name`` holds a secret word, and no word after it makes it describe one."""
    words = [w.lower() for part in _SPLIT.split(name) for w in _CAMEL.findall(part)]
    if not words or words[0] in _QUALIFIERS:
        return False
    for i, word in enumerate(words):
        pair = i + 1 < len(words) and (word, words[i + 1]) in _SECRET_PAIRS
        if word in _SECRET_WORDS or pair or (word.endswith(_SECRET_ENDINGS) and word not in _SECRET_ENDINGS
                                             and not word.startswith(("no", "non"))):
            rest = words[i + (2 if pair else 1):]
            return not any(w in _DESCRIPTORS for w in rest) and not any(w in _NOT_SECRET_BEFORE
                                                                        for w in words[:i])
    return False


_TEMPLATE = re.compile(r"\$\{|\{\{|\}\}|%\(|%[sd]\b|^\$[A-Za-z_]|^%[A-Za-z_]+%$|<[^>]*>|\*{3,}|\.\.\.|^[xX*#.\-_]+$")
_REFERENCE = re.compile(
    r"environ|getenv|process\.env|\benv\.|\benv\[|\bENV\[|secrets\.|vault:|settings\.|config\.|conf\.|"
    r"credentials\.|self\.|this\.|params\.|args\.|kwargs|request\.|options\.|props\.|\$\(|`",
    re.I)
_PATH = re.compile(r"^(?:~|\.{1,2})?/|^[A-Za-z]:[\\/]|^\\\\|\.(?:py|pyc|js|mjs|ts|json|ya?ml|toml|ini|cfg|conf|txt|"
                   r"pem|key|crt|cer|der|p12|pfx|jks|keystore|env|sh|html?|xml|md|rst|log|db|sqlite3?|lock|gpg|"
                   r"asc|pub|csv|gz|zip|enc|bin|dat|properties)$", re.I)
# foo, foo_bar, FooBar, foo.bar.baz, Foo::Bar, foo-bar: words, not random bytes.
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z_]*(?:(?:\.|::|->|-|/)[A-Za-z_][A-Za-z_]*)*")
# module.Class, _win32typing.PyCredHandle, a::b: dotted names, digits or not.
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:(?:\.|::|->)[A-Za-z_]\w*)+")
# More placeholder words than _catalog.plausible() knows, for values under a generic name.
_PLACEHOLDERS = ("password", "passwd", "secret", "token", "changeme", "change_me", "test", "demo",
                 "default", "admin", "letmein", "foobar", "hunter2", "notasecret", "not_a_secret", "mock",
                 "pass123", "abc123", "12345678", "none", "null", "undefined", "todo", "fixme", "sample",
                 "here", "api_key", "apikey", "secure", "private", "s3cr", "p4ss", "p@ss", "passw0rd", "lorem",
                 "ipsum", "invalid", "bogus", "secretkey")
_NOT_RANDOM = re.compile(r"^\d{4}-\d\d-\d\d|^0x[0-9a-f_]+$|^v?\d+(?:\.\d+)+", re.I)


def _sequential(value: str) -> bool:
    """A run of 4 consecutive characters up or down (1234, abcd, 9876), in the value or in its
    digits or letters alone (a1b2c3d4): documentation's made-up keys, not random ones."""
    low = value.lower()
    for s in (low, "".join(c for c in low if c.isdigit()), "".join(c for c in low if c.isalpha())):
        up = down = 1
        for a, b in pairwise(s):
            step = ord(b) - ord(a)
            up = up + 1 if step == 1 else 1
            down = down + 1 if step == -1 else 1
            if up >= 4 or down >= 4:
                return True
    return False


def _value_ok(value: str, line: str) -> bool:
    """Stage 2: False for what is plainly not a secret. A secret here has letters and digits."""
    if not 10 <= len(value) <= 256 or any(c.isspace() for c in value):
        return False
    if not any(c.isdigit() for c in value) or not any(c.isalpha() for c in value):
        return False
    if "://" in value or any(c in value for c in "()[]{}<>|\\") or value[0] in "$%&@:.,;=!?+-":
        return False
    if _TEMPLATE.search(value) or _REFERENCE.search(value) or _PATH.search(value):
        return False
    if _IDENTIFIER.fullmatch(value) or _DOTTED.fullmatch(value) or _NOT_RANDOM.search(value):
        return False
    low = value.lower()
    if any(w in low for w in _PLACEHOLDERS) or not plausible(value, min_entropy=3.0):
        return False
    return not _sequential(value)


def _pairs(line: str) -> Iterator[tuple[str, int, int, bool]]:
    """(name, value start, value end, quoted) for each assignment in ``line`` whose name holds a
    secret word."""
    pos = 0
    while (m := _PAIR.search(line, pos)) is not None:
        name = m.group("name").strip(".-$@")
        group = "quoted" if m.group("quoted") is not None else "bare"
        if (m.group("call") is None or _call_argument(line, m)) and secretish_name(name):
            yield name, m.start(group), m.end(group), group == "quoted"
            pos = m.end()
        elif "=" in m.group(group) and "://" not in m.group(group) and not m.group(group).startswith("//"):
            pos = m.start(group)  # the value holds an assignment (not a URL's query): --from-literal=KEY=…
        else:
            pos = m.end()


_CALL_OPEN = re.compile(r"\(\s*$")


def _call_argument(line: str, m: re.Match[str]) -> bool:
    """A call's first two arguments, the first a whole string naming a setting: setProperty("NAME",
    "value"), os.environ.setdefault("NAME", …), getenv("NAME", …); not a list of class names."""
    name, quote = m.group("name"), m.group("call")
    opened = m.start() > 0 and line[m.start() - 1] == quote and _CALL_OPEN.search(line, 0, m.start() - 1)
    return bool(opened) and (name.isupper() or any(c in name for c in "_.-"))


# Stage 3: detect-secrets ---------------------------------------------------------------------


@cache
def _plugins() -> dict[str, Any]:
    """detect-secrets' plugins and filters, imported on first use (the import costs ~0.1 s)."""
    from detect_secrets.filters import heuristic
    from detect_secrets.plugins import keyword
    from detect_secrets.plugins.high_entropy_strings import Base64HighEntropyString, HexHighEntropyString

    # Every file type's keyword rules at once: a line pattern does not know the file's type.
    rules = {**keyword.QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP, **keyword.CONFIG_DENYLIST_REGEX_TO_GROUP,
             keyword.FOLLOWED_BY_COLON_EQUAL_SIGNS_REGEX: 4}
    return {"keyword": keyword.KeywordDetector(), "rules": rules, "heuristic": heuristic,
            "entropy": (HexHighEntropyString(), Base64HighEntropyString())}


def _high_entropy(value: str, quoted: bool, line: str) -> bool:
    """A detect-secrets entropy plugin reports ``value`` (quoted in ``line``, or bare)."""
    if len(value) < 12:
        return False
    for plugin in _plugins()["entropy"]:
        if quoted:
            found = set(plugin.analyze_string(line))
        else:
            with plugin.non_quoted_string_regex(is_exact_match=True):
                found = set(plugin.analyze_string(value))
        if value in found and plugin.calculate_shannon_entropy(value) > plugin.entropy_limit:
            return True
    return False


def _filtered(value: str, line: str) -> bool:
    """detect-secrets' own heuristic filters for false positives."""
    h = _plugins()["heuristic"]
    return (h.is_templated_secret(value) or h.is_prefixed_with_dollar_sign(value)
            or h.is_sequential_string(value) or h.is_potential_uuid(value)
            or h.is_not_alphanumeric_string(value) or h.is_likely_id_string(value, line)
            or h.is_indirect_reference(line))


def _random_looking(value: str) -> bool:
    """For a name detect-secrets' keyword list lacks: letters and digits, near-maximal entropy."""
    if len(value) < 16 or not any(c.isdigit() for c in value) or not any(c.isalpha() for c in value):
        return False
    return entropy(value) >= 0.85 * math.log2(len(value))


def extract(line: str) -> Iterator[tuple[int, int, str | None]]:
    """The secrets in a candidate line: (start, end, kind) of each."""
    candidates = [(start, end, quoted) for _name, start, end, quoted in _pairs(line)
                  if _value_ok(line[start:end], line)]
    if not candidates:
        return
    plugins = _plugins()
    keyword_values: set[str] | None = None
    for start, end, quoted in candidates:
        value = line[start:end]
        if _filtered(value, line):
            continue
        if _high_entropy(value, quoted, line):
            yield start, end, KIND_ENTROPY
            continue
        if keyword_values is None:
            keyword_values = set(plugins["keyword"].analyze_string(line, plugins["rules"]))
        if value in keyword_values or _random_looking(value):
            yield start, end, KIND_KEYWORD


# Examples -----------------------------------------------------------------------------------

_B62 = fake("a62", 40, "generic-env")
_HEX = fake("hex", 40, "generic-hex")
_PW = "Xk9v2#LmQ7pRt"


PATTERNS = (
    Pattern(  # a line pattern: see Pattern.extract
        id="generic.assigned",
        name="Secret assigned to a secret-like name",
        regex=LINE_REGEX,
        keywords=KEYWORDS,
        extract=extract,
        lookup=False,
        examples=(
            f"SESSION_SECRET={_B62}",
            f'internal_token = "{_HEX}"',
            f'  "apiKey": "{_B62[:32]}",',
            f"db_password: {_PW}",
            f'PASSWORD = "{_PW}"',
            f"export ADMIN_AUTH_TOKEN='{_B62[:24]}'",
            f'$settings["smtp_password"] => "{_PW}";',
            f"credentials := \"{_B62[5:37]}\"",
            f'System.setProperty("BILLING_API_KEY", "{_B62[2:34]}");',
            f"  --from-literal=BILLING_API_KEY={_B62[3:35]}",
            f'const billingApiKey: string = "{_B62[4:36]}";',
            f"ENV['BILLING_API_KEY'] ||= '{_B62[5:37]}'",
        ),
        counterexamples=(
            'password = "changeme"',
            "API_KEY=${API_KEY}",
            'api_key: "{{ secrets.api_key }}"',
            'token = os.environ["GITHUB_TOKEN"]',
            "secret = os.getenv('APP_SECRET')",
            "DB_PASSWORD=$DB_PASSWORD",
            'password = get_password("db")',
            "token = self._tokens[index]",
            'password_file = "/run/secrets/db_password"',
            'TOKEN_TYPE = "bearer_token_v2"',
            'tokenizer_class = "BertTokenizerFast"',
            '__author__ = "Guido van Rossum <guido@python.org>"',
            'secret_key = "your-secret-key-here"',
            "password: <your password>",
            'auth_url = "https://login.example.test/oauth2/token"',
            f"no secret word here = '{_B62}'",
            f'"{_B62}"',
            'PRIVATE_KEY_PATH = "certs/server.key"',
            "password = '********'",
            "api_key = 'xxxxxxxxxxxxxxxxxxxxxxxx'",
            'secret = "0123456789abcdef0123456789abcdef"',
            "password=%(password)s",
            "token: 'abcdefghijklmnop'",
            '__all__ = ["AsyncOAuth1Mixin", "AsyncOAuth2Mixin"]',  # a list of names, not a call's key and value
            f'url = "https://bucket.s3.amazonaws.com/log.txt?X-Amz-Security-Token={_B62}&X-Amz-Expires=900"',
        ),
    ),
)


class GenericDetector(Detector):
    generic = True  # a provider detector matching the same text wins
    provider = "generic"
    title = "Unidentified secret"
    rotate_hint = ("rotate this secret where it was issued (its variable name or file says which system it "
                   "unlocks), then replace it where it is used")
    patterns = PATTERNS
    request_budget = 0  # no provider to ask

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        how = ("a high-entropy value" if token.kind == KIND_ENTROPY else "a value") + (
            f" assigned to {token.variable}" if token.variable else " assigned to a secret-like name")
        access.note(f"no provider identified: {how} (detect-secrets keyword and entropy plugins)")
        return access


detector = GenericDetector()
