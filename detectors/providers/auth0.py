"""Auth0 client secrets and Management API tokens.

Formats: Auth0's application credentials documentation
(auth0.com/docs/get-started/applications/application-settings): a client secret is 64 base64url
characters; Management API access tokens (auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens)
are JWTs. Neither has a prefix, so an Auth0 name must stand in the assignment. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors import jwt
from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible

_SECRET = fake("b64url", 64, "auth0")
_JWT = ("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2FjbWUudXMuYXV0aDAuY29tLyIsImF1ZCI6Imh0dHBz"
        "Oi8vYWNtZS51cy5hdXRoMC5jb20vYXBpL3YyLyIsImV4cCI6MTg5MzQ1NjAwMCwic2NvcGUiOiJyZWFkOnVzZXJzIn0."
        + fake("b64url", 86, "auth0-sig"))

PATTERNS = (
    Pattern(
        id="auth0.client_secret",
        name="Auth0 application client secret",
        regex=assigned("auth0", r"[A-Za-z0-9_\-]{64}"),
        keywords=("auth0",),
        kind="client_secret",
        validate=lambda s: plausible(s, 4.0),
        examples=(f"AUTH0_CLIENT_SECRET={_SECRET}", f'auth0_secret: "{_SECRET}"'),
        counterexamples=("AUTH0_CLIENT_SECRET=" + _SECRET[:60], "AUTH0_CLIENT_SECRET=" + "x" * 64,
                         "AUTH0_CLIENT_SECRET={{ auth0_client_secret }}"),
    ),
    Pattern(
        id="auth0.management_token",
        name="Auth0 Management API token",
        regex=assigned("auth0", r"eyJ[A-Za-z0-9_\-]{10,2000}\.eyJ[A-Za-z0-9_\-]{10,4000}\.[A-Za-z0-9_\-]{20,1000}"),
        keywords=("auth0",),
        kind="management_token",
        validate=lambda s: jwt.claims(s) is not None,
        examples=(f"AUTH0_MANAGEMENT_TOKEN={_JWT}", f'auth0_api_token: "{_JWT}"'),
        counterexamples=("AUTH0_MANAGEMENT_TOKEN=eyJhbGciOiJIUzI1NiJ9.eyJub3Rqc29u.c2lnbmF0dXJlc2lnbmF0dXJl",),
    ),
)


class Auth0Detector(Detector):
    provider = "auth0"
    title = "Auth0"
    patterns = PATTERNS
    revoke_url = "https://manage.auth0.com/#/applications"
    least_privilege = ("grant the machine-to-machine application only the Management API scopes it calls "
                       "(read:users rather than all scopes) and rotate its client secret")


detector = Auth0Detector()
