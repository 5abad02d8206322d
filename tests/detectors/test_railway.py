from __future__ import annotations

import json

import pytest

from tests.fakes import railway as rw
from tests.helpers import lookup, token
from tokenreach.detectors.providers import railway
from tokenreach.scanner.engine import tokens_in
from tokenreach.scanner.model import Token

GQL = "POST /graphql/v2"
ADMIN_CAPS = {"read", "write", "delete", "admin", "secrets", "billing"}


@pytest.fixture
def fake():
    with rw.make() as server:
        yield server


def queries(fake) -> list[str]:
    return [json.loads(r.body)["query"] for r in fake.requests]


def no_secret_in(access, secret: str) -> None:
    assert secret not in json.dumps(access.to_json())


def test_account_token_reaches_every_workspace_and_can_delete(fake):
    access = lookup(token(f"RAILWAY_API_TOKEN={rw.ACCOUNT}"), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.identity == "dev@example.com"
    assert access.reach == "account"
    assert access.capabilities == ADMIN_CAPS
    assert access.grants == ["Dev's Projects:ADMIN", "acme:ADMIN"]
    assert access.resources == ["Dev's Projects/blog", "acme/shop", "acme/api", "acme/postgres"]
    assert access.resources_total == 4
    assert access.facts["token_kind"] == "account"
    assert access.facts["workspaces"] == 2
    assert access.facts["projects"] == 4
    assert access.facts["can_delete_projects"] is True
    assert access.facts["bypasses_2fa"] is True
    assert "kind_mismatch" not in access.facts  # RAILWAY_API_TOKEN is meant for account tokens
    assert access.facts["delete_scope"] == "the account"
    assert any("can delete every volume, service and project of the account (4 project(s)" in n
               for n in access.notes)
    # me (probe), then one aliased query for projects and one for roles: 3 calls, all queries.
    assert fake.sent() == [GQL, GQL, GQL]
    q = queries(fake)
    assert q[0] == railway.Q_ME
    assert 'w0: workspace(workspaceId: "ws-personal")' in q[1] and "projects(first: 500)" in q[1]
    assert "members { email role }" in q[2]
    assert all(r.bearer() == rw.ACCOUNT for r in fake.requests)
    fake.assert_read_only()
    no_secret_in(access, rw.ACCOUNT)


def test_account_token_named_as_project_token_is_flagged(fake):
    """The motivating incident: an account-wide token sitting where a narrow one was meant."""
    access = lookup(token(f"RAILWAY_TOKEN={rw.ACCOUNT}"), fake.url)
    assert access.facts["token_kind"] == "account"
    assert access.facts["kind_hint"] == "project"
    assert access.facts["kind_mismatch"] is True
    assert any("RAILWAY_TOKEN" in n and "account token" in n for n in access.notes)


def test_viewer_account_token_cannot_delete(fake):
    access = lookup(token(f"railway_api_key: {rw.ACCOUNT_VIEWER}"), fake.url)
    assert access.live is True
    assert access.grants == ["acme:VIEWER"]
    assert access.capabilities == {"read", "admin"}  # admin: it can still mint tokens
    assert "can_delete_projects" not in access.facts
    assert access.facts["roles"] == {"acme": "VIEWER"}


def test_exhausted_quota_skips_enumeration_and_assumes_full_rights(fake):
    access = lookup(token(f"RAILWAY_API_TOKEN={rw.ACCOUNT_QUOTA_GONE}"), fake.url)
    assert access.live is True
    assert fake.sent() == [GQL]
    assert access.capabilities == ADMIN_CAPS
    assert any("quota is used up" in n for n in access.notes)
    assert any("assumed the user's full rights" in n for n in access.notes)


def test_workspace_token_is_admin_over_one_workspace(fake):
    access = lookup(token(f"RAILWAY_API_TOKEN={rw.WORKSPACE}"), fake.url)
    assert access.live is True
    assert access.reach == "organization"
    assert access.identity == "workspace acme"
    assert access.capabilities == ADMIN_CAPS
    assert access.grants == []
    assert access.resources == ["acme/shop", "acme/api", "acme/postgres"]
    assert access.facts["token_kind"] == "workspace"
    assert access.facts["workspaces"] == 1
    assert access.facts["projects"] == 3
    assert fake.sent() == [GQL, GQL, GQL]
    q = queries(fake)
    assert q[:2] == [railway.Q_ME, railway.Q_API_TOKEN]
    assert 'w0: workspace(workspaceId: "ws-acme")' in q[2]
    fake.assert_read_only()


def test_project_token_is_one_environment_sent_in_its_own_header(fake):
    access = lookup(token(f"RAILWAY_TOKEN={rw.PROJECT}"), fake.url)
    assert access.live is True
    assert access.reach == "project"
    assert access.identity == "project shop (production)"
    assert access.capabilities == {"read", "write", "secrets"}
    assert access.resources == ["shop/production"]
    assert access.facts["token_kind"] == "project"
    assert access.facts["environment"] == "production"
    assert access.facts["production"] is True
    assert "kind_mismatch" not in access.facts
    assert any("two-factor" in n for n in access.notes)
    assert fake.sent() == [GQL, GQL, GQL]
    assert queries(fake) == [railway.Q_ME, railway.Q_API_TOKEN, railway.Q_PROJECT_TOKEN]
    last = fake.requests[-1]
    assert last.header("project-access-token") == rw.PROJECT
    assert last.header("authorization") is None
    fake.assert_read_only()
    no_secret_in(access, rw.PROJECT)


def test_staging_project_token_is_not_production(fake):
    access = lookup(token(f'headers = {{"Project-Access-Token": "{rw.PROJECT_STAGING}"}}'), fake.url)
    assert access.facts["environment"] == "staging"
    assert access.facts["production"] is False
    assert access.facts["kind_hint"] == "project"


def test_revoked_only_after_all_three_probes_refuse(fake):
    access = lookup(token(f"RAILWAY_TOKEN={rw.REVOKED}"), fake.url)
    assert access.live is False
    assert access.evidence == "api"
    assert fake.sent() == [GQL, GQL, GQL]
    fake.assert_read_only()


def test_rate_limit_is_unknown_never_revoked(fake):
    access = lookup(token(f"RAILWAY_TOKEN={rw.RATE_LIMITED}"), fake.url, timeout=3)
    assert access.live is None
    assert any("429" in n for n in access.notes)
    assert fake.sent() == [GQL]  # Retry-After 120 s is past the deadline: no blind retry


def test_server_error_is_unknown(fake):
    access = lookup(token(f"RAILWAY_TOKEN={rw.SERVER_ERROR}"), fake.url, timeout=8)
    assert access.live is None
    assert any("503" in n for n in access.notes)


def test_malformed_body_is_unknown(fake):
    access = lookup(token(f"RAILWAY_TOKEN={rw.MALFORMED}"), fake.url)
    assert access.live is None
    assert fake.sent() == [GQL]


def test_an_error_other_than_not_authorized_never_reads_as_dead(fake):
    access = lookup(token(f"RAILWAY_TOKEN={rw.ODD_ERROR}"), fake.url)
    assert access.live is None
    assert any("Problem processing request" in n for n in access.notes)


def test_cli_config_login_is_looked_up_and_refresh_token_never_is(fake):
    config = (
        '{"projects": {"/srv/shop": {"projectPath": "/srv/shop", "project": "p-shop"}}, '
        f'"user": {{"token": "{rw.ACCOUNT}", "refreshToken": "rwr_NeverRedeemThisTokenPlease"}}}}'
    )
    found = [t for t in tokens_in(config) if t.provider == "railway"]
    assert [(t.pattern_id, t.kind) for t in found] == [
        ("railway.cli_token", "cli_login"), ("railway.cli_refresh_token", "oauth_refresh")]
    login, refresh = found
    access = lookup(login, fake.url)
    assert access.facts["token_kind"] == "account"
    assert access.facts["kind_hint"] == "account"
    sent_before = len(fake.requests)
    refreshed = lookup(refresh, fake.url)
    assert len(fake.requests) == sent_before  # not a single request for a refresh token
    assert refreshed.live is None
    assert refreshed.facts["token_kind"] == "oauth_refresh"
    assert any("never redeemed" in n for n in refreshed.notes)


def test_bearer_next_to_backboard_url_is_found():
    tok = token(f'curl -H "Authorization: Bearer {rw.ACCOUNT}" https://backboard.railway.com/graphql/v2')
    assert tok.pattern_id == "railway.bearer_before_url"
    assert tok.secret == rw.ACCOUNT


# Offline ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("variable", "pattern_id", "hint"), [
    ("RAILWAY_TOKEN", "railway.token", "project"),
    ("railway-token", "railway.token", "project"),
    ("RAILWAY_API_TOKEN", "railway.token", "account_or_workspace"),
    ("PROD_RAILWAY_API_TOKEN", "railway.token", "account_or_workspace"),
    ("RAILWAY_WORKSPACE_TOKEN", "railway.token", "workspace"),
    ("RAILWAY_DOMAIN_TOKEN", "railway.token", None),
    (None, "railway.project_access_token_header", "project"),
    (None, "railway.cli_access_token", "account"),
    (None, "railway.token", None),
    ("", "", None),
])
def test_kind_hint(variable, pattern_id, hint):
    assert railway.kind_hint(variable, pattern_id) == hint


