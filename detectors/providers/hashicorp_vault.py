"""HashiCorp Vault tokens.

Formats (developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes; HashiCorp is a GitHub
secret scanning partner): since Vault 1.10, service tokens are ``hvs.`` + 90 or more base64url
characters, batch tokens ``hvb.`` + 138 or more, recovery tokens ``hvr.``. Before 1.10 a service
token was ``s.`` + 24 alphanumerics (``b.`` batch, ``r.`` recovery), recognisable only next to a
Vault name such as ``VAULT_TOKEN``.
"""

from __future__ import annotations

import re

from tokenreach.detectors.base import Detector, Pattern

_END = r"(?:[^A-Za-z0-9_.-]|$)"
_ASSIGN = r"""['"]?\s*(?::=|=>|[:=])\s*['"]?"""


def _mixed(secret: str) -> bool:
    body = secret.split(".", 1)[1]
    return bool(re.search(r"[0-9]", body) and re.search(r"[A-Z]", body) and re.search(r"[a-z]", body))


PATTERNS = (
    Pattern(
        id="hashicorp_vault.service_token",
        name="HashiCorp Vault service token",
        regex=rf"\b(?P<secret>hvs\.[A-Za-z0-9_-]{{90,250}}){_END}",
        keywords=("hvs.",),
        kind="service_token",
        validate=_mixed,
        examples=(
            "VAULT_TOKEN=hvs.Y7iGTzmOMyeMxOT5aHpKFG6rlSMLwAnPGo4S_V7VpdYPDTB7xfA6Ux4e1TV45fb7J-Icv0PKGM-ubduxJoKR3azE"
            "Be20MCo",
            'vault { token = "hvs.AW0awiuRDFqiuoGMkf-XZAV_0ZF0VpWm4SGwq7RoHhnmFFraDFxvSnuiy3GTeRcDUmJmorjuJDAaMrX-PfI'
            'XL1EYfkJQFkeZYan8nEMmPkW8XEan27BOR7Yo_Gcs1sX7K34uuSH2p-HJnogd10BCNuyictwCujIBBl-cai9L3svZA7COTDVaLm" }',
        ),
        counterexamples=(
            "VAULT_TOKEN=hvs.puTSHp3Mwetdn_gdIzM2CRUj9wLihNDIkYS4Nlwz",  # too short
            "VAULT_TOKEN=hvs.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            "xxxxxxx",
            # inside a word
            "chvs.LHOVh699DzrmKr6IaQ7m8LMAlslKvT0F-Gr67iqkEh_KTwVIC9UYU7hS0OtU5r0XWEkbxArFv2NxudnxLT26WkWo00dbjVs",
        ),
    ),
    Pattern(
        id="hashicorp_vault.batch_token",
        name="HashiCorp Vault batch token",
        regex=rf"\b(?P<secret>hvb\.[A-Za-z0-9_-]{{138,400}}){_END}",
        keywords=("hvb.",),
        kind="batch_token",
        validate=_mixed,
        examples=(
            "VAULT_TOKEN=hvb.Qq5-0oJ0XmuPLF7_Dyu8tLZuv0gU7P37MqmH15guuwKfUxiZ4ZcVSchma17a86L2yThGKoTz0N7oY6IxhVlhCkEu"
            "ZX9tjlZOeM1hRz775wIOnN8y85vIl7r7LtvK--381R5JaLuWRgQ169CyhynTBK",
        ),
        counterexamples=(
            "VAULT_TOKEN=hvb.bBHNfuyAL49VxpVncU1lttepoRIWYIaeQqg5PSKaS9cOEmae4tSP_fKvffsTxdrRe9E97bkZuXVbx9Mla03ZMzEw"
            "CE",
        ),
    ),
    Pattern(
        id="hashicorp_vault.recovery_token",
        name="HashiCorp Vault recovery token",
        regex=rf"\b(?P<secret>hvr\.[A-Za-z0-9_-]{{90,250}}){_END}",
        keywords=("hvr.",),
        kind="recovery_token",
        validate=_mixed,
        examples=(
            "VAULT_RECOVERY_TOKEN=hvr.cbtqkLeMHXPaIip5WVqmyKVH78ScCrsiZ8aGOcFDmSIBxDH7VtjwvqnPajvJS9qU9iHAeNCyfFgelSF"
            "XXt_K3YPEcvsz8Qr",
        ),
        counterexamples=("hvr.Fp3RsC22ak4zDPvgx1_w",),
    ),
    Pattern(
        id="hashicorp_vault.legacy_token",
        name="HashiCorp Vault token (before 1.10)",
        regex=rf"(?i:vault)[\w.-]{{0,20}}?(?i:token){_ASSIGN}(?P<secret>[sbr]\.[A-Za-z0-9]{{24}})\b",
        keywords=("vault",),
        kind="legacy_token",
        validate=_mixed,
        examples=("export VAULT_TOKEN=s.6SExPNgHqCNJiz1hT1rGMv76", 'vault_token: "s.pPY99ReYxXrj8glH6tPuOMJu"'),
        counterexamples=(
            "VAULT_TOKEN=s.Oq4yPxWCvk7BJTg1d1qw",  # too short
            "token = s.UNCAjzi8vNekAlEDEiewJUG8",  # no Vault name
            "VAULT_TOKEN=${VAULT_TOKEN}",
        ),
    ),
)


class VaultDetector(Detector):
    provider = "hashicorp_vault"
    title = "HashiCorp Vault"
    patterns = PATTERNS
    revoke_url = "https://developer.hashicorp.com/vault/docs/commands/token/revoke"
    least_privilege = (
        "issue a short-lived token from an auth method (AppRole, JWT/OIDC, Kubernetes) bound to a policy "
        "that reads only this service's paths"
    )


detector = VaultDetector()
