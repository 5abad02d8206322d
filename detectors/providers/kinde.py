"""Kinde application client secrets.

Format: Kinde's application documentation
(docs.kinde.com/build/applications/add-and-manage-applications/): back-end and machine-to-machine
applications have a client ID and a client secret with no prefix, so a Kinde client-secret name must
stand in the assignment (``KINDE_CLIENT_SECRET``). The shape is not documented; this rule takes 32
to 64 alphanumerics. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum

_SECRET = fake("a62", 45, "kinde")

PATTERNS = (
    Pattern(
        id="kinde.client_secret",
        name="Kinde application client secret",
        regex=assigned(r"kinde[\w.\-]{0,30}?client[_.\-]?secret", r"[A-Za-z0-9]{32,64}", gap=10),
        keywords=("kinde",),
        kind="client_secret",
        validate=plausible_alnum,
        examples=(f"KINDE_CLIENT_SECRET={_SECRET}", f'kinde_client_secret: "{_SECRET}"'),
        counterexamples=("KINDE_CLIENT_SECRET=<your_kinde_client_secret>", "KINDE_CLIENT_SECRET=${KINDE_CLIENT_SECRET}",
                         f"KINDE_CLIENT_ID={_SECRET[:32]}", "KINDE_CLIENT_SECRET=" + "x" * 40),
    ),
)


class KindeDetector(Detector):
    provider = "kinde"
    title = "Kinde"
    patterns = PATTERNS
    revoke_url = "https://app.kinde.com/admin/cx/_:nav&m:applications"
    least_privilege = "authorize the machine-to-machine application for only the Kinde Management API scopes it calls"


detector = KindeDetector()
