"""Replicate API tokens.

Format (replicate.com/docs/topics/security/api-tokens; Replicate is a GitHub secret scanning
partner): ``r8_`` + 37 alphanumerics, 40 characters in all.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern

PATTERNS = (
    Pattern(
        id="replicate.api_token",
        name="Replicate API token",
        regex=r"\b(?P<secret>r8_[A-Za-z0-9]{37})\b",
        keywords=("r8_",),
        kind="api_token",
        examples=(
            "REPLICATE_API_TOKEN=r8_VtEsGUzDOnapTXco7KlflyHDmIerKFbBD9MFM",
            'headers = {"Authorization": "Bearer r8_Lh08YNfc6atNd0ceiNNA3dzlq3mv2CtACuCWY"}',
        ),
        counterexamples=(
            "REPLICATE_API_TOKEN=r8_v68KKVSETcK0CUCDhbwPZkgyr7AEpu1VYvdU",  # 36 characters
            "REPLICATE_API_TOKEN=r8_AGO1JUd03frtBGKy6uh2tQhZzyIjbf2EyW1fUC8D",  # too long
            "var_r8_DOnRO4WrrpZDWs9Kp7UyUWZtBt01tYkAE13qQ",  # inside an identifier
            "REPLICATE_API_TOKEN=<your-token>",
        ),
    ),
)


class ReplicateDetector(Detector):
    provider = "replicate"
    title = "Replicate"
    patterns = PATTERNS
    revoke_url = "https://replicate.com/account/api-tokens"
    least_privilege = "create a separate token per deployment so that one can be revoked without the others"


detector = ReplicateDetector()
