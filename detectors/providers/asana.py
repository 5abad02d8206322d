"""Asana personal access tokens.

Format: Asana's personal access token guide (developers.asana.com/docs/personal-access-token):
tokens have a version digit and a slash in front: ``0/`` + 32 hex (legacy),
``1/<user gid>:<32 hex>`` and ``2/<user gid>/<app gid>:<32 hex>``. The shape has no literal long
enough to search for, so an Asana name must stand in the assignment. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, plausible_hex

PATTERNS = (
    Pattern(
        id="asana.personal_access_token",
        name="Asana personal access token",
        regex=assigned("asana", r"[12]/[0-9]{8,20}(?:/[0-9]{8,20})?:[0-9a-f]{32}|0/[0-9a-f]{32}"),
        keywords=("asana",),
        kind="personal_access_token",
        validate=lambda s: plausible_hex(s.rsplit(":", 1)[-1].rsplit("/", 1)[-1]),
        examples=(
            "ASANA_TOKEN=2/1204937125513324/1208116294020123:83076d6cf54de7c4956fd17bee91ccf4",
            'asana_access_token: "1/1199371255133241:83076d6cf54de7c4956fd17bee91ccf4"',
            "ASANA_PAT=0/83076d6cf54de7c4956fd17bee91ccf4",
        ),
        counterexamples=(
            "ASANA_TOKEN=2/1204937125513324/1208116294020123:83076d6cf54de7c4956fd17bee91ccf",  # 31 hex
            "ASANA_TOKEN=1/1199371255133241:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "ASANA_TOKEN=${ASANA_PAT}",
        ),
    ),
)


class AsanaDetector(Detector):
    provider = "asana"
    title = "Asana"
    patterns = PATTERNS
    revoke_url = "https://app.asana.com/0/my-apps"
    least_privilege = ("use a service account or OAuth app limited to the one workspace, instead of a "
                       "personal access token that carries all of its owner's access")


detector = AsanaDetector()
