from __future__ import annotations

import pytest

from tests.helpers import lookup
from tokenreach.detectors.providers.credentials_url import detector, host_scope, real_host, real_password
from tokenreach.detectors.registry import all_patterns
from tokenreach.scanner.engine import Engine, tokens_in

# Database URLs belong to their database's module (which looks them up); the rest stay here.
URL_PROVIDERS = ("url", "postgres", "mysql", "redis", "mongodb")


def url_token(text: str):
    found = [t for t in tokens_in(text) if t.provider in URL_PROVIDERS]
    assert len(found) == 1, [(t.provider, t.pattern_id) for t in found]
    return found[0]


@pytest.mark.parametrize(("url", "provider"), [
    ("postgres://app:Xk9v2LmQ7pRt@db.acme.io/app", "postgres"),
    ("postgresql://app:Xk9v2LmQ7pRt@db.acme.io/app", "postgres"),
    ("postgresql+asyncpg://app:Xk9v2LmQ7pRt@db.acme.io/app", "postgres"),
    ("mysql://app:Xk9v2LmQ7pRt@db.acme.io/app", "mysql"),
    ("mariadb://app:Xk9v2LmQ7pRt@db.acme.io/app", "mysql"),
    ("mysql+pymysql://app:Xk9v2LmQ7pRt@db.acme.io/app", "mysql"),
    ("redis://:Xk9v2LmQ7pRt@cache.acme.io:6379", "redis"),
    ("rediss://default:Xk9v2LmQ7pRt@cache.acme.io:6379", "redis"),
    ("mongodb://app:Xk9v2LmQ7pRt@mongo.acme.io/app", "mongodb"),
    ("mongodb+srv://app:Xk9v2LmQ7pRt@c0.ab1cd.mongodb.net/app", "mongodb"),
    ("amqps://app:Xk9v2LmQ7pRt@rabbit.acme.io/app", "url"),
    ("https://app:Xk9v2LmQ7pRt@git.acme.io/app.git", "url"),
])
def test_each_url_has_one_owner(url, provider):
    found = [t for t in tokens_in(f"X={url}") if t.provider in URL_PROVIDERS]
    assert [t.provider for t in found] == [provider]


def test_postgres_url_secret_is_the_password():
    tok = url_token("DATABASE_URL=postgres://app:Xk9v2LmQ7pRt@db.internal.acme.test:5432/app?sslmode=require")
    assert (tok.provider, tok.secret) == ("postgres", "Xk9v2LmQ7pRt")
    assert tok.kind == "postgres"
    assert dict(tok.extras) == {"scheme": "postgres", "user": "app", "host": "db.internal.acme.test",
                                "port": "5432", "path": "/app", "query": "sslmode=require"}
    access = detector.classify(tok)
    assert access.evidence == "offline"
    assert access.live is None
    assert access.facts == {"scheme": "postgres", "host": "db.internal.acme.test", "host_scope": "documentation",
                            "port": "5432", "user": "app", "tls": False}
    assert access.notes[0] == "postgres password for app on db.internal.acme.test"


