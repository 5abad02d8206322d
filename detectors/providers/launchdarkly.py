"""LaunchDarkly API access tokens and server-side SDK keys.

Format: LaunchDarkly's docs (launchdarkly.com/docs/home/account/api, "API access tokens", and
launchdarkly.com/docs/sdk/concepts/client-side-server-side#keys): access tokens are ``api-`` + a
UUID, server-side SDK keys ``sdk-`` + a UUID. Mobile keys (``mob-``) and client-side IDs ship in apps
and are not reported. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible_hex, prefixed

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _uuid(seed: str) -> str:
    h = fake("hex", 32, seed)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_API = "api-" + _uuid("launchdarkly-api")
_SDK = "sdk-" + _uuid("launchdarkly-sdk")

PATTERNS = (
    Pattern(
        id="launchdarkly.access_token",
        name="LaunchDarkly API access token",
        regex=prefixed(r"api-" + _UUID),
        keywords=("api-",),
        kind="access_token",
        validate=lambda s: plausible_hex(s[4:].replace("-", "")),
        examples=(f"LAUNCHDARKLY_ACCESS_TOKEN={_API}", f"curl -H 'Authorization: {_API}' https://app.launchdarkly.com"),
        counterexamples=(
            "LD_API_KEY=api-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
            "LD_API_KEY=api-00000000-0000-0000-0000-000000000000",
            "x-api-" + _API[4:],  # inside a longer word
        ),
    ),
    Pattern(
        id="launchdarkly.sdk_key",
        name="LaunchDarkly server-side SDK key",
        regex=prefixed(r"sdk-" + _UUID),
        keywords=("sdk-",),
        kind="sdk_key",
        validate=lambda s: plausible_hex(s[4:].replace("-", "")),
        examples=(f"LAUNCHDARKLY_SDK_KEY={_SDK}", f'ldclient.set_config(Config("{_SDK}"))'),
        counterexamples=(
            "LAUNCHDARKLY_SDK_KEY=sdk-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
            "LAUNCHDARKLY_MOBILE_KEY=mob-" + _SDK[4:],  # mobile keys are public
            "LAUNCHDARKLY_SDK_KEY=" + _SDK[:-1],
        ),
    ),
)


class LaunchDarklyDetector(Detector):
    provider = "launchdarkly"
    title = "LaunchDarkly"
    patterns = PATTERNS
    revoke_url = "https://app.launchdarkly.com/settings/authorization"
    least_privilege = ("create a service access token with a custom role limited to reading the flags of one "
                       "project, and one SDK key per environment")


detector = LaunchDarklyDetector()
