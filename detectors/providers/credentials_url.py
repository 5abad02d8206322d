"""Passwords written into URLs: ``scheme://user:password@host`` (RFC 3986 userinfo).

Database, cache, queue, file-transfer, mail and plain HTTP(S) URLs carry a password in their
userinfo part, usually in a ``DATABASE_URL``-style setting. The secret is the password (named
group ``secret``); the scheme, user and host stay in ``Token.extras`` so a report can say what the
password opens. Placeholders (``password``, ``${PASSWORD}``, ``<password>``, ``****``, ``xxx``,
``%s``, ``{password}`` …) are dropped by ``validate``.

Nothing is looked up: tokenreach never connects to a database or server it finds in a repository.
Offline, the URL says the kind of service (the scheme), where it is, and whether that is a
local or private address.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from functools import cache

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.scanner.model import Access, Token

# Literal passwords that documentation and templates use in place of a real one.
PLACEHOLDERS = frozenset({
    "password", "passwd", "pass", "pwd", "pw", "secret", "changeme", "change_me", "change-me",
    "yourpassword", "your_password", "your-password", "mypassword", "my_password", "my-password",
    "db_password", "dbpassword", "example", "dummy", "placeholder", "redacted", "hidden", "token",
    "your_token", "access_token", "apikey", "api_key", "pa55word", "p@ssword", "null", "none",
    "undefined", "...", "test_password",
})
_TEMPLATE = re.compile(
    r"""^(?:\$\{.*\}|\$\(.*\)|\$[A-Za-z_]\w*|\{\{.*\}\}|\{.*\}|%\(?\w*\)?s|%s|\*+|[xX]+|\.+|_+|-+|•+)$"""
    r"""|\$\{|\{\{"""
)


# "https://foo.com:123,foo:bar@bar.com" (pydantic's MultiHostUrl, libpq and MongoDB host lists):
# the first host's port, a comma and the next host's userinfo read as user "foo.com", password
# "123,foo:bar". No password starts with a port and a comma.
_MULTI_HOST = re.compile(r"\d{1,5},")


def real_password(secret: str) -> bool:
    """False for the placeholders templates and docs write where a password goes, and for a
    password that is a whole token of a provider (``https://x:ghp_…@github.com``): that provider's
    finding, with its lookup, is the one to keep (the engine keeps one match per identical span)."""
    return (bool(secret) and secret.lower() not in PLACEHOLDERS and not _TEMPLATE.search(secret)
            and not _MULTI_HOST.match(secret) and not _provider_token(secret))


@cache
def _provider_patterns() -> tuple[re.Pattern[str], ...]:
    from tokenreach.detectors.registry import all_patterns

    return tuple(re.compile(p.regex) for d, p in all_patterns() if d.provider not in ("url", "private_key"))


def _provider_token(secret: str) -> bool:
    for rx in _provider_patterns():
        m = rx.search(secret)
        if m and m.span("secret" if "secret" in rx.groupindex else 0) == (0, len(secret)):
            return True
    return False


_USER = r"(?P<user>[^:/?#@\s'\"<>]{0,64})"
_PASSWORD = r"(?P<secret>[^@/?#\s'\"<>]{1,128})"
_HOST = r"(?P<host>[A-Za-z0-9][A-Za-z0-9.\-]{0,252}|\[[0-9A-Fa-f:.]{2,45}\])(?::(?P<port>\d{1,5}))?"


def _url(schemes: str) -> str:
    return r"\b(?P<scheme>" + schemes + r")://" + _USER + ":" + _PASSWORD + "@" + _HOST


# Domains reserved for documentation (RFC 2606, RFC 6761): no server there holds the password.
_DOC_DOMAINS = ("example.com", "example.net", "example.org")
_DOC_TLDS = (".example", ".invalid")


def real_host(groups: Mapping[str, str]) -> bool:
    host = groups.get("host", "").lower().rstrip(".")
    return not (host in _DOC_DOMAINS or host.endswith(tuple("." + d for d in _DOC_DOMAINS))
                or host.endswith(_DOC_TLDS))


def _family(kind: str, schemes: str, keyword: str, examples: tuple[str, ...],
            counterexamples: tuple[str, ...] = ()) -> Pattern:
    return Pattern(
        id=f"url.{kind}",
        name=f"Password in a {kind} URL",
        regex=_url(schemes),
        keywords=(keyword,),
        kind=kind,
        validate=real_password,
        accept=real_host,
        examples=examples,
        counterexamples=counterexamples,
    )


PATTERNS = (
    _family(
        "postgres", r"postgres(?:ql)?(?:\+[a-z0-9]+)?", "postgres",
        ("DATABASE_URL=postgres://app:Xk9v2LmQ7pRt@db.internal.acme.test:5432/app",
         'SQLALCHEMY_DATABASE_URI = "postgresql+psycopg2://svc_reporting:n7Hq2Wv9KsLp@10.0.3.12/reporting"'),
        ("DATABASE_URL=postgres://app:@db.internal.acme.test/app",  # empty password
         "DATABASE_URL=postgres://user:password@localhost:5432/app",
         "DATABASE_URL=postgres://${DB_USER}:${DB_PASSWORD}@db:5432/app",
         'dsn = f"postgresql://{user}:{password}@{host}/{name}"',
         "DATABASE_URL=postgres://db.internal.acme.test:5432/app"),
    ),
    _family(
        "mysql", r"mysql(?:\+[a-z0-9]+)?", "mysql",
        ("MYSQL_URL=mysql://root:S3cr3tRo0t!@mysql.acme.test:3306/shop",
         "engine = create_engine('mysql+pymysql://shop:Jq4Wx8Pz2Lk@db.acme.test/shop')"),
        ("mysql://root:<password>@localhost/shop", "mysql://root:%s@%s/shop"),
    ),
    _family(
        "mongodb", r"mongodb(?:\+srv)?", "mongodb",
        ("MONGO_URI=mongodb+srv://atlasAdmin:Rq8xYp2Lz5Kv@cluster0.ab1cd.mongodb.net/prod?retryWrites=true",
         "mongodb://reader:Tz6Hb3Nq9Wd@mongo-0.acme.test:27017,mongo-1.acme.test:27017/app"),
        ("mongodb://admin:****@mongo.acme.test/app",),
    ),
    _family(
        "redis", r"rediss?", "redis",
        ("REDIS_URL=redis://:p4ssW0rdR3dis@cache.acme.test:6379/0",
         "CACHE_URL=rediss://default:AbC123xyzQw9@eu1-fancy-owl-31337.upstash.io:6379"),
        ("REDIS_URL=redis://:xxx@cache:6379", "REDIS_URL=redis://cache.acme.test:6379/0"),
    ),
    _family(
        "amqp", r"amqps?", "amqp",
        ("CELERY_BROKER_URL=amqps://orders:Lm3Kp9Qx7Vz@rabbit.acme.test/orders",),
        ("amqp://guest:{password}@localhost//",),
    ),
    _family(
        "ftp", r"s?ftps?", "ftp",
        ("lftp -e 'mirror -R' ftp://deploy:Fz8pQ2wXr5@ftp.acme.test/site",
         "SFTP_TARGET=sftp://backup:Yh3Nc8Vb1Mq@sftp.acme.test:22/backups"),
        ("ftp://anonymous:@ftp.acme.test/pub",),
    ),
    _family(
        "http", r"https?", "http",
        ("git clone https://deploy:Hn4kP9xW2qLm@git.acme.test/org/repo.git",
         "PIP_INDEX_URL=https://ci:Wq8Zm3Lp6Rt@pypi.acme.test/simple"),
        ("https://user:${TOKEN}@git.acme.test/org/repo.git", "https://username:password@example.com",
         "see http://docs.acme.test:8080/path@v2",
         "mhu = MultiHostUrl('https://foo.com:123,foo:bar@bar.com/path')",  # pydantic/networks.py
         "nodeenv --mirror=https://user:p%2Fss@artifactory.example.com/nodejs env",  # documentation domain
         'urlopen("http://evil:thing@example.org")', "https://ci:Wq8Zm3Lp6Rt@pypi.corp.invalid/simple"),
    ),
    _family(
        "smtp", r"smtps?", "smtp",
        ("EMAIL_URL=smtp://mailer:Vq7Lm2Xp9K@smtp.acme.test:587",),
        ("EMAIL_URL=smtp://mailer:changeme@smtp.acme.test:587",),
    ),
)

_TLS_SCHEMES = frozenset({"https", "rediss", "amqps", "smtps", "ftps", "sftp", "mongodb+srv"})
_DOC_SUFFIXES = (".example", ".invalid", ".test", "example.com", "example.org", "example.net")
_LOCAL_NAMES = frozenset({"localhost", "host.docker.internal", "0.0.0.0"})


def host_scope(host: str) -> str:
    """'local', 'private', 'documentation' or 'public' for a URL's host."""
    host = host.strip("[]").lower()
    if host in _LOCAL_NAMES or host.endswith(".localhost") or host.endswith(".local"):
        return "local"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return "documentation" if host.endswith(_DOC_SUFFIXES) else "public"
    if ip.is_loopback or ip.is_unspecified:
        return "local"
    return "private" if ip.is_private or ip.is_link_local else "public"


class CredentialsURLDetector(Detector):
    generic = True  # a provider detector matching the same text wins
    provider = "url"
    title = "Credentials in a URL"
    rotate_hint = "change this password on the server the URL names, and on every client that uses it"
    patterns = PATTERNS
    request_budget = 0  # nothing is ever looked up

    def classify(self, token: Token) -> Access:
        access = Access(evidence="offline")
        scheme = (token.extras.get("scheme") or token.kind or "").lower()
        host = token.extras.get("host") or ""
        user = token.extras.get("user") or ""
        access.facts["scheme"] = scheme
        if host:
            access.facts["host"] = host
            access.facts["host_scope"] = host_scope(host)
        if token.extras.get("port"):
            access.facts["port"] = token.extras["port"]
        if user:
            access.facts["user"] = user
        access.facts["tls"] = scheme.split("+")[0] in _TLS_SCHEMES or scheme in _TLS_SCHEMES
        access.note(f"{scheme} password for {user or '(no user name)'} on {host or 'an unknown host'}")
        scope = access.facts.get("host_scope")
        if scope == "local":
            access.note("the host is this machine: a development credential, unless reused elsewhere")
        elif scope == "private":
            access.note("the host is a private-network address: reachable from inside that network")
        elif scope == "documentation":
            access.note("the host is a documentation-reserved name: probably an example")
        if user.lower() in ("root", "admin", "postgres", "sa", "administrator") or user.lower().endswith("admin"):
            access.facts["admin_user"] = True
            access.note(f"user {user} is an administrative account name")
        return access


detector = CredentialsURLDetector()
