"""Pulumi Cloud access tokens.

Format (pulumi.com/docs/pulumi-cloud/access-management/access-tokens; Pulumi is a GitHub secret
scanning partner): ``pul-`` + 40 lower-case hex digits, for personal, team and organization
tokens alike; the CLI reads it from ``PULUMI_ACCESS_TOKEN``.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern

PATTERNS = (
    Pattern(
        id="pulumi.access_token",
        name="Pulumi access token",
        regex=r"\b(?P<secret>pul-[a-f0-9]{40})\b",
        keywords=("pul-",),
        kind="access_token",
        examples=(
            "PULUMI_ACCESS_TOKEN=pul-f1af5c3d1c45e7c1ec210af67c9bda3ddae7c55b",
            "  env:\n    PULUMI_ACCESS_TOKEN: 'pul-76dbcab4585b0758a0c9e4e32c686a1b668bdb4f'",
        ),
        counterexamples=(
            "PULUMI_ACCESS_TOKEN=pul-8f6acc8df2a1dd6bf187c2fb95773b2b560a74b",  # 39 digits
            "PULUMI_ACCESS_TOKEN=pul-569d3f05219df654dc9a231c99d91c89bc8428226c0f",  # too long
            "PULUMI_ACCESS_TOKEN=pul-N50OAEFX1BPN4ZCWVDAQ6QHZ7U6XHK5EKDM76DYU",  # not hex
            "configpul-ad58585b770297f030c074797024f88759b96484",  # inside a word
        ),
    ),
)


class PulumiDetector(Detector):
    provider = "pulumi"
    title = "Pulumi Cloud"
    patterns = PATTERNS
    revoke_url = "https://app.pulumi.com/account/tokens"
    least_privilege = "create a team token for the team that owns only the stacks this pipeline deploys"


detector = PulumiDetector()
