"""Firebase Cloud Messaging legacy server keys and Google (Firebase) API keys.

Formats: FCM legacy server keys, shown under Project settings > Cloud Messaging in the Firebase
console and sent as ``Authorization: key=<server key>`` to the legacy HTTP API
(firebase.google.com/docs/cloud-messaging/auth-server; the legacy API was shut down in 2024, so a
live one is rare): ``AAAA`` + 7 base64url characters, ``:``, then ``APA91b`` + about 134 base64url
characters. Google API keys (cloud.google.com/docs/authentication/api-keys; Google is a GitHub
secret scanning partner, ``google_api_key``): ``AIza`` + 35 base64url characters, 39 in all; a
Firebase web config carries one as ``apiKey``. ``detectors/providers/gcp.py`` covers service-account JSON
keys only, so the API key lives here. A Firebase web API key is meant to ship in client code; it
still reaches (and bills) every API it is not restricted from. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake, plausible, prefixed

_FCM = "AAAA" + fake("b64url", 7, "fcm-id") + ":APA91b" + fake("b64url", 134, "fcm")
_API = "AIza" + fake("b64url", 35, "google-api-key")

PATTERNS = (
    Pattern(
        id="firebase.fcm_server_key",
        name="Firebase Cloud Messaging legacy server key",
        regex=prefixed(r"AAAA[A-Za-z0-9_\-]{7}:APA91b[A-Za-z0-9_\-]{120,160}"),
        keywords=(":apa91b",),
        kind="server_key",
        validate=lambda s: plausible(s.split(":", 1)[1][6:], 4.0),
        examples=(
            f"FCM_SERVER_KEY={_FCM}",
            f"headers = {{'Authorization': 'key={_FCM}', 'Content-Type': 'application/json'}}",
        ),
        counterexamples=(
            "FCM_SERVER_KEY=" + _FCM[:100],  # tail too short
            "FCM_SERVER_KEY=AAAAxxxxxxx:APA91b" + "x" * 134,
            "X" + _FCM,  # prefix inside a longer word
        ),
    ),
    Pattern(
        id="firebase.google_api_key",
        name="Google API key (Firebase apiKey)",
        regex=prefixed(r"AIza[0-9A-Za-z_\-]{35}"),
        keywords=("aiza",),
        kind="api_key",
        validate=lambda s: plausible(s[4:], 3.5),
        examples=(
            f"GOOGLE_API_KEY={_API}",
            f'const firebaseConfig = {{ apiKey: "{_API}", authDomain: "acme-app.firebaseapp.com" }};',
        ),
        counterexamples=(
            "GOOGLE_API_KEY=" + _API[:-1],  # 38 characters
            "GOOGLE_API_KEY=AIza" + "x" * 35,
            "MyAIza" + _API[4:],  # prefix inside a longer word
            "GOOGLE_API_KEY=${GOOGLE_API_KEY}",
        ),
    ),
)


class FirebaseDetector(Detector):
    provider = "firebase"
    title = "Firebase / Google API keys"
    patterns = PATTERNS
    revoke_url = "https://console.cloud.google.com/apis/credentials"
    least_privilege = ("restrict the API key to the APIs it calls and to the app's referrers or bundle IDs, and send "
                       "FCM messages through the HTTP v1 API with a service account instead of a server key")


detector = FirebaseDetector()
