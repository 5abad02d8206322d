"""The declarative offline checks of a rule file: a TOML table in, a ``validate`` callable out.

A check judges one value: it first selects a part of the secret (drop a prefix, take a field, …),
may decode it (base64, JSON, a JWT's claims), then tests it (length, character classes, the
placeholder filter, entropy, a named checksum). A rule's checks must all pass; ``one_of`` inside a
check needs one of its sub-checks to pass. docs/rules.md is the reference for every field.

Checks run inside the engine on hostile bytes: nothing here may raise once a check is built.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as _default
from typing import Any

from tokenreach.detectors.catalog import entropy, plausible, plausible_alnum, plausible_hex
from tokenreach.detectors.checksums import CHECKSUMS
from tokenreach.detectors.jwt import b64_json, b64url_decode, claims

SELECTION = ("skip", "field", "after", "after_last", "before", "before_last", "starting_at", "slice",
             "trim_start", "trim_end", "remove")
DECODING = ("decode", "keys", "any_keys", "values", "not_values", "member")
TESTS = ("matches", "deny", "deny_words", "min_length", "max_length", "min_digits", "min_distinct",
         "min_classes", "requires", "placeholder", "alphabet", "min_entropy", "checksum", "one_of")
FIELDS = SELECTION + DECODING + TESTS

DECODERS = ("base64", "base64url", "base64_json", "jwt")
ALPHABETS = ("any", "hex", "alnum")
CLASSES: dict[str, Callable[[str], bool]] = {
    "digit": lambda c: "0" <= c <= "9",
    "upper": lambda c: "A" <= c <= "Z",
    "lower": lambda c: "a" <= c <= "z",
    "letter": lambda c: c.isascii() and c.isalpha(),
    "hex_letter": lambda c: c in "abcdefABCDEF",
    "symbol": lambda c: not c.isalnum(),
}
_JSON_DECODERS = ("base64_json", "jwt")


class CheckError(ValueError):
    """A check table that is not valid: ``field`` names the offending key (dotted for nesting)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Check:
    """One check table, compiled. ``passes(secret)`` never raises."""

    # selection, applied in this order
    skip: int | str | None = None
    field: tuple[str, int] | None = None
    after: str | None = None
    after_last: str | None = None
    before: str | None = None
    before_last: str | None = None
    starting_at: str | None = None
    slice: tuple[int, int | None] | None = None
    trim_start: str | None = None
    trim_end: str | None = None
    remove: str | None = None
    # decoding
    decode: str | None = None
    keys: tuple[str, ...] = ()
    any_keys: tuple[str, ...] = ()
    values: Mapping[str, Any] = _default(default_factory=dict)
    not_values: Mapping[str, Any] = _default(default_factory=dict)
    member: str | None = None
    # tests
    matches: re.Pattern[str] | None = None
    deny: frozenset[str] = frozenset()
    deny_words: tuple[str, ...] = ()
    min_length: int | None = None
    max_length: int | None = None
    min_digits: int | None = None
    min_distinct: int | None = None
    min_classes: int | None = None
    requires: tuple[str, ...] = ()
    placeholder: bool = False
    alphabet: str | None = None
    min_entropy: float | None = None
    checksum: str | None = None
    one_of: tuple[Check, ...] = ()

    def passes(self, value: str) -> bool:
        try:
            return self._passes(value)
        except (ValueError, TypeError, IndexError, RecursionError):  # a bug must not end the scan
            return False

    def _passes(self, value: str) -> bool:
        text = self._select(value)
        if text is None:
            return False
        if self.decode is not None:
            decoded = self._decoded(text)
            if decoded is None:
                return False
            text = decoded
        if self.matches is not None:
            m = self.matches.fullmatch(text)
            if m is None:
                return False
            if "body" in self.matches.groupindex:
                text = m.group("body") or ""
        if text in self.deny or any(w in text for w in self.deny_words):
            return False
        n = len(text)
        if (self.min_length is not None and n < self.min_length) or (
                self.max_length is not None and n > self.max_length):
            return False
        if self.min_digits is not None and sum(CLASSES["digit"](c) for c in text) < self.min_digits:
            return False
        if self.min_distinct is not None and len(set(text)) < self.min_distinct:
            return False
        if self.min_classes is not None and _classes(text) < self.min_classes:
            return False
        if any(not any(CLASSES[k](c) for c in text) for k in self.requires):
            return False
        if self.placeholder and not plausible(text, 0.0):
            return False
        if self.alphabet is not None and not _random(text, self.alphabet, self.min_entropy):
            return False
        if self.alphabet is None and self.min_entropy is not None and entropy(text) < self.min_entropy:
            return False
        if self.checksum is not None and not CHECKSUMS[self.checksum](text):
            return False
        return not self.one_of or any(c.passes(text) for c in self.one_of)

    def _select(self, s: str) -> str | None:
        if isinstance(self.skip, int):
            s = s[self.skip:]
        elif self.skip is not None:
            s = s.removeprefix(self.skip)
        if self.field is not None:
            sep, index = self.field
            parts = s.split(sep)
            if not -len(parts) <= index < len(parts):
                return None
            s = parts[index]
        if self.after is not None:
            s = s.split(self.after, 1)[-1]
        if self.after_last is not None:
            s = s.rsplit(self.after_last, 1)[-1]
        if self.before is not None:
            s = s.split(self.before, 1)[0]
        if self.before_last is not None:
            s = s.rsplit(self.before_last, 1)[0]
        if self.starting_at is not None:
            at = s.find(self.starting_at)
            if at < 0:
                return None
            s = s[at:]
        if self.slice is not None:
            s = s[self.slice[0]:self.slice[1]]
        if self.trim_start is not None:
            s = s.lstrip(self.trim_start)
        if self.trim_end is not None:
            s = s.rstrip(self.trim_end)
        if self.remove is not None:
            s = s.translate({ord(c): None for c in self.remove})
        return s

    def _decoded(self, text: str) -> str | None:
        if self.decode == "base64":
            raw = _b64(text, url=False)
            return None if raw is None else raw.decode("latin-1")
        if self.decode == "base64url":
            raw = _b64(text, url=True)
            return None if raw is None else raw.decode("latin-1")
        obj = b64_json(text) if self.decode == "base64_json" else claims(text)
        if obj is None:
            return None
        if any(k not in obj for k in self.keys):
            return None
        if self.any_keys and not any(k in obj for k in self.any_keys):
            return None
        if any(k not in obj or obj[k] != v for k, v in self.values.items()):
            return None
        if any(obj.get(k) == v for k, v in self.not_values.items()):
            return None
        if self.member is None:
            return ""  # only the object tests above apply
        member = obj.get(self.member)
        return member if isinstance(member, str) else None


