"""env0 API key secrets.

Format: env0's API documentation (docs.env0.com/reference/authentication): an API key is an ID and a
secret used with HTTP Basic authentication; the secret (32 alphanumerics) has no prefix, so an env0
secret name must stand in the assignment (``ENV0_API_SECRET``). Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum

_SECRET = fake("a62", 32, "env0")

PATTERNS = (
    Pattern(
        id="env0.api_secret",
        name="env0 API key secret",
        regex=assigned(r"\benv0[\w.\-]{0,30}?secret", r"[A-Za-z0-9]{32}", gap=10),
        keywords=("env0",),
        kind="api_secret",
        validate=plausible_alnum,
        examples=(f"ENV0_API_SECRET={_SECRET}", f'export ENV0_API_SECRET="{_SECRET}"'),
        counterexamples=('ENV0_API_SECRET="..."', "ENV0_API_SECRET=your-api-secret-here",
                         f"ENV0_API_KEY={_SECRET}", f"ENV0_API_SECRET={_SECRET[:24]}"),
    ),
)


class Env0Detector(Detector):
    provider = "env0"
    title = "env0"
    patterns = PATTERNS
    revoke_url = "https://app.env0.com/organization-settings/api-keys"
    least_privilege = ("create an organization API key with the Viewer role, or a project-scoped key, "
                       "unless it must deploy")


detector = Env0Detector()
