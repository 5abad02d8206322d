"""Elasticsearch / Elastic Cloud API keys.

Format: Elasticsearch's create-API-key reference
(elastic.co/guide/en/elasticsearch/reference/current/security-api-create-api-key.html): the
``encoded`` value sent as ``Authorization: ApiKey <encoded>`` is the base64 text of ``id:api_key``
(a 20-character id and a 22-character key for current versions). Matched in that header or next to
an Elastic name; ``validate`` decodes the ``id:key`` pair. Detection only.
"""

from __future__ import annotations

import base64
import binascii
import re

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import END, assigned, fake, plausible

_KEY = base64.b64encode(f"{fake('b64url', 20, 'es-id')}:{fake('b64url', 22, 'es-key')}".encode()).decode()
_PAIR = re.compile(rb"[A-Za-z0-9_\-]{8,40}:[A-Za-z0-9_\-]{16,120}")


def _decodes(secret: str) -> bool:
    try:
        raw = base64.b64decode(secret + "=" * (-len(secret) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return bool(_PAIR.fullmatch(raw)) and plausible(raw.split(b":", 1)[1].decode(), 3.5)


_B64 = r"[A-Za-z0-9+/]{40,240}={0,2}"

PATTERNS = (
    Pattern(
        id="elastic.api_key_header",
        name="Elasticsearch API key in an ApiKey authorization header",
        regex=r"(?i:apikey)\s+(?P<secret>" + _B64 + ")" + END,
        keywords=("apikey",),
        kind="api_key",
        validate=_decodes,
        examples=(f"curl -H 'Authorization: ApiKey {_KEY}' https://acme.es.us-east-1.aws.elastic.cloud/",),
        counterexamples=("Authorization: ApiKey ${ES_API_KEY}",
                         "Authorization: ApiKey " + base64.b64encode(b"just some text without a pair").decode()),
    ),
    Pattern(
        id="elastic.api_key",
        name="Elasticsearch API key",
        regex=assigned(r"(?:elastic|\bes_|elasticsearch)[\w.\-]{0,20}api[_.\-]?key", _B64, gap=10),
        keywords=("elastic", "es_"),
        kind="api_key",
        validate=_decodes,
        examples=(f"ELASTIC_API_KEY={_KEY}", f'es_api_key: "{_KEY}"'),
        counterexamples=("ELASTIC_API_KEY=" + base64.b64encode(b"x" * 45).decode(), "ELASTIC_API_KEY=changeme"),
    ),
)


class ElasticDetector(Detector):
    provider = "elastic"
    title = "Elastic"
    patterns = PATTERNS
    revoke_url = "https://cloud.elastic.co/account/keys"
    least_privilege = ("create an API key with role_descriptors limited to the indices and privileges (read) "
                       "it needs, and an expiration")


detector = ElasticDetector()
