"""Password hashes (detectors/rules/password_hash.toml): what the hash string itself says.

A hash opens nothing by itself; it is cracked offline, so how fast a guess is tried decides how
weak a password falls. The scheme and its cost parameter are in the string: bcrypt's cost,
sha-crypt's rounds, PBKDF2's iterations. Unsalted and fast schemes ({SHA}, md5-crypt) are noted
as such. ``password_hash`` in the facts makes scanner/assess.py rate it low, with the reason
"can be cracked offline". Never looked up: there is no one to ask.
"""

from __future__ import annotations

import re

from tokenreach.detectors.base import Detector
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Token

PATTERNS = rules_for("password_hash")

# The scheme from the hash's own marker.
_SCHEMES = (
    ("$2", "bcrypt"), ("$6$", "sha512-crypt"), ("$5$", "sha256-crypt"), ("$1$", "md5-crypt"),
    ("$apr1$", "apr1 (Apache MD5)"), ("$y$", "yescrypt"), ("{SHA}", "unsalted SHA-1"), ("{SSHA}", "salted SHA-1"),
    ("pbkdf2_sha256$", "PBKDF2-SHA256"), ("pbkdf2_sha1$", "PBKDF2-SHA1"), ("$argon2", "Argon2"),
)
# Schemes that try billions of guesses a second on one GPU: a weak password falls at once.
_FAST = frozenset({"md5-crypt", "apr1 (Apache MD5)", "unsalted SHA-1", "salted SHA-1", "PBKDF2-SHA1"})
_ROUNDS = re.compile(r"^\$[56]\$rounds=([0-9]+)\$")


def scheme_of(secret: str, pattern_id: str) -> str:
    if pattern_id.endswith(".kerberos_keytab"):
        return "Kerberos keytab"
    return next((name for marker, name in _SCHEMES if secret.startswith(marker)), "password hash")


class PasswordHashDetector(Detector):
    provider = "password_hash"
    title = "Password hash"
    patterns = PATTERNS
    request_budget = 0
    rotate_hint = ("change the password this hash was made from (and everywhere it is reused), and keep hashes "
                   "out of the repository: seed users from a secret store")

    def classify(self, token: Token) -> Access:
        access = Access(evidence="offline")
        scheme = scheme_of(token.secret, token.pattern_id or "")
        access.facts["password_hash"] = True
        access.facts["scheme"] = scheme
        if scheme == "Kerberos keytab":
            access.facts["realm"] = token.extras.get("realm", "")
            access.facts["principal"] = token.extras.get("principal", "")
            access.note("a keytab holds a service's long-term Kerberos keys: they authenticate as it directly, "
                        "no cracking needed")
            return access
        if token.extras.get("cost"):
            access.facts["cost"] = int(token.extras["cost"])
            access.note(f"bcrypt cost {token.extras['cost']} (2^{token.extras['cost']} rounds per guess)")
        elif token.extras.get("iterations"):
            access.facts["iterations"] = int(token.extras["iterations"])
            access.note(f"{token.extras['iterations']} PBKDF2 iterations per guess")
        else:
            rounds = _ROUNDS.match(token.secret)
            if rounds:
                access.facts["rounds"] = int(rounds.group(1))
        if scheme in _FAST:
            access.facts["fast_hash"] = True
            access.note(f"{scheme} is fast to compute: billions of guesses a second on one GPU")
        return access


detector = PasswordHashDetector()
