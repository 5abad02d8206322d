"""Segment source write keys.

Format: Segment's HTTP Tracking API docs (segment.com/docs/connections/sources/catalog/libraries/
server/http-api/#authentication): a source's write key is sent as the HTTP basic username; it has
no documented prefix and is 32 alphanumerics. "segment" is an ordinary word, so a key is taken only
next to a Segment name that ends in a key word (``SEGMENT_WRITE_KEY``). A browser source's key ships
in the page and is public; a server source's key lets anyone write events into the workspace.
Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum

_KEY = fake("a62", 32, "segment")

PATTERNS = (
    Pattern(
        id="segment.write_key",
        name="Segment write key",
        regex=assigned(r"segment[\w.\-]{0,20}?(?:write[_.\-]?key|api[_.\-]?key|secret|token)", r"[A-Za-z0-9]{32}",
                       gap=10),
        keywords=("segment",),
        kind="write_key",
        validate=plausible_alnum,
        examples=(f"SEGMENT_WRITE_KEY={_KEY}", f'segment_write_key: "{_KEY}"'),
        counterexamples=(
            f"segment_id = '{_KEY}'",  # not a key name
            "SEGMENT_WRITE_KEY=${SEGMENT_WRITE_KEY}",
            "SEGMENT_WRITE_KEY=" + _KEY[:-1],
        ),
    ),
)


class SegmentDetector(Detector):
    provider = "segment"
    title = "Segment"
    patterns = PATTERNS
    revoke_url = "https://app.segment.com/"
    least_privilege = "give each server source its own write key so one can be rotated alone"


detector = SegmentDetector()
