from __future__ import annotations

import zlib

import pytest

from tests.fakes import github as gh
from tests.helpers import lookup, token
from tokenreach.detectors.providers.github import base62, checksum_ok, detector, parse_expiration, with_checksum
from tokenreach.scanner.engine import tokens_in
from tokenreach.scanner.model import Token


@pytest.fixture
def fake():
    with gh.make() as server:
        yield server


def find(text: str) -> Token:
    return token(text, "github")


# Classic PAT, OAuth, pre-2021 -----------------------------------------------------------------


def test_broad_classic_pat(fake):
    access = lookup(find(f"GITHUB_TOKEN={gh.CLASSIC_BROAD}"), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.identity == "alice"
    assert access.grants == ["repo", "admin:org", "delete_repo", "workflow"]
    assert access.capabilities == {"read", "write", "delete", "admin", "secrets"}
    assert access.reach == "organization"
    assert access.resources == ["org acme", "org labs", "acme/api", "alice/dotfiles", "labs/site"]
    assert access.resources_total == 201  # three pages of repositories per the Link header
    assert access.expires_at is None
    assert access.facts["never_expires"] is True
    assert access.facts["orgs"] == ["acme", "labs"]
    assert access.facts["sso_unauthorized_org_ids"] == ["21955855", "20582480"]
    assert (access.facts["repos_admin"], access.facts["repos_push"]) == (2, 3)
    assert fake.sent() == ["GET /user", "GET /user/orgs", "GET /user/repos"]
    fake.assert_read_only()


def test_requests_carry_the_documented_headers_and_no_token_in_urls(fake):
    lookup(find(gh.CLASSIC_BROAD), fake.url)
    for req in fake.requests:
        assert req.header("authorization") == f"Bearer {gh.CLASSIC_BROAD}"
        assert req.header("x-github-api-version") == "2022-11-28"
        assert req.header("accept") == "application/vnd.github+json"
        assert req.header("user-agent")
        assert gh.CLASSIC_BROAD not in req.path and gh.CLASSIC_BROAD not in str(req.query)
    assert fake.requests[2].query == {"per_page": ["100"], "sort": ["pushed"]}


def test_narrow_classic_pat_with_expiry(fake):
    access = lookup(find(f"token: {gh.CLASSIC_NARROW}"), fake.url)
    assert access.live is True
    assert access.grants == ["read:user"]
    assert access.capabilities == {"read"}  # admin role on a repo means nothing without repo scope
    assert access.reach == "account"
    assert access.expires_at == "2026-11-02T12:00:00+00:00"
    assert "never_expires" not in access.facts


def test_oauth_token_without_scopes_reads_public_data_only(fake):
    access = lookup(find(f'"access_token": "{gh.OAUTH}"'), fake.url)
    assert access.live is True
    assert access.grants == []
    assert access.capabilities == {"read"}
    assert access.reach == "account"  # member of acme, but no scope reaches organizations
    assert any("no scopes" in n for n in access.notes)
    assert "never_expires" not in access.facts  # only classic PATs are flagged for that


def test_legacy_hex_token_is_looked_up_like_a_classic_pat(fake):
    tok = find(f"GITHUB_TOKEN={gh.LEGACY}")
    assert tok.kind == "legacy_token"
    access = lookup(tok, fake.url)
    assert (access.live, access.grants, access.reach) == (True, ["repo"], "account")
    assert access.capabilities == {"read", "write", "admin"}
    assert fake.sent() == ["GET /user", "GET /user/orgs", "GET /user/repos"]


def test_failed_secondary_call_keeps_liveness(fake):
    access = lookup(find(gh.CLASSIC_FLAKY), fake.url, timeout=5)
    assert access.live is True
    assert access.grants == ["repo"]
    assert any("organizations unknown" in n for n in access.notes)
    assert fake.sent()[:2] == ["GET /user", "GET /user/orgs"]
    assert fake.sent()[-1] == "GET /user/repos"


# Fine-grained PAT ---------------------------------------------------------------------------


def test_fine_grained_pat_read_probes(fake):
    access = lookup(find(f"GH_PAT={gh.FINE}"), fake.url)
    assert access.live is True
    assert access.identity == "alice"
    assert access.reach == "organization"
    assert access.resources == ["acme/web", "acme/api"]
    assert access.grants == ["metadata=read", "contents=read", "repository_hooks=read"]
    assert access.capabilities == {"read"}
    assert access.facts["not_granted"] == ["administration=read", "secrets=read"]
    assert access.facts["write"] == "unknown"
    assert access.expires_at == "2026-12-01T09:30:00-08:00"
    # Probes go to the repository the user administers, and only GETs are sent.
    assert fake.sent() == [
        "GET /user",
        "GET /user/repos",
        "GET /repos/acme/api/commits",
        "GET /repos/acme/api/actions/permissions",
        "GET /repos/acme/api/actions/secrets",
        "GET /repos/acme/api/hooks",
    ]
    fake.assert_read_only()


def test_fine_grained_pat_on_one_read_only_repo(fake):
    access = lookup(find(gh.FINE_ONE), fake.url)
    assert access.live is True
    assert access.identity == "bob"
    assert access.reach == "resource"
    assert access.grants == ["metadata=read", "contents=read"]
    assert access.capabilities == {"read"}
    assert access.facts["write"] == "no repository write"
    assert access.facts["not_granted"] == ["administration=read", "secrets=read", "repository_hooks=read"]


# GitHub App tokens --------------------------------------------------------------------------


def test_app_user_token_permissions_from_installations(fake):
    access = lookup(find(f"APP_USER_TOKEN={gh.APP_USER}"), fake.url)
    assert access.live is True
    assert access.identity == "alice"
    assert access.grants == ["administration=write", "contents=write", "issues=write", "metadata=read"]
    assert access.capabilities == {"read", "write", "admin", "delete"}
    assert access.reach == "organization"  # "all" repositories of the acme organization
    assert access.resources == ["installation on acme (all repositories)",
                                "installation on alice (selected repositories)"]
    assert access.expires_at == "2026-11-25T19:00:00+00:00"
    assert fake.sent() == ["GET /user", "GET /user/installations"]


def test_installation_token_selected_repositories(fake):
    access = lookup(find(f"export GH_TOKEN={gh.INSTALLATION}"), fake.url)
    assert access.live is True
    assert access.identity == "app installation on acme"
    assert access.reach == "resource"
    assert access.resources == ["acme/api", "acme/web", "acme/docs"]
    assert access.resources_total == 3
    assert access.grants == ["metadata=read", "contents=read", "secrets=read"]
    assert access.capabilities == {"read"}
    assert access.facts["repository_selection"] == "selected"
    assert access.facts["not_granted"] == ["administration=read", "repository_hooks=read"]
    assert fake.sent() == [
        "GET /installation/repositories",
        "GET /repos/acme/api/commits",
        "GET /repos/acme/api/actions/permissions",
        "GET /repos/acme/api/actions/secrets",
        "GET /repos/acme/api/hooks",
    ]
    assert "GET /user" not in fake.sent()  # /user is 403 for installation tokens


def test_installation_token_on_all_repositories_of_an_org(fake):
    access = lookup(find(gh.INSTALLATION_ALL), fake.url)
    assert (access.live, access.reach) == (True, "organization")


def test_revoked_installation_token(fake):
    access = lookup(find(gh.INSTALLATION_GONE), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == ["GET /installation/repositories"]


def test_refresh_token_is_never_sent(fake):
    tok = find(f"refresh_token={gh.REFRESH}")
    assert tok.kind == "refresh"
    access = lookup(tok, fake.url)
    assert access.live is None
    assert fake.sent() == []
    assert any("never redeemed" in n for n in access.notes)


# Failures -----------------------------------------------------------------------------------


def test_revoked_is_not_live(fake):
    access = lookup(find(gh.REVOKED), fake.url)
    assert access.live is False
    assert access.evidence == "api"
    assert fake.sent() == ["GET /user"]


@pytest.mark.parametrize(
    ("tok", "reason"),
    [
        (gh.RATE_LIMITED, "rate limit exhausted"),
        (gh.SECONDARY_LIMITED, "429"),
        (gh.SERVER_ERROR, "502"),
        (gh.MALFORMED, "not JSON"),
    ],
)
def test_failures_are_unknown_never_revoked(fake, tok, reason):
    access = lookup(find(tok), fake.url, timeout=5)
    assert access.live is None
    assert any(reason in n for n in access.notes), access.notes
    assert all(tok not in n for n in access.notes)
    assert set(fake.sent()) == {"GET /user"}
    fake.assert_read_only()


# Offline ------------------------------------------------------------------------------------


def test_checksum_matches_the_published_rule():
    body = "R7kQ2mVx9LpT4wNc8ZbH3sJd6YfGa1"
    tok = with_checksum("ghp", body)
    assert tok[-6:] == base62(zlib.crc32(body.encode()))
    assert checksum_ok(tok)
    assert not checksum_ok(tok[:-1] + ("A" if tok[-1] != "A" else "B"))
    assert base62(0) == "000000"
    assert base62(61, width=1) == "z"


@pytest.mark.parametrize("garbage", ["", "ghp_", "ghp_é" + "a" * 35, "x" * 40, "ghp_" + "!" * 36, "gh_p" * 10])
def test_checksum_rejects_garbage_without_raising(garbage):
    assert checksum_ok(garbage) is False


def test_with_checksum_needs_30_characters():
    with pytest.raises(ValueError):
        with_checksum("ghp", "short")


def test_a_token_failing_its_checksum_is_not_found():
    found = tokens_in("GITHUB_TOKEN=ghp_R7kQ2mVx9LpT4wNc8ZbH3sJd6YfGa135I1tw")
    assert [t for t in found if t.provider == "github"] == []


def test_classify_offline():
    access = detector.classify(find(gh.CLASSIC_BROAD))
    assert access.evidence == "offline"
    assert access.facts["kind"] == "classic_pat"
    assert access.live is None
    fine = detector.classify(find(gh.FINE))
    assert (fine.evidence, fine.facts["kind"]) == ("prefix", "fine_grained_pat")
    garbage = detector.classify(Token(provider="github", secret="not a token"))
    assert garbage.facts["kind"] == "unknown"


def test_parse_expiration():
    assert parse_expiration("2026-11-02 12:00:00 UTC") == "2026-11-02T12:00:00+00:00"
    assert parse_expiration("2026-11-02 12:00:00 +0200") == "2026-11-02T12:00:00+02:00"
    assert parse_expiration("next tuesday") is None
    assert parse_expiration("") is None


def test_kinds_from_prefixes():
    assert find(gh.OAUTH).kind == "oauth"
    assert find(gh.APP_USER).kind == "app_user"
    assert find(gh.INSTALLATION).kind == "app_installation"
    assert find(gh.FINE).kind == "fine_grained_pat"


class _NoNetwork:
    """A ProviderHTTP stand-in for api.github.com that fails the test if used."""

    overridden = False

    def get(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("no request may be sent")


def test_enterprise_tokens_are_not_sent_to_api_github_com():
    tok = find(f"GH_ENTERPRISE_TOKEN={gh.CLASSIC_NARROW}")
    assert tok.variable == "GH_ENTERPRISE_TOKEN"
    access = detector.lookup(tok, _NoNetwork(), detector.classify(tok))  # type: ignore[arg-type]
    assert access.live is None
    assert any("TOKENREACH_GITHUB_API_URL" in n for n in access.notes)
    near = Token(provider="github", secret=gh.CLASSIC_NARROW, kind="classic_pat",
                 context={"GITHUB_SERVER_URL": "https://git.corp.example"})
    access = detector.lookup(near, _NoNetwork(), detector.classify(near))  # type: ignore[arg-type]
    assert access.live is None
    assert any("git.corp.example" in n for n in access.notes)


def test_enterprise_token_with_configured_api_is_looked_up(fake):
    access = lookup(find(f"GH_ENTERPRISE_TOKEN={gh.CLASSIC_NARROW}"), fake.url)
    assert access.live is True
