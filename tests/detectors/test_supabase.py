from __future__ import annotations

import pytest

from tests.fakes import supabase as sb
from tests.helpers import lookup, token
from tokenreach.detectors.providers.supabase import _classify_jwt, detector
from tokenreach.scanner.model import Access


@pytest.fixture
def fake():
    with sb.make() as server:
        yield server
        server.assert_read_only()


def test_personal_access_token_reaches_every_org(fake):
    access = lookup(token(f"SUPABASE_ACCESS_TOKEN={sb.PAT}"), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.reach == "organization"
    assert access.capabilities == {"read", "write", "delete", "admin", "secrets"}
    assert access.grants == []  # personal access tokens carry no scopes
    assert access.identity == "member of Acme, Acme Labs"
    assert access.resources == ["organization Acme", "organization Acme Labs",
                                f"project shop-production ({sb.REF})", f"project shop-staging ({sb.OTHER_REF})"]
    assert access.facts["projects"] == 2
    assert fake.sent() == ["GET /v1/projects", "GET /v1/organizations"]
    assert fake.requests[0].bearer() == sb.PAT


def test_revoked_access_token(fake):
    access = lookup(token(sb.PAT_REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == ["GET /v1/projects"]


@pytest.mark.parametrize("secret", [sb.PAT_RATE_LIMITED, sb.PAT_SERVER_ERROR, sb.PAT_MALFORMED])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(token(secret), fake.url, timeout=5)
    assert access.live is None
    assert access.reach == "organization"  # the offline facts stay


def test_rate_limit_names_429(fake):
    access = lookup(token(sb.PAT_RATE_LIMITED), fake.url, timeout=3)
    assert any("429" in n for n in access.notes)


def test_service_role_jwt_bypasses_rls_and_is_live(fake):
    tok = token(f"const supabase = createClient(url, '{sb.SERVICE_ROLE}')")
    assert tok.kind == "legacy_jwt"
    access = lookup(tok, fake.url)
    assert access.live is True
    assert access.grants == ["service_role"]
    assert access.reach == "project"
    assert access.capabilities == {"read", "write", "delete", "admin"}
    assert access.facts["bypasses_rls"] is True
    assert access.identity == f"project {sb.REF}"
    assert access.resources == [f"project {sb.REF}", "table orders", "table profiles"]
    assert access.expires_at == "2033-11-14T10:13:20Z"
    assert fake.sent() == ["GET /rest/v1/"]
    assert fake.requests[0].header("apikey") == sb.SERVICE_ROLE
    assert fake.requests[0].header("x-tokenreach-target-host") == f"{sb.REF}.supabase.co"


def test_anon_jwt_is_low(fake):
    access = lookup(token(f"NEXT_PUBLIC_SUPABASE_ANON_KEY={sb.ANON}"), fake.url)
    assert access.live is True
    assert access.grants == ["anon"]
    assert access.capabilities == {"read"}
    assert access.facts["public_by_design"] is True


def test_rotated_jwt_is_refused(fake):
    access = lookup(token(sb.ROTATED), fake.url)
    assert (access.live, access.evidence) == (False, "api")


def test_expired_jwt_decided_offline(fake):
    access = lookup(token(sb.EXPIRED), fake.url)
    assert access.live is False
    assert access.expires_at == "2020-09-13T12:26:40Z"
    assert fake.sent() == []


def test_demo_key_is_never_sent(fake):
    access = lookup(token(f"SERVICE_ROLE_KEY={sb.DEMO}"), fake.url)
    assert access.live is None
    assert access.facts["demo_key"] is True
    assert access.facts["environment"] == "development"  # the verdict lowers it a level
    assert access.grants == ["service_role"]
    assert fake.sent() == []


def test_user_session_token(fake):
    live = sb.make_jwt({"iss": f"https://{sb.REF}.supabase.co/auth/v1", "sub": "6f1c", "aud": "authenticated",
                        "role": "authenticated", "exp": sb._TEN_YEARS, "session_id": "9a"})
    access = lookup(token(f"token = '{live}'"), fake.url)
    assert access.live is None  # never sent without an API key beside it
    assert access.facts["token_type"] == "user_session"
    assert access.facts["project_ref"] == sb.REF
    assert access.grants == ["authenticated"]
    assert fake.sent() == []
    expired = sb.make_jwt({"iss": f"https://{sb.REF}.supabase.co/auth/v1", "role": "authenticated",
                           "exp": 1700003600})
    assert lookup(token(f"token = '{expired}'"), fake.url).live is False


def test_jwt_without_ref_is_not_sent(fake):
    access = lookup(token(sb.NO_REF), fake.url)
    assert access.live is None
    assert access.facts["bypasses_rls"] is True
    assert fake.sent() == []


def test_secret_key_with_project_url(fake):
    tok = token(f"SUPABASE_SECRET_KEY={sb.SECRET_KEY}\nSUPABASE_URL=https://{sb.REF}.supabase.co\n")
    assert tok.context == {"project_ref": sb.REF}
    access = lookup(tok, fake.url)
    assert access.live is True
    assert access.grants == ["service_role"]
    assert access.reach == "project"
    assert access.resources == [f"project {sb.REF}", "table orders", "table profiles"]
    assert fake.requests[0].header("authorization") is None  # sb_ keys go in apikey only


def test_secret_key_alone_is_offline_only(fake):
    tok = token(f"SUPABASE_SECRET_KEY={sb.SECRET_KEY}")
    assert tok.context == {}
    access = lookup(tok, fake.url)
    assert access.live is None
    assert access.facts["bypasses_rls"] is True
    assert fake.sent() == []


def test_publishable_key_is_public_and_not_looked_up(fake):
    access = lookup(token(f"SUPABASE_KEY={sb.PUBLISHABLE_KEY}"), fake.url)
    assert access.grants == ["anon"]
    assert access.facts["public_by_design"] is True
    assert fake.sent() == []


def test_secret_key_next_to_another_projects_url_is_refused(fake):
    tok = token(f"SUPABASE_SECRET_KEY={sb.SECRET_KEY}\nSUPABASE_URL=https://{sb.OTHER_REF}.supabase.co\n")
    access = lookup(tok, fake.url)
    assert access.live is None  # that project does not know the key: revoked, or another project's
    assert fake.requests[0].header("x-tokenreach-target-host") == f"{sb.OTHER_REF}.supabase.co"


def test_jwt_ref_claim_wins_over_a_url_nearby(fake):
    tok = token(f"SUPABASE_URL=https://{sb.OTHER_REF}.supabase.co\nSUPABASE_KEY={sb.SERVICE_ROLE}")
    access = lookup(tok, fake.url)
    assert access.facts["project_ref"] == sb.REF
    assert access.live is True


def test_project_host_is_built_from_the_ref_only():
    # Without an override the request would go to <ref>.supabase.co, which the suffix allows.
    assert detector.host_suffixes == (".supabase.co",)
    assert detector.hosts == ("api.supabase.com",)


# Offline -----------------------------------------------------------------------------------


@pytest.mark.parametrize("garbage", [
    "", "eyJ", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln", "eyJhbGciOiJIUzI1NiJ9.WyJsaXN0Il0.c2ln",
    sb.make_jwt({"role": 7, "ref": ["x"], "exp": "soon", "iss": None}),
    sb.make_jwt({"role": "anon", "exp": 10**20}),
    sb.make_jwt({"role": "anon", "ref": "../../evil.example.com"}),
])
def test_garbage_never_raises(garbage):
    access = Access()
    _classify_jwt(access, garbage)
    assert "project_ref" not in access.facts


def test_authenticated_user_jwt_is_reported_with_its_role():
    access = Access()
    _classify_jwt(access, sb.make_jwt({"iss": "supabase", "role": "authenticated", "ref": sb.REF}))
    assert access.grants == ["authenticated"]
    assert access.capabilities == {"read", "write"}
    assert access.facts["project_ref"] == sb.REF


def test_bare_jwt_of_another_issuer_is_not_claimed():
    from tokenreach.scanner.engine import tokens_in

    other = sb.make_jwt({"iss": "https://accounts.example.com", "role": "admin"})
    assert [t for t in tokens_in(f"token = '{other}'") if t.provider == "supabase"] == []


def test_organizations_failure_keeps_liveness():
    from tests.fakes.server import FakeServer, Reply

    fake = FakeServer()
    fake.add("GET", "/v1/projects", lambda req: Reply(200, [{"id": sb.REF, "ref": sb.REF, "name": "p"}]))
    fake.add("GET", "/v1/organizations", lambda req: Reply(500, {"message": "boom"}))
    with fake:
        access = lookup(token(sb.PAT), fake.url, timeout=5)
    assert access.live is True
    assert access.resources == [f"project p ({sb.REF})"]
    assert any("organizations unknown" in n for n in access.notes)
