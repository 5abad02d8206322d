from __future__ import annotations

import base64
import json

import pytest

from tests.fakes import dockerhub as fh
from tests.helpers import lookup, token
from tokenreach.detectors.providers.dockerhub import detector, read_session
from tokenreach.scanner.model import Access

LOGIN = "POST /v2/users/login"


@pytest.fixture
def fake():
    with fh.make() as server:
        yield server


def login_body(fake) -> dict:
    return json.loads(fake.requests[0].body)


def test_admin_token_can_push_and_delete(fake):
    tok = token(f"docker login -u alice -p {fh.ADMIN}")
    assert tok.extras["username"] == "alice"
    access = lookup(tok, fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.identity == "alice <alice@acme.test>"
    assert access.reach == "account"
    assert access.grants == ["repo:admin"]
    assert access.capabilities == {"read", "write", "delete"}
    assert access.resources == ["alice/api (private)", "alice/site"]
    assert access.resources_total == 2
    assert access.facts["private_repositories"] == 1
    assert access.facts["account_id"] == "uuid-alice"
    assert fake.sent() == [LOGIN, "GET /v2/repositories/alice/"]
    assert login_body(fake) == {"username": "alice", "password": fh.ADMIN}
    assert fake.requests[1].bearer() == fh.session_jwt("alice", "repo:admin", "alice@acme.test")
    assert fake.requests[1].query == {"page_size": ["100"]}
    fake.assert_read_only()


def test_read_only_token_with_username_after_it(fake):
    access = lookup(token(f"echo {fh.READ} | docker login -u alice --password-stdin"), fake.url)
    assert access.live is True
    assert access.grants == ["repo:read"]
    assert access.capabilities == {"read"}


def test_public_read_token_reaches_nothing_private(fake):
    access = lookup(token(f"DOCKER_USERNAME=alice\nDOCKER_PASSWORD={fh.PUBLIC}\n"), fake.url)
    assert access.grants == ["repo:public_read"]
    assert access.capabilities == {"read"}
    assert access.facts["public_only"] is True


def test_organization_token_is_organization_reach(fake):
    tok = token(f"- uses: docker/login-action@v3\n  with:\n    username: acme\n    password: {fh.ORG}\n")
    assert tok.kind == "organization_access_token"
    access = lookup(tok, fake.url)
    assert access.live is True
    assert access.reach == "organization"
    assert access.grants == ["repo:write"]
    assert access.capabilities == {"read", "write"}
    assert access.resources == ["acme/payments (private)"]


def test_second_factor_answer_means_valid(fake):
    access = lookup(token(f"docker login --username bob --password {fh.TWO_FACTOR}"), fake.url)
    assert access.live is True
    assert access.identity == "bob"
    assert access.grants == []
    assert fake.sent() == [LOGIN]


def test_revoked_token_is_not_live(fake):
    access = lookup(token(f"docker login -u alice -p {fh.REVOKED}"), fake.url)
    assert access.live is False
    assert access.evidence == "api"
    assert fake.sent() == [LOGIN]


def test_token_without_username_is_never_sent(fake):
    access = lookup(token(f"DOCKER_TOKEN={fh.ADMIN}"), fake.url)
    assert access.live is None
    assert fake.sent() == []
    assert any("username" in n for n in access.notes)


def test_undecodable_session_keeps_liveness(fake):
    access = lookup(token(f"docker login -u alice -p {fh.BAD_JWT}"), fake.url)
    assert access.live is True
    assert access.grants == []
    assert any("could not be decoded" in n for n in access.notes)


@pytest.mark.parametrize(("secret", "why"), [(fh.RATE_LIMITED, "429"), (fh.BROKEN, "500"),
                                             (fh.MALFORMED, "not JSON")])
def test_failures_are_unknown(fake, secret, why):
    access = lookup(token(f"docker login -u alice -p {secret}"), fake.url, timeout=3)
    assert access.live is None
    assert any(why in n for n in access.notes)
    fake.assert_read_only()


def test_token_never_travels_in_a_url(fake):
    lookup(token(f"docker login -u alice -p {fh.ADMIN}"), fake.url)
    assert all(fh.ADMIN not in r.path for r in fake.requests)


# Offline ---------------------------------------------------------------------------------------


def test_classify_names_the_paired_user():
    access = detector.classify(token(f"docker login -u Alice -p {fh.ADMIN}"))
    assert access.facts["username"] == "alice"
    assert access.live is None


@pytest.mark.parametrize("session", ["", "a.b.c", "x" * 500, "eyJ.eyJ.sig", "...."])
def test_read_session_never_raises_on_garbage(session):
    access = Access()
    assert read_session(access, session, "alice", "personal_access_token") == "alice"
    assert access.grants == []
    assert access.identity == "alice"


def test_read_session_accepts_a_list_scope_and_ignores_a_bad_namespace():
    access = Access()
    jwt = fh.session_jwt("../etc", None)
    assert read_session(access, jwt, "alice", None) == "alice"
    access = Access()
    payload = base64.urlsafe_b64encode(json.dumps({"scope": ["repo:write", "repo:read"]}).encode()).decode()
    read_session(access, f"eyJhbGciOiJub25lIn0.{payload.rstrip('=')}.x", "bob", None)
    assert access.grants == ["repo:write", "repo:read"]
    assert access.capabilities == {"read", "write"}


def test_username_from_further_away_in_the_file(fake):
    text = "DOCKERHUB_USERNAME: alice\n" + "# " + "x" * 300 + f"\nREGISTRY_PASSWORD={fh.READ}\n"
    tok = token(text)
    assert "username" not in tok.extras
    assert tok.context["username"] == "alice"
    access = lookup(tok, fake.url)
    assert access.live is True
    assert access.grants == ["repo:read"]


def test_refused_login_for_a_distant_name_is_unknown(fake):
    text = "docker login --username=bob registry.acme.test\n" + "# " + "x" * 300 + f"\nTOKEN={fh.REVOKED}\n"
    tok = token(text)
    assert tok.context["username"] == "bob"
    access = lookup(tok, fake.url)
    assert access.live is None
    assert fake.sent() == [LOGIN]