@pytest.mark.parametrize(("text", "kind", "scheme", "host", "secret"), [
    ("postgresql+psycopg2://svc:n7Hq2Wv9KsLp@10.0.3.12/reporting", "postgres", "postgresql+psycopg2",
     "10.0.3.12", "n7Hq2Wv9KsLp"),
    ("mysql://root:S3cr3tRo0t!@mysql.acme.test:3306/shop", "mysql", "mysql", "mysql.acme.test", "S3cr3tRo0t!"),
    ("mongodb+srv://atlasAdmin:Rq8xYp2Lz5Kv@cluster0.ab1cd.mongodb.net/prod", "mongodb", "mongodb+srv",
     "cluster0.ab1cd.mongodb.net", "Rq8xYp2Lz5Kv"),
    ("redis://:p4ssW0rdR3dis@cache.acme.test:6379/0", "redis", "redis", "cache.acme.test", "p4ssW0rdR3dis"),
    ("rediss://default:AbC123xyzQw9@eu1.upstash.io:6379", "redis", "rediss", "eu1.upstash.io", "AbC123xyzQw9"),
    ("amqps://orders:Lm3Kp9Qx7Vz@rabbit.acme.test/orders", "amqp", "amqps", "rabbit.acme.test", "Lm3Kp9Qx7Vz"),
    ("sftp://backup:Yh3Nc8Vb1Mq@sftp.acme.test:22/b", "ftp", "sftp", "sftp.acme.test", "Yh3Nc8Vb1Mq"),
    ("https://ci:Wq8Zm3Lp6Rt@pypi.acme.test/simple", "http", "https", "pypi.acme.test", "Wq8Zm3Lp6Rt"),
    ("smtp://mailer:Vq7Lm2Xp9K@[2001:db8::25]:587", "smtp", "smtp", "[2001:db8::25]", "Vq7Lm2Xp9K"),
])
def test_each_scheme_family(text, kind, scheme, host, secret):
    tok = url_token(f"URL={text}")
    assert (tok.kind, tok.extras["scheme"], tok.extras["host"], tok.secret) == (kind, scheme, host, secret)
    assert detector.classify(tok).facts["scheme"] == scheme


@pytest.mark.parametrize("text", [
    "postgres://user:@db.acme.test/app",
    "postgres://user:password@db.acme.test/app",
    "postgres://user:PASSWORD@db.acme.test/app",
    "postgres://${DB_USER}:${DB_PASSWORD}@db/app",
    "postgres://u:$DB_PASSWORD@db/app",
    "postgres://u:pre${SUFFIX}@db/app",
    "mysql://root:<password>@localhost",
    "mongodb://admin:****@mongo/app",
    "redis://:xxx@cache:6379",
    "redis://:XXXXXXXX@cache:6379",
    "amqp://guest:{password}@localhost//",
    "amqp://guest:{{ rabbit_password }}@localhost//",
    "mysql://root:%s@%s/shop",
    "mysql://root:%(password)s@db/shop",
    "https://user:changeme@git.acme.test/repo",
    "https://git.acme.test:8443/repo",
    "ftp://ftp.acme.test/pub",
])
def test_placeholders_and_urls_without_a_password_are_not_secrets(text):
    assert [t for t in tokens_in(f"X={text}") if t.provider in URL_PROVIDERS] == []


def test_real_password_edge_cases():
    assert real_password("Xk9v2LmQ7pRt")
    assert real_password("p%40ss")  # percent-encoded characters are real passwords
    assert not real_password("")
    assert not real_password("Password")
    assert not real_password("...")
    assert not real_password("${A}")


@pytest.mark.parametrize(("host", "scope"), [
    ("localhost", "local"), ("127.0.0.1", "local"), ("[::1]", "local"), ("0.0.0.0", "local"),
    ("host.docker.internal", "local"), ("db.local", "local"), ("10.0.3.12", "private"),
    ("192.168.1.5", "private"), ("172.16.0.9", "private"), ("db.example.com", "documentation"),
    ("db.acme.test", "documentation"), ("db.acme.io", "public"), ("8.8.8.8", "public"), ("", "public"),
])
def test_host_scope(host, scope):
    assert host_scope(host) == scope


def test_local_admin_url_is_flagged():
    access = detector.classify(url_token("postgres://postgres:Hq3Lm9Pz2Xw@localhost:5432/dev"))
    assert access.facts["host_scope"] == "local"
    assert access.facts["admin_user"] is True
    assert any("this machine" in n for n in access.notes)


def test_tls_schemes():
    assert detector.classify(url_token("rediss://:Zx9Qw2Lp7Mn@cache.acme.io:6380")).facts["tls"] is True
    assert detector.classify(url_token("mongodb+srv://a:Zx9Qw2Lp7Mn@c.mongodb.net")).facts["tls"] is True
    assert detector.classify(url_token("redis://:Zx9Qw2Lp7Mn@cache.acme.io:6379")).facts["tls"] is False


