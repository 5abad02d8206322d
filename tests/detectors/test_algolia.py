from __future__ import annotations

import pytest

from tests.fakes import algolia as al
from tests.helpers import lookup, token


@pytest.fixture
def fake():
    with al.make() as server:
        yield server


def find(secret: str, app_id: str | None = al.APP_ID, name: str = "ALGOLIA_ADMIN_KEY"):
    text = (f"ALGOLIA_APP_ID={app_id}\n" if app_id else "") + f"{name}={secret}\n"
    return token(text, provider="algolia")


def test_admin_key(fake):
    access = lookup(find(al.ADMIN), fake.url)
    assert (access.live, access.evidence, access.reach) == (True, "api", "project")
    assert access.identity == f"admin API key of application {al.APP_ID}"
    assert access.capabilities == {"read", "write", "delete", "admin", "secrets"}
    assert access.facts["admin_key"] is True
    assert fake.sent() == ["GET /1/keys/" + al.ADMIN, "GET /1/keys"]
    assert {r.header("x-tokenreach-target-host") for r in fake.requests} == {"k4q9zp2m7a.algolia.net"}
    fake.assert_read_only()


def test_write_key_on_every_index(fake):
    access = lookup(find(al.WRITE, name="ALGOLIA_WRITE_API_KEY"), fake.url)
    assert (access.live, access.reach) == (True, "project")
    assert access.grants == al._KEYS[al.WRITE]["acl"]
    assert access.capabilities == {"read", "write", "delete"}
    assert access.expires_at is None
    assert any("can delete records or whole indices" in n for n in access.notes)
    assert fake.sent() == ["GET /1/keys/" + al.WRITE]


def test_narrow_key_limited_to_an_index_pattern_and_an_hour(fake):
    access = lookup(find(al.NARROW, name="ALGOLIA_API_KEY"), fake.url)
    assert (access.live, access.reach, access.grants) == (True, "resource", ["search"])
    assert access.capabilities == {"read"}
    assert access.resources == ["index products_*"]
    assert access.expires_at == "2024-06-01T01:00:00+00:00"
    assert access.facts["referers"] == ["https://shop.acme.test/*"]


def test_key_without_the_search_acl_is_live_with_its_acl_unknown(fake):
    access = lookup(find(al.NO_ACL), fake.url)
    assert (access.live, access.evidence, access.grants) == (True, "api", [])
    assert any("Method not allowed" in n for n in access.notes)


def test_revoked_is_not_live(fake):
    access = lookup(find(al.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert any("Invalid Application-ID or API key" in n for n in access.notes)
    assert len(fake.requests) == 1


@pytest.mark.parametrize("secret", [al.RATE_LIMITED, al.BROKEN, al.MALFORMED])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(find(secret), fake.url, timeout=3)
    assert access.live is None
    assert access.grants == []
    fake.assert_read_only()


def test_no_application_id_means_no_request(fake):
    access = lookup(find(al.ADMIN, app_id=None), fake.url)
    assert access.live is None
    assert any(n.startswith("not looked up: no application id") for n in access.notes)
    assert fake.requests == []


def test_an_application_id_outside_the_keys_block_is_not_bound(fake):
    tok = token(f"ALGOLIA_APP_ID={al.APP_ID}\n\n[other]\nALGOLIA_ADMIN_KEY={al.ADMIN}\n", provider="algolia")
    assert lookup(tok, fake.url).live is None
    assert fake.requests == []


def test_key_travels_only_to_its_application_host_and_headers(fake):
    lookup(find(al.WRITE), fake.url)
    (req,) = fake.requests
    assert req.header("x-algolia-api-key") == al.WRITE
    assert req.header("x-algolia-application-id") == al.APP_ID
    assert req.header("authorization") is None and not req.query


def test_only_the_key_path_carries_the_key_and_the_label_hides_it(fake):
    """Algolia's own-key endpoint is /1/keys/{key}: the only URL with the key in it, and -v never shows it."""
    import time

    import httpx

    from tokenreach.detectors.http import ProviderSession
    from tokenreach.detectors.providers.algolia import detector

    with httpx.Client() as client:
        session = ProviderSession(detector, client=client, deadline=time.monotonic() + 10,
                                  environ={"TOKENREACH_ALGOLIA_API_URL": fake.url})
        detector.lookup(find(al.WRITE), session.http(al.WRITE), detector.classify(find(al.WRITE)))
    assert session.sent == ["GET /1/keys/…"]


def test_scan_of_a_repository_looks_the_admin_key_up_with_its_application_id(tmp_path):
    from tests.helpers import Repo, fake_env, scan_json

    repo = Repo(tmp_path / "repo")
    repo.write(".gitignore", ".env\n")
    repo.write(".env", f"ALGOLIA_APP_ID={al.APP_ID}\nALGOLIA_ADMIN_KEY={al.ADMIN}\n")
    repo.commit("init")
    with al.make() as fake:
        report = scan_json(repo.root, "--no-history", env=fake_env({"algolia": fake.url}))
    (finding,) = [f for f in report["findings"] if f["provider"] == "algolia"]
    assert finding["access"]["live"] is True
    assert finding["access"]["facts"]["admin_key"] is True
    assert "admin" in finding["access"]["capabilities"]
    assert al.ADMIN not in str(report)
