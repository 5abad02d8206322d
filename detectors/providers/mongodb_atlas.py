"""MongoDB Atlas service-account secrets and programmatic API private keys.

Formats: MongoDB Atlas's service accounts documentation (mongodb.com/docs/atlas/api/service-accounts-overview):
a service account has a client ID ``mdb_sa_id_…`` (an identifier) and a client secret ``mdb_sa_sk_``
followed by 40 base64url characters. Legacy programmatic API keys (mongodb.com/docs/atlas/configure-api-access)
are a public key (8 letters, an identifier) and a private key that is a bare UUID, found only where an
Atlas name stands in the assignment (``MONGODB_ATLAS_PRIVATE_KEY``, ``MCLI_PRIVATE_API_KEY``).
Passwords in ``mongodb+srv://`` URLs are credentials_url.py's. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible, plausible_alnum, prefixed

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_SA = "mdb_sa_sk_" + fake("a62", 18, "atlas-sa-a") + "_" + fake("a62", 21, "atlas-sa-b")
_H = fake("hex", 32, "atlas-private")
_PRIVATE = f"{_H[:8]}-{_H[8:12]}-{_H[12:16]}-{_H[16:20]}-{_H[20:]}"

PATTERNS = (
    Pattern(
        id="mongodb_atlas.service_account_secret",
        name="MongoDB Atlas service account client secret",
        regex=prefixed(r"mdb_sa_sk_[A-Za-z0-9_\-]{40}"),
        keywords=("mdb_sa_sk_",),
        kind="service_account_secret",
        validate=lambda s: plausible_alnum(s[10:].replace("_", "").replace("-", "")),
        examples=(f"ATLAS_CLIENT_SECRET={_SA}", f'clientSecret: "{_SA}"'),
        counterexamples=("ATLAS_CLIENT_SECRET=mdb_sa_sk_" + "x" * 40, "placeholder: 'mdb_sa_sk_…'",
                         "mdb_sa_sk_" + fake("a62", 30, "atlas-short")),
    ),
    Pattern(
        id="mongodb_atlas.api_private_key",
        name="MongoDB Atlas programmatic API private key",
        regex=assigned(r"(?:atlas[\w.\-]{0,20}?private[_.\-]?(?:api[_.\-]?)?key|\bmcli[_.\-]private[_.\-]api[_.\-]key)",
                       _UUID, gap=10),
        keywords=("atlas", "mcli_"),
        kind="api_private_key",
        validate=lambda s: plausible(s.replace("-", ""), 3.0),
        examples=(f"MONGODB_ATLAS_PRIVATE_KEY={_PRIVATE}", f"MCLI_PRIVATE_API_KEY={_PRIVATE}",
                  f'atlas_private_key = "{_PRIVATE}"'),
        counterexamples=("MONGODB_ATLAS_PRIVATE_KEY=00000000-0000-0000-0000-000000000000",
                         "MONGODB_ATLAS_PRIVATE_KEY=${ATLAS_PRIVATE_KEY}", f"MONGODB_ATLAS_ORG_ID={_PRIVATE}"),
    ),
)


class MongoDBAtlasDetector(Detector):
    provider = "mongodb_atlas"
    title = "MongoDB Atlas"
    patterns = PATTERNS
    revoke_url = "https://cloud.mongodb.com/v2#/org/access/apiKeys"
    least_privilege = ("use a service account with only the project roles it needs (Project Read Only for "
                       "monitoring) and an IP access list")


detector = MongoDBAtlasDetector()
