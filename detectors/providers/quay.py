"""Quay robot account tokens.

Format: Quay's robot accounts documentation (docs.quay.io/glossary/robot-accounts.html, and the
"Docker Login" snippet the UI shows: ``docker login -u="<org>+<robot>" -p="<token>" quay.io``):
robot tokens are 64 upper-case letters and digits with no prefix, so they are found in such a login
next to ``quay.io`` or where a Quay name stands in the assignment (``QUAY_PASSWORD``,
``QUAY_ROBOT_TOKEN``). Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum

_TOKEN = (fake("HEX", 20, "quay-a") + fake("a62", 44, "quay-b")).upper()

PATTERNS = (
    Pattern(
        id="quay.robot_token",
        name="Quay robot account token",
        regex=assigned(r"quay[\w.\-]{0,30}?(?:password|token|secret)", r"[A-Z0-9]{64}", gap=10),
        keywords=("quay",),
        kind="robot_token",
        validate=plausible_alnum,
        examples=(f"QUAY_ROBOT_TOKEN={_TOKEN}", f'quay_password: "{_TOKEN}"'),
        counterexamples=("QUAY_PASSWORD=${QUAY_PASSWORD}", "QUAY_ROBOT_TOKEN=" + "X" * 64,
                         f"QUAY_ROBOT_TOKEN={_TOKEN[:50]}", f"QUAY_ROBOT_TOKEN={_TOKEN.lower()}"),
    ),
    Pattern(
        id="quay.robot_login",
        name="Quay robot account token (docker login)",
        regex=(r"""(?:-u|--username)[ =]['"]?[a-z0-9_]{2,255}\+[a-z0-9_]{1,255}['"]?\s+(?:-p|--password)[ =]['"]?"""
               r"""(?P<secret>[A-Z0-9]{64})['"]?\s+quay\.io\b"""),
        keywords=("quay.io",),
        kind="robot_token",
        validate=plausible_alnum,
        examples=(f'docker login -u="acme+ci_pusher" -p="{_TOKEN}" quay.io',
                  f"podman login --username acme+deploy --password {_TOKEN} quay.io"),
        counterexamples=('docker login -u="acme+ci_pusher" -p="$QUAY_TOKEN" quay.io',
                         f'docker login -u="acme+ci_pusher" -p="{_TOKEN}" registry.acme.test'),
    ),
)


class QuayDetector(Detector):
    provider = "quay"
    title = "Quay"
    patterns = PATTERNS
    revoke_url = "https://quay.io/organization/"
    least_privilege = "use a robot account with read (or write) permission on only the repositories it pulls or pushes"


detector = QuayDetector()
