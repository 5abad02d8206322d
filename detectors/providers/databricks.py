"""Databricks personal access tokens and service-principal OAuth secrets.

Formats: Databricks' personal access token documentation (docs.databricks.com/aws/en/dev-tools/auth/pat;
Databricks is a GitHub secret scanning partner): ``dapi`` + 32 hex digits, optionally ``-`` and one
digit (Azure Databricks workspaces). Service-principal OAuth secrets
(docs.databricks.com/aws/en/dev-tools/auth/oauth-m2m) are ``dose`` followed by the secret value,
32 hex digits. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_hex, prefixed

_PAT = "dapi" + fake("hex", 32, "databricks-pat")
_OAUTH = "dose" + fake("hex", 32, "databricks-oauth")

PATTERNS = (
    Pattern(
        id="databricks.personal_access_token",
        name="Databricks personal access token",
        regex=prefixed(r"dapi[a-f0-9]{32}(?:-[0-9])?"),
        keywords=("dapi",),
        kind="personal_access_token",
        validate=lambda s: plausible_hex(s[4:36]),
        examples=(f"DATABRICKS_TOKEN={_PAT}", f"token = {_PAT}-2"),
        counterexamples=("DATABRICKS_TOKEN=dapi123456789012345678a9bc01234defg5", "DATABRICKS_TOKEN=dapi" + "0" * 32,
                         "xdapi" + fake("hex", 32, "dbx-word"), "dapi" + fake("hex", 40, "dbx-long")),
    ),
    Pattern(
        id="databricks.oauth_secret",
        name="Databricks service principal OAuth secret",
        regex=prefixed(r"dose[a-f0-9]{32}"),
        keywords=("dose",),
        kind="oauth_secret",
        validate=lambda s: plausible_hex(s[4:]),
        examples=(f"DATABRICKS_CLIENT_SECRET={_OAUTH}", f'client_secret = "{_OAUTH}"'),
        counterexamples=("DATABRICKS_CLIENT_SECRET=doseXXXXXXXX-REPLACE-ME-XXXXXXXX",
                         "DATABRICKS_CLIENT_SECRET=dose0123456789abcdef0123456789abcdef",
                         "overdose" + fake("hex", 32, "dbx-od")),
    ),
)


class DatabricksDetector(Detector):
    provider = "databricks"
    title = "Databricks"
    patterns = PATTERNS
    revoke_url = "https://docs.databricks.com/aws/en/dev-tools/auth/pat#revoke-a-personal-access-token"
    least_privilege = "use a service principal with OAuth M2M and only the workspace entitlements and grants it needs"


detector = DatabricksDetector()
