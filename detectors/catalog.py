"""Shared building blocks for provider patterns and the rule files' checks (``checks.py``).

Two regex shapes cover almost every catalog pattern (rule files spell them out; provider modules
still written in Python call these):

* ``prefixed(...)``: a token with a fixed, documented prefix (``pplx-``, ``figd_`` …), bounded on
  both sides so that the prefix inside a longer identifier never matches.
* ``assigned(...)``: a token without a prefix, accepted only where a provider's name stands in the
  variable or key it is assigned to (``DEEPGRAM_API_KEY=…``, ``"zendesk_token": "…"``).

``plausible()`` is the offline sanity check behind a rule file's ``placeholder`` and ``alphabet``
checks: it drops placeholders, template references and strings that are too regular to be random.
"""

from __future__ import annotations

import math
import re
from collections import Counter

# Characters that may not touch a token on its right: the token would be part of a longer word.
END = r"(?:[^A-Za-z0-9_\-]|$)"
END_DOT = r"(?:[^A-Za-z0-9_\-.]|$)"  # for alphabets where "." would continue the token
# A quote, also escaped inside a JSON or shell string (\" and \\").
_QUOTE = r"""\\{0,2}["'`]"""
# A credential's own name where the provider's stands before it (a key argument, a query parameter,
# a YAML key under the provider's mapping): api_key, apiKey, access_token, secret, X-Auth-Key …
_CREDENTIAL_NAME = r"[\w\-]{0,20}(?i:key|token|secret|password|passwd|auth|credential)[\w\-]{0,10}"
# An XML element's name, closing or opening a tag: the value may sit in the next element.
_TAG = r"[A-Za-z_][\w.:\-]{0,40}"
# Between a variable name and its value, in every language's way of assigning one, each
# optionally quoted or escaped:
#   NAME=v  NAME: v  NAME := v  NAME ::= v  NAME :::= v  NAME ?= v  $name .= v  NAME += v  name => v
#   ENV['NAME'] ||= v (Ruby)
#   const name: string = v      const NAME: &str = v       String NAME = v (a type before the name
#   needs nothing)
#   setProperty("NAME", v)      os.environ.setdefault("NAME", v)   getenv("NAME", v)
#   <key>NAME</key> <string>v</string>       <add key="NAME" value="v"/>
#   NAME: |  (a YAML block scalar: the value is on the next line)
#   variable "NAME" { … default = v }  (a Terraform variable's default)
ASSIGN = (
    rf"""(?:(?:{_QUOTE}|\]){{0,2}}\s{{0,3}}"""
    r"""(?:(?::\s{0,3}[A-Za-z_&][\w.\[\]<>?&*' ]{0,40})?(?::{0,3}=|[?.+]=|\|\|=)|=>"""
    r"""|:(?:\s{0,3}[|>][-+]?[ \t]{0,3}\r?\n[ \t]{0,40})?)"""
    rf"""|{_QUOTE}\s{{0,3}},|{_QUOTE}\s{{1,3}}value\s{{0,3}}="""
    rf"""|</{_TAG}>\s{{0,40}}<{_TAG}(?:\s[^<>]{{0,80}})?>"""
    rf"""|{_QUOTE}\s{{0,3}}\{{[^{{}}]{{0,200}}?\bdefault\s{{0,3}}=)"""
    rf"""\s{{0,3}}(?:@|{_QUOTE})?"""
)


def after_provider(names: str) -> str:
    """Where ``names`` (a regex, matched case-insensitively) is the provider's alone and the
    credential's own name comes after it; each form anchored where such a name starts (never
    ``x.split(``, ``if not line:``, ``nowhere``):

        name.Client(api_key=v)  new Name({ apiKey: v })  Name(token: v)   (a client's key argument)
        name:\n  enabled: true\n  key: v         (a YAML mapping named for the provider)
        provider "name" { api_key = v }          (a Terraform provider block)
        NAME_URL=https://host/path?api_key=v     (a key in a URL's query string)
    """
    n = rf"(?i:{names})"
    return (
        rf"""(?:(?<![\w.]){n}[\w.]{{0,40}}\(\s{{0,3}}(?:\{{\s{{0,3}})?{_CREDENTIAL_NAME}\s{{0,3}}(?:=(?!=)|:)"""
        rf"""|(?m:^)[ \t]{{0,40}}{n}[\w.\-]{{0,40}}:[ \t]{{0,3}}\r?\n(?:[ \t]+[^\r\n]{{0,80}}\r?\n){{0,4}}?"""
        rf"""[ \t]+{_CREDENTIAL_NAME}:"""
        rf"""|["'`]{n}[\w.\-]{{0,40}}["'`]\s{{0,3}}\{{[^{{}}]{{0,200}}?\b{_CREDENTIAL_NAME}\s{{0,3}}="""
        rf"""|(?<![\w.]){n}[\w.\-]{{0,40}}{_QUOTE}?\s{{0,3}}(?::{{0,3}}=|:)\s{{0,3}}{_QUOTE}?https?://[^\s"'<>]{{1,200}}?"""
        rf"""[?&]{_CREDENTIAL_NAME}=)"""
        rf"""\s{{0,3}}(?:@|{_QUOTE})?"""
    )


