"""Passwords written into URLs: ``scheme://user:password@host`` (RFC 3986 userinfo).

Database, cache, queue, file-transfer, mail and plain HTTP(S) URLs carry a password in their
userinfo part, usually in a ``DATABASE_URL``-style setting. The secret is the password (named
group ``secret``); the scheme, user and host stay in ``Token.extras`` so a report can say what the
password opens. Placeholders (``password``, ``${PASSWORD}``, ``<password>``, ``****``, ``xxx``,
``%s``, ``{password}`` …) are dropped by ``validate``.

PostgreSQL, MySQL/MariaDB, Redis and MongoDB URLs belong to their own modules (postgres.py,
mysql.py, redis.py, mongodb.py), which build their patterns with ``url_pattern`` and look the
password up on the server (detectors/database.py says where they may connect). This module keeps
every other scheme, and looks nothing up. Offline, the URL says the kind of service (the scheme),
where it is, and whether that is a local or private address.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping

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
    """False for the placeholders templates and docs write where a password goes. A password that
    is a provider's whole token (``https://x:ghp_…@github.com``) is still one here: the engine
    keeps that provider's match of the same text instead (scanner/engine.py, _drop_contained; this
    detector is generic, the database URL patterns yield), without this check building the whole
    catalog for every URL."""
    return (bool(secret) and secret.lower() not in PLACEHOLDERS and not _TEMPLATE.search(secret)
            and not _MULTI_HOST.match(secret))


_USER = r"(?P<user>[^:/?#@\s'\"<>]{0,64})"
_PASSWORD = r"(?P<secret>[^@/?#\s'\"<>]{1,128})"
_HOST = r"(?P<host>[A-Za-z0-9][A-Za-z0-9.\-]{0,252}|\[[0-9A-Fa-f:.]{2,45}\])(?::(?P<port>\d{1,5}))?"


# A database URL's path (the database) and query (sslmode, authSource …), which its lookup reads.
_PATH_QUERY = r"(?P<path>/[^\s'\"<>?#]{0,200})?(?:\?(?P<query>[^\s'\"<>#]{0,400}))?"


def _url(schemes: str, path: bool = False) -> str:
    return (r"\b(?P<scheme>" + schemes + r")://" + _USER + ":" + _PASSWORD + "@" + _HOST
            + (_PATH_QUERY if path else ""))


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


def url_pattern(provider: str, name: str, schemes: str, keywords: tuple[str, ...], examples: tuple[str, ...],
                counterexamples: tuple[str, ...] = ()) -> Pattern:
    """A database module's URL pattern: the same userinfo rules as here, plus path and query."""
    return Pattern(
        id=f"{provider}.url",
        name=f"Password in a {name} URL",
        regex=_url(schemes, path=True),
        # Hyperscan unrolls the path and query repeats; the URL up to the host says as much.
        prefilter=_url(schemes),
        keywords=keywords,
        yields=True,
        kind=provider,
        validate=real_password,
        accept=real_host,
        examples=examples,
        counterexamples=counterexamples,
    )


PATTERNS = (
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
    """'local', 'private', 'documentation' or 'public' for a URL's host, from its name alone."""
    host = host.strip("[]").lower()
    if host in _LOCAL_NAMES or host.endswith(".localhost") or host.endswith(".local"):
        return "local"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        if host.endswith(_DOC_SUFFIXES):
            return "documentation"
        # A name with no dot resolves only on a private network: a Compose service ("db"), a
        # cluster-local name, a search domain. Never a public host.
        return "private" if host and "." not in host else "public"
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
        return url_access(token)


def url_access(token: Token) -> Access:
    """What a URL's password tells offline: the service, the host and how far away it is."""
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
    if _is_default(user, token.secret):
        access.facts["default_password"] = True
        access.note(f"{user} with a well-known default password (the image's or the installer's)")
    return access


# Logins that images and installers ship with (the official postgres, mysql, mariadb, mongo and
# rabbitmq images' examples, and common tutorials): a password anyone would try first.
_DEFAULT_LOGINS = frozenset({
    ("postgres", "postgres"), ("postgres", "password"), ("root", "root"), ("root", "password"),
    ("root", "toor"), ("admin", "admin"), ("admin", "password"), ("guest", "guest"), ("user", "password"),
    ("sa", "sa"), ("test", "test"), ("mysql", "mysql"), ("rabbitmq", "rabbitmq"),
})


def _is_default(user: str, password: str) -> bool:
    return (user.lower(), password.lower()) in _DEFAULT_LOGINS or (bool(user) and user == password)


detector = CredentialsURLDetector()
