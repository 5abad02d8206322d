"""MessageBird (Bird) access keys.

Format: MessageBird's API reference (developers.messagebird.com/api/#authentication): access keys
are 25 alphanumeric characters sent as ``Authorization: AccessKey <key>``; with no distinctive
prefix, a MessageBird name or the ``AccessKey`` scheme must stand before it. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import END, assigned, fake, plausible_alnum

_KEY = fake("a62", 25, "messagebird")

PATTERNS = (
    Pattern(
        id="messagebird.access_key",
        name="MessageBird access key",
        regex=assigned(r"message[_.\-]?bird", r"[A-Za-z0-9]{25}"),
        keywords=("messagebird", "message_bird", "message-bird", "message.bird"),
        kind="access_key",
        validate=plausible_alnum,
        examples=(f"MESSAGEBIRD_ACCESS_KEY={_KEY}", f'messagebird_key: "{_KEY}"'),
        counterexamples=("MESSAGEBIRD_ACCESS_KEY=xxxxxxxxxxxxxxxxxxxxxxxxx", f"MESSAGEBIRD_ACCESS_KEY={_KEY}x"),
    ),
    Pattern(
        id="messagebird.access_key_header",
        name="MessageBird access key in an AccessKey authorization header",
        regex=r"(?i:authorization)[\"']?\s*[:=,]\s*[\"']?AccessKey\s+(?P<secret>[A-Za-z0-9]{25})" + END,
        keywords=("accesskey",),
        kind="access_key",
        validate=plausible_alnum,
        examples=(f"curl -H 'Authorization: AccessKey {_KEY}' https://rest.messagebird.com/balance",),
        counterexamples=("Authorization: AccessKey test_gshuPaZoeEG6ovbc8M79w0QyM",),  # test-mode key: no reach
    ),
)


class MessageBirdDetector(Detector):
    provider = "messagebird"
    title = "MessageBird"
    patterns = PATTERNS
    revoke_url = "https://dashboard.messagebird.com/en/developers/access"
    least_privilege = "use a test key outside production and a separate live key per service"


detector = MessageBirdDetector()
