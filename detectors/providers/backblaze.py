"""Backblaze B2 application keys.

Format: Backblaze's application keys documentation (backblaze.com/docs/cloud-storage-application-keys)
and the b2-sdk glossary (b2-sdk-python.readthedocs.io, "application key"): a standard application key
is ``K`` followed by three digits and 27 base64 characters (``K001…``); the master application key
is 40 to 42 hex digits and has no prefix, so it is found only where a B2/Backblaze name stands in
the assignment (``B2_APPLICATION_KEY``). Key IDs are identifiers and are not reported. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum, plausible_hex, prefixed

_KEY = "K005" + fake("a62", 12, "b2-a") + "/" + fake("a62", 14, "b2-b")
_MASTER = fake("hex", 42, "b2-master")

PATTERNS = (
    Pattern(
        id="backblaze.application_key",
        name="Backblaze B2 application key",
        regex=prefixed(r"K00[0-9][A-Za-z0-9+/]{27}"),
        keywords=("k00",),
        kind="application_key",
        validate=lambda s: plausible_alnum(s[4:].replace("/", "").replace("+", "")),
        examples=(f"B2_APPLICATION_KEY={_KEY}", f'b2 account authorize 005a1b2c3d4e5f60000000003 "{_KEY}"'),
        counterexamples=("B2_APPLICATION_KEY=K001" + "x" * 27, "K001" + fake("a62", 20, "b2-short"),
                         "XK001" + fake("a62", 27, "b2-word")),
    ),
    Pattern(
        id="backblaze.master_application_key",
        name="Backblaze B2 master application key",
        regex=assigned(r"(?:backblaze|\bb2)[\w.\-]{0,20}?(?:app(?:lication)?[_.\-]?key|secret)", r"[0-9a-f]{40,42}",
                       gap=10),
        keywords=("backblaze", "b2_", "b2."),
        kind="master_application_key",
        validate=plausible_hex,
        examples=(f"B2_APPLICATION_KEY={_MASTER}", f'backblaze_app_key: "{_MASTER}"'),
        counterexamples=(f"B2_APPLICATION_KEY_ID={_MASTER[:25]}", "B2_APPLICATION_KEY=${B2_APPLICATION_KEY}",
                         "B2_APPLICATION_KEY=" + "0" * 40),
    ),
)


class BackblazeDetector(Detector):
    provider = "backblaze"
    title = "Backblaze B2"
    patterns = PATTERNS
    revoke_url = "https://secure.backblaze.com/app_keys.htm"
    least_privilege = ("create an application key restricted to one bucket (and a file-name prefix) "
                       "with only the capabilities it uses")


detector = BackblazeDetector()