def _after_provider_prefilter(names: str) -> str:
    """What Hyperscan runs for ``after_provider`` (it has no look-behind): where such a name
    starts, and what follows it opens one of the forms (a call, a mapping, a block, a URL). A
    provider's name may be an ordinary word: without the anchors the automaton would follow every
    one. A superset of the forms, with open repeats: Hyperscan unrolls bounded ones, and the forms
    spelled out made the catalog compile four times slower (9 s against 2 s)."""
    return rf"""(?:^|[^\w.])(?i:{names})[\w.\-]*(?:\(|:[ \t]*\r?\n|["'`]\s*\{{|\S?\S?\s*[:=]\s*\S?https?://)"""


# Hyperscan unrolls bounded repeats: one `[\s\S]{40,8000}` took a minute to compile. Hyperscan only
# has to say "this pattern may match in this buffer" (re then extracts with the exact regex), so
# a superset is correct: large bounds {m,n} become {m,}, which it compiles in microseconds.
_LARGE_BOUND = re.compile(r"(?<!\\)\{(\d*),\s*(\d+)\}")
MAX_UNROLLED_REPEAT = 120


def relax_bounds(regex: str) -> bytes:
    """``regex`` as Hyperscan is given it: its large bounded repeats opened up."""

    def relax(m: re.Match[str]) -> str:
        return "{%s,}" % (m.group(1) or "0") if int(m.group(2)) > MAX_UNROLLED_REPEAT else m.group(0)

    return _LARGE_BOUND.sub(relax, regex).encode()


def prefixed(body: str) -> str:
    """``body`` starts with a fixed prefix: no word character may stand right before it."""
    return rf"(?:^|[^A-Za-z0-9_\-])(?P<secret>{body}){END}"


def assigned(keyword: str, body: str, gap: int = 40, end: str = END, provider: str = "") -> str:
    """``keyword`` (case-insensitive) in the name a value of shape ``body`` is assigned to; or
    it, or ``provider`` (the provider's own name), before the credential's own name (``after_provider``)."""
    # Hyperscan rejects an empty repeat ``{0,0}``: no gap means no gap expression at all.
    between = rf"[\w.\-]{{0,{gap}}}" if gap else ""
    names = f"{keyword}|{provider}" if provider else keyword
    return rf"(?:(?i:{keyword}){between}{ASSIGN}|{after_provider(names)})(?P<secret>{body}){end}"


def assigned_prefilter(keyword: str, body: str, provider: str = "") -> str:
    """What Hyperscan runs for an ``assigned`` pattern: a name, then the value's shape within a
    few lines. The assignment grammar, unrolled in every one of hundreds of rules, made the
    catalog compile ten times slower; re confirms each candidate with the exact regex."""
    names = rf"(?i:{keyword})"
    if provider:
        names = rf"(?:{names}|{_after_provider_prefilter(provider)})"
    return rf"{names}[\s\S]{{0,300}}(?:{body})"


_PLACEHOLDER_WORDS = (
    "xxxx", "your", "example", "sample", "dummy", "placeholder", "changeme", "redacted", "insert",
    "replace", "token_here", "key_here", "secret_here", "test_key", "fake", "abcdef0123", "0123456789",
    "1234567890", "abcdefghij", "qwerty",
)
_TEMPLATE = re.compile(r"\$\{|\{\{|\}\}|%\(|^\$[A-Za-z_]|<[A-Za-z_ -]+>|\*{3,}|\.\.\.")


_MAX_DISTINCT = 10


def entropy(s: str) -> float:
    """Shannon entropy in bits per character."""
    if not s:
        return 0.0
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in Counter(s).values())


def plausible(secret: str, min_entropy: float = 3.0) -> bool:
    """A real random token, not a placeholder, a template or a run of repeated characters."""
    low = secret.lower()
    if any(w in low for w in _PLACEHOLDER_WORDS) or _TEMPLATE.search(secret):
        return False
    # One distinct character per 8, capped at 10 (the digits' alphabet): uncapped, every token
    # longer than its alphabet times 8 (128 hex, ~500 base64 characters) would count as "regular".
    if len(set(secret)) < max(4, min(len(secret) // 8, _MAX_DISTINCT)):
        return False
    return entropy(secret) >= min_entropy


def plausible_hex(secret: str, min_entropy: float = 2.8) -> bool:
    """Random hex: letters and digits both present (a run of digits is a number, not a key).
    A dash-separated value is judged by its last segment."""
    body = secret.split("-")[-1] if "-" in secret else secret
    return (plausible(body, min_entropy) and any(c.isdigit() for c in body)
            and any(c in "abcdefABCDEF" for c in body))


def plausible_alnum(secret: str, min_entropy: float = 3.2) -> bool:
    """Random base62: at least two of lower, upper, digit."""
    classes = sum((any(c.islower() for c in secret), any(c.isupper() for c in secret),
                   any(c.isdigit() for c in secret)))
    return classes >= 2 and plausible(secret, min_entropy)


_ALPHABETS = {
    "hex": "0123456789abcdef",
    "HEX": "0123456789ABCDEF",
    "a62": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "a36": "abcdefghijklmnopqrstuvwxyz0123456789",
    "b64url": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
    "digits": "0123456789",
}


def fake(alphabet: str, n: int, seed: str) -> str:
    """A made-up token body for examples: deterministic, random-looking, never a real key."""
    import random

    chars = _ALPHABETS[alphabet]
    rng = random.Random(f"tokenreach-example:{seed}")
    return "".join(rng.choice(chars) for _ in range(n))
