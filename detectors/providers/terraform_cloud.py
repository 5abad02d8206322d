"""HCP Terraform (Terraform Cloud) and Terraform Enterprise API tokens.

Format (developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/api-tokens; HashiCorp
is a GitHub secret scanning partner): ``<14 alphanumerics>.atlasv1.<60 to 70 base64url characters>``,
for user, team, organization and audit trail tokens alike. The CLI keeps them in
``~/.terraform.d/credentials.tfrc.json`` or ``TF_TOKEN_app_terraform_io``.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern

PATTERNS = (
    Pattern(
        id="terraform_cloud.api_token",
        name="HCP Terraform / Terraform Enterprise API token",
        regex=r"\b(?P<secret>[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})(?:[^A-Za-z0-9_=-]|$)",
        keywords=(".atlasv1.",),
        kind="api_token",
        examples=(
            '{"credentials": {"app.terraform.io": {"token": "xGnHs37939wU7j.atlasv1.q3fzOKC9O1EaMd5JQ63Yu96yedTeIskCm'
            'hVQVFXL4ewTlIVogRK1WBrdS2eZC_2Sbbz"}}}',
            "TF_TOKEN_app_terraform_io=lXUjbVWrkxiRP0.atlasv1.P0pgIqM8hThX-sSBOzTrxfNpC5rMAlRliSJ1EMyvYXJvyyXuVFxJvS2"
            "Gkxrlj1PxQaG",
        ),
        counterexamples=(
            # 13-character id
            "dxjLJzo07RSrr.atlasv1.K8MSL8OzSX4dDE4qhpoF8zYQGskwCc_vF4aUlLRlw899s9XLE7XdzD1gHoqdqPbJQmE",
            "tIzEbOROYMh69M.atlasv1.jHQgvKEiOkLCOER9qgaovX0pOjIy5U0AwXYR_BYq",  # body too short
            # not the atlasv1 marker
            "Ns94cym9Oj3L1u.atlasv2.q1Exk17ZR5B5LxlSGjlv8VqHbZKFDJm-L7PD9Bp9j68IMX4sSI_pfQt5teJsdODFB_z",
        ),
    ),
)


class TerraformCloudDetector(Detector):
    provider = "terraform_cloud"
    title = "HCP Terraform"
    patterns = PATTERNS
    revoke_url = "https://app.terraform.io/app/settings/tokens"
    least_privilege = "create a team token for a team with access to only the workspaces this pipeline runs"


detector = TerraformCloudDetector()
