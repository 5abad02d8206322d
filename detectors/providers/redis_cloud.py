"""Redis Cloud API account keys and user keys.

Format: Redis Cloud's API documentation (redis.io/docs/latest/operate/rc/api/get-started/enable-the-api)
and the Terraform provider (``REDISCLOUD_ACCESS_KEY`` = API account key, ``REDISCLOUD_SECRET_KEY``
= API user key). No format is documented and neither key has a prefix, so this is a keyword-anchored
rule: a Redis Cloud name in the assignment and 40 to 80 alphanumerics. Passwords in ``redis://``
URLs are credentials_url.py's. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import assigned, fake, plausible_alnum

_SECRET = fake("a36", 50, "rediscloud-secret")
_ACCOUNT = fake("a36", 50, "rediscloud-account")

PATTERNS = (
    Pattern(
        id="redis_cloud.api_key",
        name="Redis Cloud API key",
        regex=assigned(r"redis[_.\-]?cloud[\w.\-]{0,20}?(?:secret[_.\-]?key|access[_.\-]?key|api[_.\-]?(?:secret|key)|user[_.\-]?key)",
                       r"[A-Za-z0-9]{40,80}", gap=10),
        keywords=("rediscloud", "redis_cloud", "redis-cloud", "redis.cloud"),
        kind="api_key",
        validate=plausible_alnum,
        examples=(f"REDISCLOUD_SECRET_KEY={_SECRET}", f'export REDISCLOUD_ACCESS_KEY="{_ACCOUNT}"'),
        counterexamples=('REDISCLOUD_SECRET_KEY="your-secret-key"', "REDISCLOUD_SECRET_KEY=<YOUR_API_USER_KEY>",
                         "REDISCLOUD_SECRET_KEY=" + "x" * 50, f"REDISCLOUD_SECRET_KEY={_SECRET[:30]}"),
    ),
)


class RedisCloudDetector(Detector):
    provider = "redis_cloud"
    title = "Redis Cloud"
    patterns = PATTERNS
    revoke_url = "https://cloud.redis.io/#/access-management/api-keys"
    least_privilege = "create an API user key for a user with the Viewer role unless it must change subscriptions"


detector = RedisCloudDetector()
