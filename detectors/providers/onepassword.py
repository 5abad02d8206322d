"""1Password service account tokens, read offline; never sent anywhere.

Formats: detectors/rules/onepassword.toml. A service account token is ``ops_`` + unpadded base64url
of a JSON object (developer.1password.com/docs/service-accounts/security: "1Password generates all
the input" of the service account's two-secret key derivation, and the token carries it). Its
fields, as the CLI and SDKs read them: ``signInAddress`` (the account's sign-in host, e.g.
``my.1password.com``), ``email`` (the service account's generated address at
``1passwordserviceaccounts.com``), ``deviceUuid``, and key material: ``secretKey`` (the account
Secret Key), ``srpX`` (the SRP verifier input), ``muk`` (a JWK whose ``k`` is the master unlock
key), ``userAuth.salt`` and ``throttleSecret.seed``. Only the sign-in address and the e-mail are
reported; the key material is never read into a note, a fact or a report.

No lookup: 1Password documents no read-only HTTP endpoint that accepts the token. The CLI and the
SDKs sign in with an SRP-authenticated, end-to-end encrypted protocol (the security page above), so
tokenreach reports what the bytes say and never sends the token. A service account's permissions
are per vault (``read_items``, ``write_items``, ``share_items``: developer.1password.com/docs/cli/
reference/management-commands/service-account) plus, optionally, creating vaults; none of them is
in the token, so its capabilities stay unknown.
"""

from __future__ import annotations

import re

from tokenreach.detectors.base import Detector
from tokenreach.detectors.jwt import b64_json
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Token

PATTERNS = rules_for("onepassword")

# 1Password's sign-in hosts (my.1password.com, <team>.1password.ca / .eu, ent.1password.com): a
# value outside them is the scanned data's and is not repeated.
_SIGN_IN = re.compile(r"(?:[a-z0-9][a-z0-9-]{0,62}\.)*1password\.(?:com|ca|eu)")
_EMAIL = re.compile(r"[a-z0-9][a-z0-9._+-]{0,63}@1passwordserviceaccounts\.[a-z]{2,6}")
PERMISSIONS = ("read_items", "write_items", "share_items")


class OnePasswordDetector(Detector):
    provider = "onepassword"
    title = "1Password"
    patterns = PATTERNS
    revoke_url = "https://my.1password.com/developer-tools/directory"
    least_privilege = "create a service account with read-only access to the one vault this service needs"

    def classify(self, token: Token) -> Access:
        if token.kind == "secret_key":
            access = Access(evidence="prefix")
            return access.note("an account Secret Key (A3-…): half of what decrypts a 1Password "
                               "account, with its password; no API takes it alone")
        access = Access(evidence="offline", reach="account")
        body = b64_json(token.secret[len("ops_"):]) or {}
        address = body.get("signInAddress")
        email = body.get("email")
        address = address.lower() if isinstance(address, str) else ""
        email = email.lower() if isinstance(email, str) else ""
        if _SIGN_IN.fullmatch(address):
            access.facts["sign_in_address"] = address
        elif address:
            access.note("the token's sign-in address is not a 1Password host: not repeated")
        if _EMAIL.fullmatch(email):
            access.facts["service_account"] = email
        if access.facts:
            access.identity = " on ".join(
                v for v in (access.facts.get("service_account"), access.facts.get("sign_in_address")) if v)
        if "secretKey" in body or "muk" in body:
            access.facts["holds_key_material"] = True
        access.note("decoded offline: a service account token carries its account's sign-in address "
                    "and the keys that unlock the vaults shared with it")
        access.note("not looked up: 1Password documents no read-only HTTP endpoint for it (the CLI "
                    "and SDKs sign in over an SRP-authenticated protocol), so it is never sent; its "
                    f"per-vault permissions ({', '.join(PERMISSIONS)}) are not in the token: unknown")
        return access


detector = OnePasswordDetector()
