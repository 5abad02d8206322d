"""Buildkite API access tokens and agent tokens.

Formats (buildkite.com/docs/platform/security/tokens; Buildkite is a GitHub secret scanning
partner): ``bkua_`` API access tokens (since March 2023: ``bkua_`` + 40 hex, newer ones with a
short base64 id and a dot, ``bkua_MTA.<40 hex>``), ``bkaa_`` agent session tokens, ``bkaj_`` agent
job tokens (a signed JWT after the prefix), ``bkar_`` unclustered agent registration tokens and
``bkct_`` cluster agent tokens. Older agent tokens have no prefix and are found only as the value
of ``BUILDKITE_AGENT_TOKEN``.
"""

from __future__ import annotations

import re

from tokenreach.detectors.base import Detector, Pattern

_END = r"(?:[^A-Za-z0-9_.-]|$)"
_ID = r"(?:[A-Za-z0-9]{2,8}\.)?"


def _random(secret: str) -> bool:
    body = secret.rsplit(".", 1)[-1].split("_", 1)[-1]
    return len(set(body)) >= 10 and bool(re.search(r"[0-9]", body)) and bool(re.search(r"[a-zA-Z]", body))


def _agent(prefix: str, name: str, example: str) -> Pattern:
    return Pattern(
        id=f"buildkite.{name}",
        name=f"Buildkite {name.replace('_', ' ')}",
        regex=rf"\b(?P<secret>{prefix}_{_ID}[A-Za-z0-9]{{40,120}}){_END}",
        keywords=(f"{prefix}_",),
        kind=name,
        validate=_random,
        lookup=False,
        examples=(example,),
        counterexamples=(
            f"{prefix}_z0ooUO2FfYJYfQ0NNBaI",  # too short
            f"x{prefix}_li7C7TLP7n4kQG8no6TLEpCP6zCdXV7054Is9YuHbG8NWkAS9VQZ4bbPdAJq",  # inside a word
        ),
    )


PATTERNS = (
    Pattern(
        id="buildkite.api_access_token",
        name="Buildkite API access token",
        regex=rf"\b(?P<secret>bkua_{_ID}[a-f0-9]{{40}}){_END}",
        keywords=("bkua_",),
        kind="api_access_token",
        validate=_random,
        examples=(
            "BUILDKITE_API_TOKEN=bkua_1d3ef5432339cb48c131f34173f4a5036b4c740c",
            'token: "bkua_MTA.b12610e9b3a6e7269b15754b16d2eaf834ce0a2f"',
        ),
        counterexamples=(
            "BUILDKITE_API_TOKEN=bkua_83e3e66fcd5390201b0a7a4a78d1994da538b74",  # 39 digits
            "BUILDKITE_API_TOKEN=bkua_7fe8b86e87e69659c6a385fb73330102de7ba50f283b",  # too long
            "BUILDKITE_API_TOKEN=bkua_OU8IQ1J7WA2ES8NLQDI82K4N6GCODGGV83IOREGH",  # not hex
        ),
    ),
    _agent("bkaa", "agent_session_token",
           "BUILDKITE_AGENT_ACCESS_TOKEN=bkaa_MTA.TvEQAJVQEFV5fJMpq70h1LTqZMWJQc2vln4GMlbVN7OqU67QNw9JbwGbt2BPXGKQGs0"
           "Fs1WRuSiC"),
    _agent("bkar", "agent_registration_token",
           "BUILDKITE_AGENT_TOKEN=bkar_K4u8kFhpnaPz4fyV5Oz9lCp06xUiIMLlAG81jMMPpuHoii2DYlNRRLQHmCx3"),
    _agent("bkct", "cluster_agent_token",
           "token=\"bkct_8AaT3nmJMhK8nbaq4R0VxfNdgiclSWhehTYaSw79L4FpbUCKXTmzZwPujliN\""),
    Pattern(
        id="buildkite.agent_job_token",
        name="Buildkite agent job token",
        regex=r"\b(?P<secret>bkaj_eyJ[A-Za-z0-9_-]{10,400}\.eyJ[A-Za-z0-9_-]{10,2000}\.[A-Za-z0-9_-]{20,600})",
        keywords=("bkaj_eyj",),
        kind="agent_job_token",
        lookup=False,
        examples=("BUILDKITE_AGENT_ACCESS_TOKEN=bkaj_eyJhbGciOiJIUzUxMiJ9.eyJzdWIiOiIwMTk2NjAxYi01YTc0LTRlOTUi"
                  "LCJpc3MiOiJidWlsZGtpdGUifQ.N7jik7HWJ0aEBj-uCuNr59ICXmgo876A_Jx77ZlH82-ihjPxiay9AJY1IjDeADChRAEWg6p"
                  "GW-DywgY62SK6zF",),
        counterexamples=("bkaj_eyJhbGciOiJIUzUxMiJ9",),
    ),
    Pattern(
        id="buildkite.legacy_agent_token",
        name="Buildkite agent token (unprefixed)",
        regex=(r"(?i:buildkite[_.-]?agent[_.-]?token|buildkite-agent\s+start\s+--token)"
               r"""['"]?\s*(?::=|=>|[:=]|\s)\s*['"]?(?P<secret>[a-z0-9]{40,50})\b"""),
        keywords=("buildkite",),
        kind="agent_token",
        validate=_random,
        lookup=False,
        examples=(
            "BUILDKITE_AGENT_TOKEN=yhldf8xax29rn7au8x43e4o7x9zcrcvsbqj4d5p4q30z1crto6",
            "buildkite-agent start --token jcsc5qh2ic3c2aj603cs9awk0xotfyk98mszgvuefwrlj29p16",
        ),
        counterexamples=("BUILDKITE_AGENT_TOKEN=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                         "BUILDKITE_AGENT_TOKEN=${BUILDKITE_AGENT_TOKEN}"),
    ),
)


class BuildkiteDetector(Detector):
    provider = "buildkite"
    title = "Buildkite"
    patterns = PATTERNS
    revoke_url = "https://buildkite.com/user/api-access-tokens"
    least_privilege = (
        "create an API access token for the one organization with only the read scopes it needs, "
        "IP-restricted and with an expiry"
    )


detector = BuildkiteDetector()
