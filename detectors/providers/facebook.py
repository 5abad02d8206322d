"""Facebook / Meta Graph API access tokens and app secrets.

Formats: Meta's access token docs (developers.facebook.com/docs/facebook-login/guides/access-tokens)
document user, page and system-user tokens without a format; in practice they start ``EAA`` and
run to 100 to 250 alphanumerics. ``EAA`` alone is too short a prefix (Square tokens start ``EAAA``), so
a token is taken only next to a Facebook/FB/Meta name or in the ``access_token`` parameter of a
``graph.facebook.com`` URL. App secrets (App settings > Basic) are 32 hex characters, taken next
to an ``app_secret`` name. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import ASSIGN, END, assigned, fake, plausible, plausible_hex

_TOKEN = "EAAG" + fake("a62", 180, "facebook")
_PAGE = "EAAM" + fake("a62", 140, "facebook-page")
_SECRET = fake("hex", 32, "facebook-secret")

PATTERNS = (
    Pattern(
        id="facebook.access_token",
        name="Facebook / Meta access token",
        regex=assigned(r"(?:facebook|fb[_.\-]|meta[_.\-])", r"EAA[A-Za-z0-9]{80,400}"),
        keywords=("facebook", "fb_", "fb-", "fb.", "meta_", "meta-", "meta."),
        kind="access_token",
        validate=lambda s: plausible(s, 4.0),
        examples=(f"FACEBOOK_ACCESS_TOKEN={_TOKEN}", f'META_PAGE_ACCESS_TOKEN: "{_PAGE}"'),
        counterexamples=(
            "FACEBOOK_ACCESS_TOKEN=EAA" + fake("a62", 40, "fb-short"),  # too short
            "FACEBOOK_ACCESS_TOKEN=${FACEBOOK_ACCESS_TOKEN}",
            "FB_ACCESS_TOKEN=EAA" + "x" * 120,
        ),
    ),
    Pattern(
        id="facebook.graph_access_token",
        name="Facebook / Meta access token (Graph API URL)",
        regex=(r"graph\.facebook\.com/[^\s\"'<>]{0,200}?[?&]access_token=(?P<secret>EAA[A-Za-z0-9]{80,400})"
               + END),
        keywords=("graph.facebook.com",),
        kind="access_token",
        validate=lambda s: plausible(s, 4.0),
        examples=(
            f"curl 'https://graph.facebook.com/v19.0/me?fields=id,name&access_token={_TOKEN}'",
            f'url = "https://graph.facebook.com/v19.0/1234567890/feed?access_token={_PAGE}"',
        ),
        counterexamples=(
            "https://graph.facebook.com/v19.0/me?access_token={token}",
            "https://graph.facebook.com/v19.0/me?access_token=EAA" + "A" * 100,
        ),
    ),
    Pattern(
        id="facebook.app_secret",
        name="Facebook / Meta app secret",
        regex=(r"(?i:(?:facebook|fb|meta)[_.\-]?app[_.\-]?secret)[\w.\-]{0,20}" + ASSIGN
               + r"(?P<secret>[0-9a-f]{32})" + END),
        keywords=("app_secret", "app-secret", "app.secret", "appsecret"),
        kind="app_secret",
        validate=plausible_hex,
        examples=(f"FACEBOOK_APP_SECRET={_SECRET}", f"'fb_app_secret' => '{_SECRET}',"),
        counterexamples=(
            "FACEBOOK_APP_ID=1234567890123456",
            "FACEBOOK_APP_SECRET=" + _SECRET[:-1],
            "FB_APP_SECRET=" + "0" * 32,
        ),
    ),
)


class FacebookDetector(Detector):
    provider = "facebook"
    title = "Facebook / Meta"
    patterns = PATTERNS
    revoke_url = "https://developers.facebook.com/apps/"
    least_privilege = ("use a system-user token with only the permissions and assets (one page or ad account) it "
                       "needs, with an expiry, and enable 'Require app secret' (appsecret_proof)")


detector = FacebookDetector()