def _b64(text: str, url: bool) -> bytes | None:
    if not text.isascii():
        return None
    try:
        if url:
            return b64url_decode(text)
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def _classes(text: str) -> int:
    return sum(any(CLASSES[k](c) for c in text) for k in ("lower", "upper", "digit", "symbol"))


def _random(text: str, alphabet: str, min_entropy: float | None) -> bool:
    if alphabet == "hex":
        return plausible_hex(text) if min_entropy is None else plausible_hex(text, min_entropy)
    if alphabet == "alnum":
        return plausible_alnum(text) if min_entropy is None else plausible_alnum(text, min_entropy)
    return plausible(text) if min_entropy is None else plausible(text, min_entropy)


# Building a Check from a TOML table -----------------------------------------------------------


def build(table: Any, where: str = "check") -> Check:
    """A Check from one TOML table; CheckError names the field (``check.min_length``)."""
    if not isinstance(table, dict):
        raise CheckError(where, "must be a table of check fields")
    unknown = sorted(set(table) - set(FIELDS))
    if unknown:
        raise CheckError(f"{where}.{unknown[0]}", f"unknown check field (known: {', '.join(FIELDS)})")
    t = table

    def f(key: str) -> str:
        return f"{where}.{key}"

    kw: dict[str, Any] = {}
    if "skip" in t:
        v = t["skip"]
        if isinstance(v, bool) or not isinstance(v, (int, str)) or (isinstance(v, int) and v < 0) or v == "":
            raise CheckError(f("skip"), "must be a count of characters (>= 0) or a prefix string")
        kw["skip"] = v
    if "field" in t:
        v = t["field"]
        if not (isinstance(v, list) and len(v) == 2 and _text(v[0]) and _int(v[1])):
            raise CheckError(f("field"), 'must be [separator, index], e.g. [".", 1] (index from 0; negative from '
                                         "the end)")
        kw["field"] = (v[0], v[1])
    for key in ("after", "after_last", "before", "before_last", "starting_at", "trim_start", "trim_end",
                "remove", "member"):
        if key in t:
            if not _text(t[key]):
                raise CheckError(f(key), "must be a non-empty string")
            kw[key] = t[key]
    if "slice" in t:
        v = t["slice"]
        if not (isinstance(v, list) and len(v) in (1, 2) and all(_int(i) for i in v)):
            raise CheckError(f("slice"), "must be [start] or [start, end] (Python slice indices)")
        kw["slice"] = (v[0], v[1] if len(v) == 2 else None)
    if "decode" in t:
        if t["decode"] not in DECODERS:
            raise CheckError(f("decode"), f"must be one of {', '.join(DECODERS)}")
        kw["decode"] = t["decode"]
    json_only = [k for k in ("keys", "any_keys", "values", "not_values", "member") if k in t]
    if json_only and kw.get("decode") not in _JSON_DECODERS:
        raise CheckError(f(json_only[0]), f'needs decode = "{_JSON_DECODERS[0]}" or "{_JSON_DECODERS[1]}"')
    for key in ("keys", "any_keys", "deny_words"):
        if key in t:
            kw[key] = tuple(_strings(t[key], f(key)))
    if "deny" in t:
        kw["deny"] = frozenset(_strings(t["deny"], f("deny")))
    for key in ("values", "not_values"):
        if key in t:
            if not isinstance(t[key], dict) or not t[key]:
                raise CheckError(f(key), 'must be a table of JSON members and values, e.g. { iss = "argocd" }')
            kw[key] = dict(t[key])
    texts = [k for k in TESTS if k in t and k != "one_of"]
    if kw.get("decode") in _JSON_DECODERS and "member" not in kw and texts:
        raise CheckError(f(texts[0]), "after a JSON decode, text tests need member = \"<name>\" to say which "
                                      "string member they judge")
    if "matches" in t:
        if not _text(t["matches"]):
            raise CheckError(f("matches"), "must be a non-empty regular expression")
        try:
            kw["matches"] = re.compile(t["matches"], re.ASCII | re.DOTALL)
        except (re.error, RecursionError, OverflowError) as exc:
            raise CheckError(f("matches"), f"invalid regular expression ({exc})") from None
    for key in ("min_length", "max_length", "min_digits", "min_distinct", "min_classes"):
        if key in t:
            if not _int(t[key]) or t[key] < 0:
                raise CheckError(f(key), "must be a whole number >= 0")
            kw[key] = t[key]
    if kw.get("min_classes", 0) > 4:
        raise CheckError(f("min_classes"), "there are 4 classes (lower, upper, digit, symbol)")
    if "min_length" in kw and "max_length" in kw and kw["min_length"] > kw["max_length"]:
        raise CheckError(f("max_length"), "is below min_length")
    if "requires" in t:
        reqs = _strings(t["requires"], f("requires"))
        bad = [r for r in reqs if r not in CLASSES]
        if bad:
            raise CheckError(f("requires"), f"{bad[0]!r} is not one of {', '.join(CLASSES)}")
        kw["requires"] = tuple(reqs)
    if "placeholder" in t:
        if not isinstance(t["placeholder"], bool):
            raise CheckError(f("placeholder"), "must be true or false")
        kw["placeholder"] = t["placeholder"]
    if "alphabet" in t:
        if t["alphabet"] not in ALPHABETS:
            raise CheckError(f("alphabet"), f"must be one of {', '.join(ALPHABETS)}")
        kw["alphabet"] = t["alphabet"]
    if "min_entropy" in t:
        v = t["min_entropy"]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 8:
            raise CheckError(f("min_entropy"), "must be a number of bits per character between 0 and 8")
        kw["min_entropy"] = float(v)
    if "checksum" in t:
        if t["checksum"] not in CHECKSUMS:
            raise CheckError(f("checksum"), f"must be one of {', '.join(CHECKSUMS)}")
        kw["checksum"] = t["checksum"]
    if "one_of" in t:
        v = t["one_of"]
        if not isinstance(v, list) or len(v) < 2:
            raise CheckError(f("one_of"), "must be a list of at least two check tables")
        kw["one_of"] = tuple(build(sub, f"{where}.one_of[{i}]") for i, sub in enumerate(v))
    if not kw:
        raise CheckError(where, "is empty: give at least one test")
    if not any(k in kw for k in (*DECODING, *TESTS)):
        raise CheckError(where, "selects a part of the secret but tests nothing")
    return Check(**kw)


def build_all(value: Any, where: str = "check") -> tuple[Check, ...]:
    """``check`` of a rule: one table or an array of tables, all of which must pass."""
    if isinstance(value, dict):
        return (build(value, where),)
    if isinstance(value, list) and value:
        return tuple(build(item, f"{where}[{i}]") for i, item in enumerate(value))
    raise CheckError(where, "must be a table ([rules.check]) or an array of tables ([[rules.check]])")


def validator(checks: Sequence[Check]) -> Callable[[str], bool] | None:
    """The ``Pattern.validate`` for a rule's checks: True when every one passes."""
    if not checks:
        return None
    if len(checks) == 1:
        return checks[0].passes
    return lambda secret: all(c.passes(secret) for c in checks)


def _text(v: Any) -> bool:
    return isinstance(v, str) and v != ""


def _int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _strings(v: Any, where: str) -> list[str]:
    if not isinstance(v, list) or not v or not all(_text(i) for i in v):
        raise CheckError(where, "must be a non-empty list of non-empty strings")
    return list(v)
