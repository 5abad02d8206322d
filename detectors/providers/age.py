"""age encryption identities (X25519 secret keys).

Format (the age specification, github.com/C2SP/C2SP/blob/main/age.md, "The X25519 recipient
type"): an identity is the Bech32 encoding, upper-cased, of the 32-byte scalar with the
human-readable part ``AGE-SECRET-KEY-``: ``AGE-SECRET-KEY-1`` + 58 Bech32 characters, the last six a
BCH checksum that is verified here. Whoever holds it decrypts every file encrypted to its recipient.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern

_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_GEN = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _polymod(values: list[int]) -> int:
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i, g in enumerate(_GEN):
            chk ^= g if (top >> i) & 1 else 0
    return chk


def bech32_ok(secret: str) -> bool:
    """True when the Bech32 checksum (BIP 173) of the identity verifies. Never raises."""
    s = secret.lower()
    hrp, sep, data = s.rpartition("1")
    if not sep or not hrp or any(c not in _CHARSET for c in data):
        return False
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    return _polymod(expanded + [_CHARSET.index(c) for c in data]) == 1


PATTERNS = (
    Pattern(
        id="age.identity",
        name="age secret key (X25519 identity)",
        regex=r"\b(?P<secret>AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b",
        keywords=("age-secret-key-1",),
        kind="identity",
        validate=bech32_ok,
        lookup=False,
        examples=(
            "# created: 2024-05-01T10:00:00Z\n# public key: age1...\nAGE-SECRET-KEY-18JTCKG27A2D8NGY5ZZDS86XK0PPG6WE3"
            "L6MH3ZKK33UKTG7UYCAS2G28WS",
            "SOPS_AGE_KEY=AGE-SECRET-KEY-15GNDAMV9VW7S827XZQ5V9AVHPFXUWP7JM4Z8NX9CA0SX8DKFADKSRCLKW5",
        ),
        counterexamples=(
            "AGE-SECRET-KEY-18JTCKG27A2D8NGY5ZZDS86XK0PPG6WE3L6MH3ZKK33UKTG7UYCAS2G28WQ",  # checksum fails
            "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ",
            "AGE-SECRET-KEY-1XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",  # too short
        ),
    ),
)


class AgeDetector(Detector):
    provider = "age"
    title = "age"
    patterns = PATTERNS
    revoke_url = "https://github.com/FiloSottile/age#readme"
    least_privilege = (
        "generate a new identity with age-keygen, re-encrypt the files to its recipient and keep the "
        "identity in a secret manager, never in the repository"
    )


detector = AgeDetector()
