"""Azure DevOps personal access tokens.

Formats: Microsoft Purview's "Azure DevOps personal access token" definition
(learn.microsoft.com/purview/sit-defn-azure-devops-personal-access-token) and the Sprint 241 release
notes: PATs issued since 2024 are 84 alphanumerics with the fixed signature ``AZDO`` at positions
77-80. Older PATs are 52 lower-case base32 characters with no signature, found only where an Azure
DevOps name stands in the assignment (``AZURE_DEVOPS_EXT_PAT``, ``ADO_PAT``, ``VSTS_TOKEN``).
Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible, plausible_alnum, prefixed

_PAT = fake("a62", 52, "azdo-random") + "JQQJ99" + fake("a62", 18, "azdo-meta") + "AZDO" + fake("a62", 4, "azdo-sum")
_B32 = "abcdefghijklmnopqrstuvwxyz234567"
_LEGACY = "".join(_B32[int(c, 16) * 2 + (i % 2)] for i, c in enumerate(fake("hex", 52, "azdo-legacy")))


def _legacy_ok(secret: str) -> bool:
    return plausible(secret, 3.5) and any(c.isdigit() for c in secret) and any(c.isalpha() for c in secret)


PATTERNS = (
    Pattern(
        id="azure_devops.personal_access_token",
        name="Azure DevOps personal access token",
        regex=prefixed(r"[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}"),
        keywords=("azdo",),
        kind="personal_access_token",
        validate=lambda s: plausible_alnum(s[:52]),
        examples=(f"AZURE_DEVOPS_EXT_PAT={_PAT}", f'PAT = "{_PAT}"'),
        counterexamples=("abcdefghijklmnopqrstuvwxyz012345679ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnoAZDOabcd",
                         "x" * 76 + "AZDO" + "abcd", _PAT[:-1], "A" + _PAT),
    ),
    Pattern(
        id="azure_devops.legacy_personal_access_token",
        name="Azure DevOps personal access token (52 characters)",
        regex=assigned(r"(?:azure[_.\-]?devops|\bado|\bazdo|\bvsts)[\w.\-]{0,20}?(?:pat|token)", r"[a-z2-7]{52}",
                       gap=10),
        keywords=("devops", "ado", "azdo", "vsts"),
        kind="personal_access_token",
        validate=_legacy_ok,
        examples=(f"AZURE_DEVOPS_EXT_PAT={_LEGACY}", f'ADO_PAT: "{_LEGACY}"', f"VSTS_TOKEN={_LEGACY}"),
        counterexamples=(f"AZURE_DEVOPS_EXT_PAT={_LEGACY[:40]}", "AZURE_DEVOPS_EXT_PAT=$(System.AccessToken)",
                         "ADO_PAT=" + "a" * 52, f"AVOCADO_PAT={_LEGACY}"),
    ),
)


class AzureDevOpsDetector(Detector):
    provider = "azure_devops"
    title = "Azure DevOps"
    patterns = PATTERNS
    revoke_url = "https://dev.azure.com/_usersSettings/tokens"
    least_privilege = ("create an organization-scoped PAT with only the scopes it uses (Code: Read, Packaging: "
                       "Read) and the shortest expiry, or use a managed identity")


detector = AzureDevOpsDetector()
