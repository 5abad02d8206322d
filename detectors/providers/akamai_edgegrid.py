"""Akamai EdgeGrid API client credentials.

Format: Akamai's "Set up authentication credentials"
(techdocs.akamai.com/developer/docs/set-up-authentication-credentials) and the ``.edgerc`` file it
describes: ``client_secret`` (44 base64 characters ending ``=``), ``host``
(``akab-….luna.akamaiapis.net``, not secret), ``access_token`` and ``client_token`` (``akab-`` + 16
+ ``-`` + 16 lower-case alphanumerics). The tokens are reported as the identifying half; the client
secret is found in an ``.edgerc`` next to an ``akab-`` value or under an Akamai client-secret name
(``AKAMAI_CLIENT_SECRET``). Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import END, END_DOT, assigned, fake, plausible

_SECRET_BODY = r"[A-Za-z0-9+/]{43}="
_CLIENT_TOKEN = "akab-" + fake("a36", 16, "akamai-ct-a") + "-" + fake("a36", 16, "akamai-ct-b")
_ACCESS_TOKEN = "akab-" + fake("a36", 16, "akamai-at-a") + "-" + fake("a36", 16, "akamai-at-b")
_HOST = "akab-" + fake("a36", 16, "akamai-h-a") + "-" + fake("a36", 16, "akamai-h-b") + ".luna.akamaiapis.net"
_SECRET = fake("a62", 20, "akamai-secret-a") + "/" + fake("a62", 22, "akamai-secret-b") + "="
_EDGERC = (f"[default]\nclient_secret = {_SECRET}\nhost = {_HOST}\naccess_token = {_ACCESS_TOKEN}\n"
           f"client_token = {_CLIENT_TOKEN}\n")


def _secret_ok(secret: str) -> bool:
    return plausible(secret[:-1], 3.8)


PATTERNS = (
    Pattern(
        id="akamai_edgegrid.token",
        name="Akamai EdgeGrid client or access token",
        regex=r"(?:^|[^A-Za-z0-9_\-.])(?P<secret>akab-[a-z0-9]{16}-[a-z0-9]{16})" + END_DOT,
        keywords=("akab-",),
        kind="client_token",
        validate=lambda s: plausible(s[5:].replace("-", ""), 3.2),
        lookup=False,
        examples=(f"client_token = {_CLIENT_TOKEN}", f'AKAMAI_ACCESS_TOKEN="{_ACCESS_TOKEN}"'),
        counterexamples=(f"host = {_HOST}", "client_token = akab-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx",
                         "client_token = akab-XXXXXXXXXXXXXXXX-XXXXXXXXXXXXXXXX", "client_token = akab-xxxxx"),
    ),
    Pattern(
        id="akamai_edgegrid.client_secret",
        name="Akamai EdgeGrid client secret (.edgerc)",
        regex=r"client_secret[ \t]*=[ \t]*(?P<secret>" + _SECRET_BODY + r")[\s\S]{0,400}?akab-",
        keywords=("client_secret",),
        kind="client_secret",
        validate=_secret_ok,
        examples=(_EDGERC, f"[papi]\nclient_secret = {_SECRET}\nhost = {_HOST}\n"),
        counterexamples=("[default]\nclient_secret = xxxxxxxxxxxxxxxxxxxxxxxxxxxx+xxxxxxxxxxxxxx=\nhost = akab-xxxx",
                         f"client_secret = {_SECRET}\n"),
    ),
    Pattern(
        id="akamai_edgegrid.client_secret_after_host",
        name="Akamai EdgeGrid client secret (.edgerc, after the host)",
        regex=r"akab-[\s\S]{0,400}?client_secret[ \t]*=[ \t]*(?P<secret>" + _SECRET_BODY + r")" + END,
        keywords=("akab-",),
        kind="client_secret",
        validate=_secret_ok,
        examples=(f"[ccu]\nhost = {_HOST}\nclient_token = {_CLIENT_TOKEN}\nclient_secret = {_SECRET}\n",),
        counterexamples=("host = akab-xxxxx.luna.akamaiapis.net\nclient_token = akab-xxxxx\nclient_secret = xxxxx\n",),
    ),
    Pattern(
        id="akamai_edgegrid.client_secret_assigned",
        name="Akamai EdgeGrid client secret",
        regex=assigned(r"akamai[\w.\-]{0,20}?client[_.\-]?secret", _SECRET_BODY, gap=5),
        keywords=("akamai",),
        kind="client_secret",
        validate=_secret_ok,
        examples=(f'export AKAMAI_CLIENT_SECRET="{_SECRET}"', f"akamai_client_secret: {_SECRET}"),
        counterexamples=('export AKAMAI_CLIENT_SECRET="xxxx..."', "AKAMAI_CLIENT_SECRET=${AKAMAI_CLIENT_SECRET}"),
    ),
)


class AkamaiEdgeGridDetector(Detector):
    provider = "akamai_edgegrid"
    title = "Akamai EdgeGrid"
    patterns = PATTERNS
    revoke_url = "https://control.akamai.com/apps/identity-management/#/tabs/users/list"
    least_privilege = "create an API client with read-only access to only the APIs and groups it uses, and an expiry"


detector = AkamaiEdgeGridDetector()
