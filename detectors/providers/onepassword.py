"""1Password service account tokens and account Secret Keys.

Formats (developer.1password.com/docs/service-accounts; 1Password is a GitHub secret scanning
partner): a service account token is ``ops_`` + unpadded base64url of a JSON object holding the
sign-in address, the account's Secret Key and the key material (about a thousand characters). An
account Secret Key (support.1password.com/secret-key-security) is ``A3-`` + six dash-separated
groups of upper-case alphanumerics; it is half of what decrypts the account.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.jwt import b64_json


def _service_account_payload(secret: str) -> bool:
    obj = b64_json(secret[len("ops_"):])
    return obj is not None and ("signInAddress" in obj or "secretKey" in obj)


PATTERNS = (
    Pattern(
        id="onepassword.service_account_token",
        name="1Password service account token",
        regex=r"\b(?P<secret>ops_eyJ[A-Za-z0-9_-]{200,3000})",
        keywords=("ops_eyj",),
        kind="service_account_token",
        validate=_service_account_payload,
        examples=(
            "OP_SERVICE_ACCOUNT_TOKEN=ops_eyJzaWduSW5BZGRyZXNzIjoibXkuMXBhc3N3b3JkLmNvbSIsInVzZXJBdXRoIjp7Im1ldG"
            "hvZCI6IlNSUGctNDA5NiIsImFsZyI6IlBCRVMyZy1IUzI1NiIsIml0ZXJhdGlvbnMiOjY1MDAwMCwic2FsdCI6Imcyc3llOWIyUmFu"
            "bjc2ZEV5VHpBZUsifSwiZW1haWwiOiJ1Z3l2aWtjamthbnlAMXBhc3N3b3Jkc2VydmljZWFjY291bnRzLmNvbSIsInNycFgiOiIzND"
            "czMDFlZjU2ZTY0ZGMzY2Q2MDg5MDY1YzMxNDZlODBhOWMyMjI2NzBiYmU0ZjRjNTQ5Nzc2NTZjZjJkMTMzIiwibXVrIjp7ImFsZyI6"
            "IkEyNTZHQ00iLCJleHQiOnRydWUsImsiOiJjRzlxcFZUenFBMDVNRnNIbDdVZWlvRUpQMk5OZXJuNjZuVmJlckFDcGRjIiwia2V5X2"
            "9wcyI6WyJlbmNyeXB0IiwiZGVjcnlwdCJdLCJrdHkiOiJvY3QiLCJraWQiOiJtcCJ9LCJzZWNyZXRLZXkiOiJBMy1MU1g3SUYtWEky"
            "VjdJLUNCNFdULUNCRTRFLVRVSUVFLTI4WENJIiwidGhyb3R0bGVTZWNyZXQiOnsic2VlZCI6ImFiMmYyZDBmMGNjMDIyMjM4ZGFjZW"
            "VlMjA5MmYwNzNmZjgwYjk0NjVhZWY3YWM4NmQ2NmM3YTY0NGZiMTI4NTMiLCJ1dWlkIjoiMjRSTjBZNzVVMlVFQ1JDUldUQklaM01C"
            "UlAifSwiZGV2aWNlVXVpZCI6ImpkaDJnOHhlbW00cWxhNDhjbG9ydzg3Nmt6In0",
        ),
        counterexamples=(
            "OP_SERVICE_ACCOUNT_TOKEN=ops_eyJhbGciOiJIUzI1NiJ9",  # too short
            "OP_SERVICE_ACCOUNT_TOKEN=<service account token>",
        ),
    ),
    Pattern(
        id="onepassword.secret_key",
        name="1Password account Secret Key",
        regex=r"\b(?P<secret>A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})\b",
        keywords=("a3-",),
        kind="secret_key",
        lookup=False,
        examples=("OP_SECRET_KEY=A3-XPIOEF-6V5EPQ-WIT7D-JLB1B-VEB7M-VU6QT",),
        counterexamples=(
            "A3-W7XPUH-5HW1ZR-XKCKW-6EEPA",  # too few groups
            "A3-7dhfie-h8d7xi-qimm1-6cbfa-zjey9-unfai",  # lower case
        ),
    ),
)


class OnePasswordDetector(Detector):
    provider = "onepassword"
    title = "1Password"
    patterns = PATTERNS
    revoke_url = "https://my.1password.com/developer-tools/directory"
    least_privilege = "create a service account with read-only access to the one vault this service needs"


detector = OnePasswordDetector()
