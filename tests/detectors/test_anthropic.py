from __future__ import annotations

import pytest

from tests.fakes import anthropic as fk
from tests.helpers import lookup, token
from tokenreach.detectors.providers.anthropic import detector
from tokenreach.scanner.engine import tokens_in
from tokenreach.scanner.model import Token


@pytest.fixture
def fake():
    with fk.make() as server:
        yield server


def _safe(fake, secret: str) -> None:
    fake.assert_read_only()
    for req in fake.requests:
        assert req.method == "GET"
        assert req.header("x-api-key") == secret
        assert req.header("anthropic-version") == "2023-06-01"
        assert req.header("authorization") is None
        assert secret not in req.path and secret not in str(req.query)


def test_live_workspace_key(fake):
    access = lookup(token(f"ANTHROPIC_API_KEY={fk.LIVE}"), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.reach == "project"
    assert access.capabilities == {"read", "write", "delete", "billing"}
    assert access.grants == []  # Anthropic keys have no scopes
    assert access.identity == f"organization {fk.ORG_ID}"
    assert access.facts["organization_id"] == fk.ORG_ID
    assert access.facts["models_visible"] == 2
    assert access.facts["has_batches"] is True
    assert fake.sent() == ["GET /v1/models", "GET /v1/messages/batches"]
    assert fake.requests[1].query == {"limit": ["1"]}
    _safe(fake, fk.LIVE)


def test_live_key_without_batches(fake):
    access = lookup(token(fk.QUIET), fake.url)
    assert access.live is True
    assert access.facts["has_batches"] is False


def test_admin_key_maps_the_organization(fake):
    access = lookup(token(f"ANTHROPIC_ADMIN_KEY={fk.ADMIN}"), fake.url)
    assert access.live is True
    assert access.reach == "organization"
    assert access.capabilities == {"read", "write", "delete", "admin", "billing"}
    assert access.identity == f"organization {fk.ORG_ID}"
    assert access.facts["api_keys"] == {"active": 2, "archived": 1}
    assert access.facts["user_roles"] == {"admin": 1, "developer": 1, "user": 1}
    assert access.facts["admins"] == ["alice@acme.example"]
    assert access.resources == ["workspace Production", "workspace Research"]  # archived left out
    assert access.resources_total == 2
    assert fake.sent() == ["GET /v1/organizations/api_keys", "GET /v1/organizations/users",
                           "GET /v1/organizations/workspaces"]
    _safe(fake, fk.ADMIN)
    assert fk.ADMIN not in str(access.to_json())


@pytest.mark.parametrize("secret", [fk.REVOKED, fk.ADMIN_REVOKED])
def test_401_is_not_live(fake, secret):
    access = lookup(token(secret), fake.url)
    assert access.live is False
    assert access.evidence == "api"
    assert len(fake.sent()) == 1


@pytest.mark.parametrize(("secret", "reason"), [
    (fk.NOT_FOUND, "404 (not_found_error)"),
    (fk.BAD_REQUEST, "400 (invalid_request_error)"),
    (fk.FORBIDDEN, "403 (permission_error)"),
    (fk.OVERLOADED, "529 (overloaded_error)"),
    (fk.SERVER_ERROR, "500"),
    (fk.RATE_LIMITED, "429"),
    (fk.MALFORMED, "not JSON"),
])
def test_everything_else_is_unknown_never_revoked(fake, secret, reason):
    access = lookup(token(secret), fake.url, timeout=3, max_retries=0)
    assert access.live is None
    assert any(reason in n for n in access.notes), access.notes
    assert fake.sent() == ["GET /v1/models"]
    fake.assert_read_only()


def test_oauth_tokens_are_never_sent(fake):
    tok = token("CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-" + "Oa1Ut2Hx3Yz4Qw5Er6Ty7Ui8Op9As0Df" * 3)
    assert tok.kind == "oauth_token"
    access = lookup(tok, fake.url)
    assert access.live is None
    assert access.facts["refresh_token"] is False
    assert fake.sent() == []
    refresh = detector.classify(token("sk-ant-ort01-" + "Oa1Ut2Hx3Yz4Qw5Er6Ty7Ui8Op9As0Df" * 3))
    assert refresh.facts["refresh_token"] is True


def test_offline_kinds():
    assert detector.classify(token(fk.LIVE)).reach == "project"
    admin = detector.classify(token(fk.ADMIN))
    assert admin.reach == "organization" and "admin" in admin.capabilities


def test_key_must_end_in_aa_at_the_right_length():
    body = ("Qz7" * 31)  # 93 characters, not a placeholder (xxxx is one, detectors/examples.py)
    assert [t.secret for t in _tokens(f"k=sk-ant-api03-{body}AA")] == [f"sk-ant-api03-{body}AA"]
    assert _tokens(f"k=sk-ant-api03-{body}AAB") == []
    assert _tokens(f"k=sk-ant-api03-{body[:-1]}AA") == []


def _tokens(text: str) -> list[Token]:
    return [t for t in tokens_in(text) if t.provider == "anthropic"]


@pytest.mark.parametrize("secret", ["", "sk-ant-", "\x00\xff", "sk-ant-admin01-" + "x" * 500])
def test_classify_never_raises_on_garbage(secret):
    for kind in (None, "api_key", "admin_key", "oauth_token", "other"):
        detector.classify(Token(provider="anthropic", secret=secret, kind=kind))
