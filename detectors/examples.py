"""Values that stand where a secret goes but are not one: placeholders and published examples.

The engine asks ``not_a_secret`` about every match of every rule, before the rule's own checks,
so that no rule can forget it (a prefix is real, ``sk_live_xxxxxxxx…`` is not). What it drops is
not reported but counted, so the summary can say how many it set aside:

* a placeholder form: ``xxxx``/``XXXX``, a ``<your-key>``, ``[password]`` or ``{token}`` slot,
  an ellipsis (``...``, ``…``) or a mask (``***``) anywhere in the value, or ascending digits
  ``123456…`` where the value or a part of it after a separator starts (``sk_live_1234567890``).
  None of these occurs in a random token by chance (four given characters in a row: about 1 in
  15 million per position in base62);
* a key a provider publishes in its own documentation or SDKs (``published_examples.toml``,
  stored by SHA-256 with the page that publishes each).
"""

from __future__ import annotations

import hashlib
import re
import sys
from functools import cache
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EXAMPLES_FILE = Path(__file__).resolve().parent / "published_examples.toml"

# "123456" counts where a run of digits starts (the whole value, or after a prefix's separator):
# inside a random value it is chance, at the start of one it is someone typing a placeholder.
# A slot: a word in angle brackets anywhere (sk_live_<your-key>), or a whole value that is a word in
# square or curly brackets ([password], {token}); inside a value those are syntax ({SHA}… in htpasswd).
_SLOT = r"<[^<>\s]{1,40}>|^\[+[A-Za-z][\w -]{0,39}\]+$|^\{+[A-Za-z][\w -]{0,39}\}+$"
_PLACEHOLDER = re.compile(rf"xxxx|XXXX|(?:^|[^0-9A-Za-z])123456|{_SLOT}|\.\.\.|\u2026|\*\*\*")
_SHA256 = re.compile(r"[0-9a-f]{64}")


# A long value (a PEM body, a certificate) holds "xxxx" by chance once in ~5,000 keys: there a
# placeholder is a longer run.
_LONG = 200
_PLACEHOLDER_LONG = re.compile(rf"x{{8}}|X{{8}}|(?:^|[^0-9A-Za-z])123456|{_SLOT}|\.\.\.|\u2026|\*\*\*")


def placeholder_form(value: str) -> bool:
    """True for a value written as a placeholder: ``xxxx``, ``123456``, ``<your-key>``, ``…``."""
    return (_PLACEHOLDER if len(value) <= _LONG else _PLACEHOLDER_LONG).search(value) is not None


@cache
def published_hashes() -> frozenset[str]:
    """The SHA-256 (hex) of every published example key; empty if the data file is unreadable
    (a broken install must not stop a scan, only report those examples)."""
    try:
        data = tomllib.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return frozenset()
    entries = data.get("example", [])
    return frozenset(e["sha256"] for e in entries
                     if isinstance(e, dict) and isinstance(e.get("sha256"), str) and _SHA256.fullmatch(e["sha256"]))


def published_example(value: str) -> bool:
    """True for a key a provider publishes as an example (by the SHA-256 of the value)."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest() in published_hashes()


def not_a_secret(value: str) -> bool:
    """A placeholder or a published example: not reported, counted."""
    return placeholder_form(value) or published_example(value)
