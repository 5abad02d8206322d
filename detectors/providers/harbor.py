"""Harbor robot account secrets.

Format: Harbor's robot account documentation (goharbor.io/docs/main/administration/robot-accounts/):
a robot account is named ``robot$<name>`` (``robot$<project>+<name>`` for project robots) and has a
generated 32-character alphanumeric secret used as the registry password. The secret has no prefix,
so it is found next to a ``robot$`` user in a ``docker login`` or where a Harbor name stands in the
assignment (``HARBOR_PASSWORD``, ``HARBOR_ROBOT_SECRET``). Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import END, assigned, fake, plausible_alnum

_SECRET = fake("a62", 32, "harbor")

PATTERNS = (
    Pattern(
        id="harbor.robot_secret",
        name="Harbor robot account secret",
        regex=assigned(r"harbor[\w.\-]{0,30}?(?:password|secret|token)", r"[A-Za-z0-9]{32}", gap=10),
        keywords=("harbor",),
        kind="robot_secret",
        validate=plausible_alnum,
        examples=(f"HARBOR_ROBOT_SECRET={_SECRET}", f'harbor_password: "{_SECRET}"'),
        counterexamples=("HARBOR_PASSWORD=Harbor12345", "HARBOR_PASSWORD=${HARBOR_PASSWORD}",
                         "HARBOR_ROBOT_SECRET=" + "x" * 32, f"HARBOR_ROBOT_SECRET={_SECRET[:28]}"),
    ),
    Pattern(
        id="harbor.robot_login",
        name="Harbor robot account secret (docker login)",
        regex=(r"""(?:-u|--username)[ =]['"]?robot\\?\$[A-Za-z0-9_.+\-]{1,100}['"]?\s+(?:-p|--password)[ =]['"]?"""
               r"(?P<secret>[A-Za-z0-9]{32})" + END),
        keywords=("robot$", "robot\\$"),
        kind="robot_secret",
        validate=plausible_alnum,
        examples=(f"docker login harbor.acme.test -u 'robot$ci+builder' -p '{_SECRET}'",
                  f"echo login --username=robot\\$deployer --password={_SECRET} registry.acme.test"),
        counterexamples=("docker login harbor.acme.test -u 'robot$ci+builder' -p \"$HARBOR_SECRET\"",
                         "docker login -u robot$ci -p " + "x" * 32),
    ),
)


class HarborDetector(Detector):
    provider = "harbor"
    title = "Harbor"
    patterns = PATTERNS
    revoke_url = "https://goharbor.io/docs/main/administration/robot-accounts/"
    least_privilege = "use a project robot account with only pull (or push) on the repositories it needs and an expiry"


detector = HarborDetector()
