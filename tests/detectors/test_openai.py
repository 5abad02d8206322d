from __future__ import annotations

import pytest

from tests.fakes import openai as fk
from tests.helpers import lookup, token
from tokenreach.detectors.providers.openai import _matching_key, detector, missing_scopes
from tokenreach.scanner.model import Token

FULL_MAP = ["GET /v1/models", "GET /v1/files", "GET /v1/fine_tuning/jobs", "GET /v1/assistants",
            "GET /v1/me"]
ALL_READS = ["api.model.read", "api.files.read", "api.fine_tuning.jobs.read", "api.assistants.read"]


@pytest.fixture
def fake():
    with fk.make() as server:
        yield server


def _safe(fake, secret: str) -> None:
    fake.assert_read_only()
    for req in fake.requests:
        assert req.method == "GET"
        assert req.header("authorization") == f"Bearer {secret}"
        assert secret not in req.path and secret not in str(req.query)


def test_all_permissions_project_key_of_an_owner(fake):
    access = lookup(token(f"OPENAI_API_KEY={fk.ALL}"), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.identity == "alice@acme.example"
    assert access.reach == "project"
    assert access.grants == ALL_READS
    assert access.capabilities == {"read", "write", "delete", "billing"}
    assert access.facts["assumed_capabilities"] == ["write", "delete", "billing"]
    assert access.facts["missing_scopes"] == []
    assert access.facts["owner_of"] == ["Acme"]
    assert access.facts["org_roles"] == {"Acme": "owner", "Labs": "reader"}
    assert access.facts["mfa"] is False
    assert access.resources == ["org Acme", "org Labs"]
    assert fake.sent() == FULL_MAP
    assert fake.requests[3].header("openai-beta") == "assistants=v2"
    assert all(r.query == {"limit": ["1"]} for r in fake.requests[1:4])
    _safe(fake, fk.ALL)


def test_restricted_key_401_with_missing_scopes_is_live(fake):
    access = lookup(token(fk.RESTRICTED), fake.url)
    assert access.live is True
    assert access.grants == ["api.model.read", "api.files.read"]
    assert access.facts["missing_scopes"] == ["api.fine_tuning.jobs.read", "api.assistants.read"]
    assert access.facts["restricted"] is True
    assert access.capabilities == {"read", "billing"}  # spending cannot be ruled out read-only
    assert access.facts["assumed_capabilities"] == ["billing"]
    assert fake.sent() == FULL_MAP
    _safe(fake, fk.RESTRICTED)
    assert fk.RESTRICTED not in str(access.to_json())


def test_key_that_cannot_even_list_models_is_still_live(fake):
    access = lookup(token(fk.REQUEST_ONLY), fake.url)
    assert access.live is True
    assert access.grants == []
    assert access.capabilities == {"billing"}
    assert access.facts["missing_scopes"] == ["api.model.read", "api.files.read",
                                              "api.fine_tuning.jobs.read", "api.assistants.read"]
    assert any("401 naming missing scopes" in n for n in access.notes)


def test_service_account_key_without_a_person(fake):
    access = lookup(token(fk.SERVICE), fake.url)
    assert access.live is True
    assert access.reach == "project"
    assert access.identity is None
    assert access.grants == ALL_READS
    assert any("/v1/me answered HTTP 403" in n for n in access.notes)
    assert fake.sent() == FULL_MAP


def test_legacy_user_key_reaches_the_account(fake):
    tok = token(f"openai.api_key = '{fk.LEGACY}'")
    assert tok.kind == "legacy_key"
    access = lookup(tok, fake.url)
    assert (access.live, access.reach, access.identity) == (True, "account", "alice@acme.example")


def test_admin_key_finds_itself_in_the_admin_key_list(fake):
    access = lookup(token(f"OPENAI_ADMIN_KEY={fk.ADMIN}"), fake.url)
    assert access.live is True
    assert access.reach == "organization"
    assert access.capabilities == {"read", "write", "delete", "admin", "secrets"}
    assert access.identity == "Bob"
    assert access.facts["key_name"] == "ops automation"
    assert access.facts["owner_role"] == "owner"
    assert access.facts["admin_keys_in_org"] == 2
    assert fake.sent() == ["GET /v1/organization/admin_api_keys"]
    _safe(fake, fk.ADMIN)


def test_revoked_admin_key(fake):
    access = lookup(token(fk.ADMIN_REVOKED), fake.url)
    assert access.live is False
    assert access.evidence == "api"


def test_incorrect_key_401_is_not_live(fake):
    access = lookup(token(fk.REVOKED), fake.url)
    assert access.live is False
    assert access.evidence == "api"
    assert fake.sent() == ["GET /v1/models"]


@pytest.mark.parametrize(("secret", "reason"), [
    (fk.RATE_LIMITED, "429"),
    (fk.SERVER_ERROR, "500"),
    (fk.MALFORMED, "not JSON"),
    (fk.REGION_BLOCKED, "403"),
    (fk.IP_BLOCKED, "IP address"),
])
def test_errors_are_unknown_never_revoked(fake, secret, reason):
    access = lookup(token(secret), fake.url, timeout=3, max_retries=0)
    assert access.live is None
    assert any(reason in n for n in access.notes)
    assert fake.sent() == ["GET /v1/models"]


def test_key_refused_model_requests_cannot_spend(fake):
    access = lookup(token(fk.NO_SPEND), fake.url)
    assert access.live is True
    assert access.grants == ["api.model.read"]
    assert access.capabilities == {"read"}
    assert access.facts["missing_scopes"] == ["api.files.read", "model.request",
                                              "api.fine_tuning.jobs.read", "api.assistants.read"]
    assert any("cannot spend" in n for n in access.notes)


def test_missing_scopes_parser():
    assert missing_scopes("You have insufficient permissions for this operation. Missing scopes: "
                          "model.request. Check that you have the correct role") == ["model.request"]
    assert missing_scopes("Missing scopes: api.responses.write model.request") == [
        "api.responses.write", "model.request"]
    assert missing_scopes("Missing scopes: api.model.read, api.files.read.") == [
        "api.model.read", "api.files.read"]
    assert missing_scopes("Missing scopes: api.files.write; tenant detail") == ["api.files.write"]
    assert missing_scopes("Incorrect API key provided: sk-proj-****6789.") == []
    assert missing_scopes("Missing scopes:") == []
    assert missing_scopes("") == []


def test_matching_admin_key_needs_head_and_tail():
    keys = [{"redacted_value": "sk-admin-Ab...wxyz"}, "junk", {"redacted_value": None}]
    assert _matching_key("sk-admin-AbCdEf...xxwxyz", keys) is keys[0]
    assert _matching_key("sk-admin-ZZCdEf...xxwxyz", keys) is None
    assert _matching_key("sk-admin-AbCd", [{"redacted_value": "sk-..."}]) is None


def test_offline_kinds():
    assert detector.classify(token(fk.ALL)).reach == "project"
    admin = detector.classify(token(fk.ADMIN))
    assert admin.reach == "organization" and "admin" in admin.capabilities
    assert token(fk.SERVICE).kind == "service_account_key"


@pytest.mark.parametrize("secret", ["", "sk-", "T3BlbkFJ", "\x00\xff", "sk-admin-" + "x" * 500])
def test_classify_never_raises_on_garbage(secret):
    for kind in (None, "project_key", "service_account_key", "admin_key", "legacy_key", "other"):
        detector.classify(Token(provider="openai", secret=secret, kind=kind))