def test_classify_keeps_the_variable_and_never_decides_liveness():
    tok = token("RAILWAY_DOMAIN_TOKEN=a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d")
    access = railway.detector.classify(tok)
    assert access.live is None
    assert access.facts["variable"] == "RAILWAY_DOMAIN_TOKEN"
    assert "kind_hint" not in access.facts
    assert "skip_lookup" not in access.facts


@pytest.mark.parametrize("garbage", [None, 3, "x", [], [None, 1, {}], [{"name": "no id"}], {"id": "x"}])
def test_graphql_shapes_never_raise(garbage):
    assert railway._named(garbage) == []
    assert railway._edges(garbage) == []
    assert railway._edges({"edges": garbage}) == []


def test_classify_garbage_token_never_raises():
    access = railway.detector.classify(Token(provider="railway", secret="", extras={"name": "\x00"}))
    assert access.live is None


def test_pretty_printed_cli_config_with_a_long_access_token():
    """The CLI writes config.json with serde's pretty printer; the OAuth access token may be long."""
    config = json.dumps({
        "projects": {f"/srv/app{i}": {"projectPath": f"/srv/app{i}", "name": f"app{i}",
                                      "project": f"p-{i}", "environment": "e-1",
                                      "environmentName": "production", "service": None}
                     for i in range(30)},
        "user": {"token": rw.ACCOUNT, "accessToken": "rw_" + "A1b2C3d4" * 200,
                 "refreshToken": "rwr_Zy98XwVuTsRqPoNmLkJiHgFeDc", "tokenExpiresAt": 1767225600},
        "lastUpdateCheck": "2026-11-01T00:00:00Z",
    }, indent=2)
    found = {t.pattern_id: t.secret for t in tokens_in(config) if t.provider == "railway"}
    assert found == {
        "railway.cli_token": rw.ACCOUNT,
        "railway.cli_access_token": "rw_" + "A1b2C3d4" * 200,
        "railway.cli_refresh_token": "rwr_Zy98XwVuTsRqPoNmLkJiHgFeDc",
    }


