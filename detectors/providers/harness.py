"""Harness personal access tokens and service account tokens.

Format: Harness's API docs (developer.harness.io/docs/platform/automation/api/add-and-manage-api-
keys): tokens are ``pat.`` (personal access token) or ``sat.`` (service account token), then the
account ID (22 characters), ``.``, the token ID (24), ``.``, and a 20-character secret, sent as
``x-api-key``. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_alnum, prefixed

_PAT = "pat." + fake("b64url", 22, "harness-account") + "." + fake("a62", 24, "harness-id") + "." + fake(
    "a62", 20, "harness")
_SAT = "sat." + fake("b64url", 22, "harness-account-2") + "." + fake("a62", 24, "harness-id-2") + "." + fake(
    "a62", 20, "harness-2")

PATTERNS = (
    Pattern(
        id="harness.access_token",
        name="Harness personal access or service account token",
        regex=prefixed(r"(?P<token_type>pat|sat)\.(?P<account_id>[A-Za-z0-9_\-]{22})\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}"),
        keywords=("pat.", "sat."),
        kind="access_token",
        validate=lambda s: plausible_alnum(s.rsplit(".", 1)[1]),
        examples=(f"HARNESS_API_KEY={_PAT}", f"curl -H 'x-api-key: {_SAT}' https://app.harness.io/ng/api/user/currentUser"),
        counterexamples=(
            "HARNESS_API_KEY=" + _PAT[:-1],
            "HARNESS_API_KEY=pat.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxx",
            "compat." + _PAT[4:],  # inside a longer word
        ),
    ),
)


class HarnessDetector(Detector):
    provider = "harness"
    title = "Harness"
    patterns = PATTERNS
    revoke_url = "https://app.harness.io/ng/account/settings/access-control/service-accounts"
    least_privilege = ("use a service account token whose role binding covers only the project and pipelines it "
                       "runs, with an expiry")


detector = HarnessDetector()