def test_two_urls_on_one_line_are_two_secrets():
    found = [t for t in tokens_in("A=redis://:Ab12Cd34Ef@r1.acme.io B=amqp://u:Gh56Ij78Kl@q.acme.io")
             if t.provider in URL_PROVIDERS]
    assert [t.secret for t in found] == ["Ab12Cd34Ef", "Gh56Ij78Kl"]


def test_classify_never_raises_without_extras():
    from tokenreach.scanner.model import Token

    access = detector.classify(Token(provider="url", secret="s3cret-value"))
    assert access.facts["scheme"] == ""
    assert access.live is None


def test_no_lookup_is_made():
    assert not detector.has_lookup()
    access = lookup(url_token("amqps://app:Xk9v2LmQ7pRt@rabbit.acme.io/app"), "http://127.0.0.1:9")
    assert access.live is None
    assert access.facts["host"] == "rabbit.acme.io"


@pytest.mark.parametrize("hyperscan", [True, False], ids=["hyperscan", "re"])
@pytest.mark.parametrize(("url", "provider", "key"), [
    # This detector's (a generic one), and the database providers' own URL patterns, which yield;
    # Slack and Stripe come after the databases in the catalog's order, Linear before.
    ("REMOTE=https://bot:{key}@git.acme.io/repo.git", "linear", "lin_api_Q7mZ2xKpV9cW4tRbN8hJ3sLd6fGy1aEo5uIk0PqT"),
    ("DATABASE_URL=postgres://app:{key}@db.acme.io/app", "linear", "lin_api_Q7mZ2xKpV9cW4tRbN8hJ3sLd6fGy1aEo5uIk0PqT"),
    ("DATABASE_URL=postgres://app:{key}@db.acme.io/app", "stripe", "sk_live_9xQ27WmLpRtZsNvKb4HdYc3FgJe8TuAiOk5"),
    ("REDIS_URL=redis://default:{key}@cache.acme.io:6379/0", "slack",
     "xoxb-4729137890123-4729137890123-AbCdEfGhIjKlMnOpQrStUvWx"),
    ("MONGO_URL=mongodb://app:{key}@mongo.acme.io/app", "stripe", "sk_live_9xQ27WmLpRtZsNvKb4HdYc3FgJe8TuAiOk5"),
])
def test_a_provider_token_as_password_is_left_to_its_provider(url, provider, key, hyperscan):
    if hyperscan:
        pytest.importorskip("hyperscan")
    found = tokens_in(url.format(key=key), Engine(all_patterns(), use_hyperscan=hyperscan))
    # The token by its shape, not a URL's password by its place: only its issuer is asked.
    assert [(t.provider, t.secret) for t in found] == [(provider, key)]


def test_a_password_is_judged_without_the_catalog(monkeypatch):
    # A URL's password used to be checked against every pattern of the catalog, which built the
    # whole catalog (half a second) in any scan that found a database URL.
    monkeypatch.setattr("tokenreach.detectors.registry.all_patterns", lambda: pytest.fail("catalog built"))
    key = "lin_api_Q7mZ2xKpV9cW4tRbN8hJ3sLd6fGy1aEo5uIk0PqT"
    assert real_password(key) is True  # the engine, not this check, leaves it to Linear
    # A password that merely contains a token-like piece is this detector's too.
    assert real_password(f"pre{key}x") is True


@pytest.mark.parametrize(("host", "real"), [
    ("example.com", False), ("artifactory.example.com", False), ("EXAMPLE.ORG.", False),
    ("db.example.net", False), ("pypi.corp.invalid", False), ("registry.example", False),
    ("example.com.evil.io", True), ("myexample.com", True), ("db.internal.acme.test", True), ("localhost", True),
])
def test_documentation_domains_hold_no_password(host, real):
    assert real_host({"host": host}) is real
    found = tokens_in(f"PIP_INDEX_URL=https://ci:Wq8Zm3Lp6Rt@{host}/simple")
    assert [t.provider for t in found] == (["url"] if real else [])
