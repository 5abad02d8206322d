from __future__ import annotations

import socket

import pytest

from tests.fakes import okta as ok
from tests.helpers import lookup, token
from tokenreach.detectors.providers.okta import detector
from tokenreach.scanner.lookup import LookupOptions, lookup_one


@pytest.fixture
def fake():
    with ok.make() as server:
        yield server


def find(secret: str, org: str = ok.ORG):
    return token(f"OKTA_ORG_URL=https://{org}\nOKTA_API_TOKEN={secret}\n", provider="okta")


def test_binds_the_org_of_its_block_or_line():
    assert find(ok.SUPER).context == {"org": ok.ORG}
    tok = token(f"curl -H 'Authorization: SSWS {ok.READER}' https://acme-admin.okta.com/api/v1/users",
                provider="okta")
    assert tok.context == {"org": "acme-admin.okta.com"}


def test_super_admin_token_is_broad(fake):
    access = lookup(find(ok.SUPER), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "organization")
    assert access.identity == f"it-automation@acme.test on {ok.ORG}"
    assert access.grants == ["SUPER_ADMIN"]  # the INACTIVE APP_ADMIN assignment does not count
    assert access.capabilities == {"read", "write", "delete", "admin", "secrets"}
    assert access.resources == [ok.ORG]
    assert fake.sent() == ["GET /api/v1/users/me", "GET /api/v1/users/00u1super0000000001/roles"]
    assert all(r.header("authorization") == f"SSWS {ok.SUPER}" for r in fake.requests)
    assert all(r.header("x-tokenreach-target-host") == ok.ORG for r in fake.requests)
    fake.assert_read_only()


def test_read_only_admin_token_is_narrow(fake):
    access = lookup(find(ok.READER), fake.url)
    assert (access.live, access.reach, access.grants) == (True, "organization", ["READ_ONLY_ADMIN"])
    assert access.capabilities == {"read"}


def test_admin_console_host_is_asked_as_the_org(fake):
    tok = token(f"curl -H 'Authorization: SSWS {ok.READER}' https://acme-admin.okta.com/api/v1/users",
                provider="okta")
    access = lookup(tok, fake.url)
    assert access.live is True and access.facts["org"] == ok.ORG
    assert fake.requests[0].header("x-tokenreach-target-host") == ok.ORG


def test_roles_refused_is_live_with_roles_unknown(fake):
    access = lookup(find(ok.HELPDESK), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.grants == [] and access.capabilities == set()
    assert any("may not read role assignments" in n and "403" in n for n in access.notes)


def test_network_restricted_token_is_live(fake):
    access = lookup(find(ok.RESTRICTED), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert any("E0000006" in n for n in access.notes)
    assert fake.sent() == ["GET /api/v1/users/me"]


def test_revoked_token_is_not_live(fake):
    access = lookup(find(ok.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any("E0000011" in n for n in access.notes)
    assert fake.sent() == ["GET /api/v1/users/me"]


@pytest.mark.parametrize("secret", [ok.RATE_LIMITED, ok.BROKEN])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3, max_retries=0)
    assert access.live is None
    assert access.grants == []
    fake.assert_read_only()


def test_token_never_in_the_url(fake):
    lookup(find(ok.SUPER), fake.url)
    for req in fake.requests:
        assert ok.SUPER not in req.path and ok.SUPER not in str(req.query)


def test_no_bound_org_is_not_looked_up(fake):
    text = f"# docs: https://acme.okta.com\n\nOKTA_API_TOKEN={ok.SUPER}\n"
    tok = token(text, provider="okta")
    assert tok.context == {}
    access = lookup(tok, fake.url)
    assert access.live is None
    assert any("org unknown" in n for n in access.notes)
    assert fake.requests == []


def test_okta_own_site_is_not_an_org(fake):
    access = lookup(find(ok.SUPER, org="developer.okta.com"), fake.url)
    assert access.live is None and fake.requests == []


def test_org_resolving_to_a_private_address_is_not_looked_up(monkeypatch):
    def private(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.20.30.40", port))]

    monkeypatch.setattr(socket, "getaddrinfo", private)
    access = lookup_one(find(ok.SUPER, org="intranet.okta.com"), LookupOptions(environ={}, total_timeout=3))
    assert access.live is None
    assert access.facts["not_looked_up"] == "private host"
    assert any(n.startswith("not looked up: private host") for n in access.notes)


def test_hosts_are_okta_domains_only():
    assert detector.api_url is None
    assert detector.host_suffixes == (".okta.com", ".oktapreview.com", ".okta-emea.com")


def test_scan_of_a_repository_reports_the_super_admin_token_critical(tmp_path):
    from tests.helpers import Repo, fake_env, scan_json

    repo = Repo(tmp_path / "repo")
    repo.write(".gitignore", ".env\n")
    repo.write(".env", f"OKTA_ORG_URL=https://{ok.ORG}\nOKTA_API_TOKEN={ok.SUPER}\n")
    repo.commit("init")
    with ok.make() as fake:
        report = scan_json(repo.root, "--no-history", env=fake_env({"okta": fake.url}))
    (finding,) = [f for f in report["findings"] if f["provider"] == "okta"]
    assert (finding["severity"], finding["over_privileged"]) == ("critical", True)
    assert finding["access"]["live"] is True and finding["access"]["grants"] == ["SUPER_ADMIN"]
    assert ok.SUPER not in str(report)
