"""Doppler tokens.

Formats (docs.doppler.com/reference/auth-token-formats; Doppler is a GitHub secret scanning
partner): ``dp.<kind>.`` + 40 to 44 alphanumerics, where kind is ``pt`` (personal), ``ct`` (CLI),
``st`` (service token, read access to one config; ``dp.st.<config>.…`` names the config),
``sa`` (service account), ``scim`` and ``audit``.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern

_BODY = r"[A-Za-z0-9]{40,44}"
_END = r"(?:[^A-Za-z0-9_.-]|$)"


def _token(kind: str, name: str, examples: tuple[str, ...], counterexamples: tuple[str, ...],
           config: bool = False) -> Pattern:
    scope = r"(?:[a-z0-9_-]{2,35}\.)?" if config else ""
    return Pattern(
        id=f"doppler.{name}",
        name=f"Doppler {name.replace('_', ' ')}",
        regex=rf"\b(?P<secret>dp\.{kind}\.{scope}{_BODY}){_END}",
        keywords=(f"dp.{kind}.",),
        kind=name,
        examples=examples,
        counterexamples=counterexamples,
    )


PATTERNS = (
    _token(
        "pt", "personal_token",
        examples=("DOPPLER_TOKEN=dp.pt.B1QxIBnhh2ILQJNlwjzvQeTlauzfJXUNgprGxLSPmbo",),
        counterexamples=("DOPPLER_TOKEN=dp.pt.CKPU3uo1NkGRtIMpbrW1lwxit2Ooyu", "DOPPLER_TOKEN=dp.pt.xxxx"),
    ),
    _token(
        "ct", "cli_token",
        examples=("token: dp.ct.SYjgnvTAPvvLqZDdwdzutkUW6sRVCK54YVPj7L6QkRP",),
        counterexamples=("token: dp.ct.cWxwKfYpsw3mVpGvM78b",),
    ),
    _token(
        "st", "service_token",
        examples=(
            "DOPPLER_TOKEN=dp.st.ocwznqo7bGEVHoMzS5QRKNRrvuEJLq49siaN5ebCGmD",
            "export DOPPLER_TOKEN='dp.st.prd.4orQcUByWxViQROmbJ64fHZUDuzhH4OeF8OlH65Rqp3'",
        ),
        counterexamples=(
            "echo 'dp.st.prd.xxxx' | doppler configure set token",
            "DOPPLER_TOKEN=dp.st.fbO8jZ7YSoHobzMGBE4xHdVBuLTLbspcewMmv7eLJIOMuyMzE1Z",  # too long
        ),
        config=True,
    ),
    _token(
        "sa", "service_account_token",
        examples=("DOPPLER_TOKEN: dp.sa.yjBCaPGO2oft0bjNJOEgELlJo37zcTA9WrMwcw6bpSJ",),
        counterexamples=("dp.sa.NfF2ON9LShpdnUZEtvF813U6wEN147Izgu0meZr",),
    ),
    _token(
        "scim", "scim_token",
        examples=("scim_token = \"dp.scim.iBfORUpqiCU77t831PAzs4s8VBBOT7XOMNFgOIMgo0o\"",),
        counterexamples=("dp.scim.JLD9RbOy60If",),
    ),
    _token(
        "audit", "audit_token",
        examples=("AUDIT_TOKEN=dp.audit.ZkgZjU0Q0JhpoFtkmmEkuvEtPmfg09NTO5L7yKptn7u",),
        counterexamples=("dp.audit.xhK97rc4h7C2",),
    ),
)


class DopplerDetector(Detector):
    provider = "doppler"
    title = "Doppler"
    patterns = PATTERNS
    revoke_url = "https://dashboard.doppler.com/workplace/tokens"
    least_privilege = "create a service token with read access to the one config this service reads"


detector = DopplerDetector()