def test_mixed_roles_name_the_workspaces_it_can_empty(fake):
    access = lookup(token(f"RAILWAY_API_TOKEN={rw.ACCOUNT_MIXED}"), fake.url)
    assert access.grants == ["Mia's Projects:ADMIN", "acme:MEMBER"]  # email matched case-insensitively
    assert access.capabilities == ADMIN_CAPS  # the union: admin of their own workspace
    assert access.facts["delete_scope"] == "workspace(s) Mia's Projects"
    assert any("(2 project(s);" in n for n in access.notes)
    assert access.facts["projects"] == 5


def test_partial_me_answer_is_still_a_live_account_token_assumed_broad(fake):
    access = lookup(token(f"RAILWAY_API_TOKEN={rw.ACCOUNT_PARTIAL}"), fake.url)
    assert access.live is True
    assert access.facts["token_kind"] == "account"
    assert access.identity == "pat@example.com"
    assert access.capabilities == ADMIN_CAPS
    assert access.facts["delete_scope"] == "the account"
    assert any("me answered in part: Problem processing request" in n for n in access.notes)
    assert fake.sent() == [GQL]  # no workspace ids, nothing to enumerate


def test_nearby_project_access_token_header_is_a_kind_hint():
    code = (f'const RAILWAY_SECRET = "{rw.PROJECT}";\n'
            'await fetch(url, {headers: {"Project-Access-Token": RAILWAY_SECRET}});\n')
    tok = token(code)
    access = railway.detector.classify(tok)
    assert access.facts["sent_as"] == "Project-Access-Token"
    assert access.facts["kind_hint"] == "project"
    assert access.facts["variable"] == "RAILWAY_SECRET"
