"""Grafana service account tokens, Grafana Cloud access policy tokens and legacy API keys.

Formats (grafana.com/docs/grafana/latest/administration/service-accounts and
grafana.com/docs/grafana-cloud/account-management/authentication-and-permissions/access-policies;
Grafana Labs is a GitHub secret scanning partner): service account tokens are ``glsa_`` + 32
alphanumerics + ``_`` + 8 hex (a checksum); Grafana Cloud access policy tokens are ``glc_`` +
base64 of a JSON object naming the org (``o``), token name (``n``) and key (``k``); legacy API keys
(deprecated) are base64 of ``{"k":"…","n":"…","id":…}`` and so always begin ``eyJrIjoi``.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.jwt import b64_json

_END = r"(?:[^A-Za-z0-9+/=_-]|$)"


def _json_with(*fields: str):
    def check(secret: str) -> bool:
        obj = b64_json(secret.split("_", 1)[1] if secret.startswith("glc_") else secret)
        return obj is not None and all(f in obj for f in fields)
    return check


PATTERNS = (
    Pattern(
        id="grafana.service_account_token",
        name="Grafana service account token",
        regex=r"\b(?P<secret>glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})\b",
        keywords=("glsa_",),
        kind="service_account_token",
        examples=(
            "GRAFANA_TOKEN=glsa_7toNyyODsY1wu3uNMbL87fZxtcGrtHwc_0a33924e",
            'grafana:\n  auth: "glsa_OwSqcXJg2EWOWAkJ1EuLfpwDTQs5ewLO_1d74e99a"',
        ),
        counterexamples=(
            "GRAFANA_TOKEN=glsa_MLY81B6LjwWYbq3iUjYFh4vn4HENqziw",  # no checksum part
            "GRAFANA_TOKEN=glsa_TNiqfr5UXg92BeqiWC93XvT3VugWDHnR_9NLBLTRQzz",  # checksum not hex
        ),
    ),
    Pattern(
        id="grafana.cloud_access_policy_token",
        name="Grafana Cloud access policy token",
        regex=rf"\b(?P<secret>glc_eyJ[A-Za-z0-9+/]{{40,400}}={{0,2}}){_END}",
        keywords=("glc_eyj",),
        kind="access_policy_token",
        validate=_json_with("o", "k"),
        examples=(
            "GRAFANA_CLOUD_ACCESS_POLICY_TOKEN=glc_eyJvIjoiODcxMjM0IiwibiI6InN0YWNrLTY1NDMyMS1obS1yZWFkLWRlcGxveSIs"
            "ImsiOiJ6OUNQVk5Qa05hMUhlZGNtNHBNYlhEdUMiLCJtIjp7InIiOiJwcm9kLXVzLWVhc3QtMCJ9fQ==",
        ),
        counterexamples=(
            # base64 of {"a":"not a grafana token payload at all"}
            "glc_eyJhIjoibm90IGEgZ3JhZmFuYSB0b2tlbiBwYXlsb2FkIGF0IGFsbCJ9",
        ),
    ),
    Pattern(
        id="grafana.api_key",
        name="Grafana API key (legacy)",
        regex=rf"\b(?P<secret>eyJrIjoi[A-Za-z0-9+/]{{40,200}}={{0,2}}){_END}",
        keywords=("eyjrijoi",),
        kind="api_key",
        validate=_json_with("k", "n", "id"),
        examples=(
            "GRAFANA_API_KEY=eyJrIjoiTDFtSG9Pc0ZhUWZEUHJBSjcxZlRxdVdvR3NiZUtYZ3oiLCJuIjoiZGVwbG95IiwiaWQiOjF9",
        ),
        counterexamples=(
            # base64 of {"k":"short"} without name and id
            "eyJrIjoic2hvcnQiLCJ4IjoiYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoifQ==",
        ),
    ),
)


class GrafanaDetector(Detector):
    provider = "grafana"
    title = "Grafana"
    patterns = PATTERNS
    revoke_url = "https://grafana.com/orgs"
    least_privilege = (
        "create a service account with the Viewer role (or an access policy with only the read scopes "
        "of one stack) and a token that expires"
    )


detector = GrafanaDetector()
