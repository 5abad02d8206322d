from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from tests.fakes import gcp as fg
from tests.helpers import lookup, token
from tokenreach.detectors.providers import gcp
from tokenreach.detectors.providers.gcp import assertion, capabilities_of, load_key, project_of, unescape_pem

CALLS = ["GET /robot/v1/metadata/x509/{email}", "POST /token",
         "POST /v1/projects/acme-prod:testIamPermissions"]


@pytest.fixture
def fake():
    with fg.make() as server:
        yield server


def _calls(name: str, n: int = 3) -> list[str]:
    return [c.format(email=fg.email(name)) for c in CALLS[:n]]


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


# Offline ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("sort_keys", [False, True])
def test_both_field_orders_are_found_with_extras(sort_keys):
    tok = token(fg.key_json(fg.OWNER, sort_keys=sort_keys, indent=None if sort_keys else 2), "gcp")
    assert tok.provider == "gcp" and tok.kind == "service_account_key"
    assert tok.extras == {"client_email": fg.email(fg.OWNER), "project_id": fg.PROJECT,
                          "private_key_id": fg.key_id(fg.OWNER)}
    assert load_key(tok.secret) is not None


def test_escaped_json_in_an_env_file():
    inner = fg.key_json(fg.OWNER, indent=None)
    tok = token("GOOGLE_CREDENTIALS=" + json.dumps(inner), "gcp")
    assert tok.extras["client_email"] == fg.email(fg.OWNER)
    assert load_key(tok.secret).key_size == 2048


def test_classify_offline_facts():
    access = gcp.detector.classify(token(fg.key_json(fg.VIEWER), "gcp"))
    assert access.evidence == "offline"
    assert access.identity == fg.email(fg.VIEWER)
    assert access.facts["project_id"] == fg.PROJECT
    assert access.facts["private_key_id"] == fg.key_id(fg.VIEWER)
    assert (access.facts["key_parses"], access.facts["key_bits"]) == (True, 2048)
    assert access.live is None


@pytest.mark.parametrize("junk", ["", "-----BEGIN PRIVATE KEY-----\\nnot base64 at all\\n-----END PRIVATE KEY-----",
                                  "-----BEGIN PRIVATE KEY-----\\n" + "QUJD" * 40 + "\\n-----END PRIVATE KEY-----",
                                  "\\\\n\\n\\r"])
def test_garbage_keys_never_raise(junk):
    assert load_key(junk) is None
    unescape_pem(junk)


def test_project_of_email_forms():
    assert project_of("ci@acme-prod.iam.gserviceaccount.com") == "acme-prod"
    assert project_of("acme-prod@appspot.gserviceaccount.com") == "acme-prod"
    assert project_of("123456789-compute@developer.gserviceaccount.com") == "123456789"
    assert project_of("someone@gmail.com") is None
    assert project_of("") is None


def test_assertion_is_rs256_for_the_read_only_scope():
    jwt = assertion(fg.private_key(), "a@b.iam.gserviceaccount.com", "k1", now=1_700_000_000)
    head, body, sig = jwt.split(".")
    assert json.loads(_b64(head)) == {"alg": "RS256", "typ": "JWT", "kid": "k1"}
    assert json.loads(_b64(body)) == {"iss": "a@b.iam.gserviceaccount.com", "scope": gcp.READ_ONLY_SCOPE,
                                      "aud": "https://oauth2.googleapis.com/token", "iat": 1_700_000_000,
                                      "exp": 1_700_000_600}
    fg.private_key().public_key().verify(_b64(sig), f"{head}.{body}".encode(), padding.PKCS1v15(),
                                         hashes.SHA256())


def test_capabilities_of_permissions():
    assert capabilities_of(["storage.objects.get"]) == {"read"}
    assert capabilities_of(["resourcemanager.projects.setIamPolicy", "secretmanager.versions.access"]) == {
        "admin", "secrets"}
    assert capabilities_of(["unknown.permission"]) == set()


# Lookup -----------------------------------------------------------------------------------------


def test_owner_like_key(fake):
    access = lookup(token(fg.key_json(fg.OWNER), "gcp"), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.identity == fg.email(fg.OWNER)
    assert access.reach == "project"
    assert access.grants == list(gcp.DANGEROUS)
    assert access.capabilities == {"read", "write", "delete", "admin", "billing", "secrets"}
    assert access.facts["owner_like"] is True
    assert access.resources == ["project acme-prod"]
    assert fake.sent() == _calls(fg.OWNER)
    fake.assert_read_only()


def test_viewer_key(fake):
    access = lookup(token(fg.key_json(fg.VIEWER, sort_keys=True), "gcp"), fake.url)
    assert access.live is True
    assert access.grants == ["resourcemanager.projects.get", "storage.buckets.list", "storage.objects.get"]
    assert (access.capabilities, access.reach) == ({"read"}, "project")
    assert "owner_like" not in access.facts


def test_the_requests_carry_what_google_documents(fake):
    lookup(token(fg.key_json(fg.VIEWER), "gcp"), fake.url)
    certs, exchange, test = fake.requests
    assert certs.header("authorization") is None  # the public-key list is unauthenticated
    form = exchange.form()
    assert form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    head, body, sig = form["assertion"].split(".")
    assert json.loads(_b64(body))["iss"] == fg.email(fg.VIEWER)
    assert json.loads(_b64(head))["kid"] == fg.key_id(fg.VIEWER)
    fg.private_key().public_key().verify(_b64(sig), f"{head}.{body}".encode(), padding.PKCS1v15(),
                                         hashes.SHA256())
    assert test.bearer() == f"ya29.fake-{fg.VIEWER}"
    assert test.json() == {"permissions": list(gcp.DANGEROUS)}


def test_key_with_no_project_permissions(fake):
    access = lookup(token(fg.key_json(fg.NOTHING), "gcp"), fake.url)
    assert access.live is True
    assert (access.grants, access.capabilities, access.reach) == ([], set(), "resource")


def test_resource_manager_disabled_keeps_key_live(fake):
    access = lookup(token(fg.key_json(fg.API_DISABLED), "gcp"), fake.url)
    assert access.live is True
    assert access.facts["permissions_unknown"] is True
    assert access.reach is None


def test_deleted_key_is_not_live_and_never_signed_with(fake):
    access = lookup(token(fg.key_json(fg.DELETED_KEY), "gcp"), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == _calls(fg.DELETED_KEY, 1)


def test_deleted_account_is_not_live(fake):
    access = lookup(token(fg.key_json(fg.GONE), "gcp"), fake.url)
    assert access.live is False
    assert fake.sent() == _calls(fg.GONE, 1)


def test_disabled_key_invalid_grant_is_not_live(fake):
    access = lookup(token(fg.key_json(fg.DISABLED), "gcp"), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == _calls(fg.DISABLED, 2)


def test_clock_skew_invalid_grant_is_unknown(fake):
    access = lookup(token(fg.key_json(fg.CLOCK), "gcp"), fake.url)
    assert access.live is None


@pytest.mark.parametrize(("name", "reason"), [(fg.RATE_LIMITED, "429"), (fg.SERVER_ERROR, "500"),
                                              (fg.MALFORMED, "not JSON")])
def test_failures_are_unknown_never_revoked(fake, name, reason):
    access = lookup(token(fg.key_json(name), "gcp"), fake.url, timeout=3)
    assert access.live is None
    assert any(reason in n for n in access.notes), access.notes
    fake.assert_read_only()


def test_unparseable_key_is_unknown_after_the_public_check(fake):
    text = fg.key_json(fg.VIEWER).replace(fg.pem().splitlines()[3], "A" * 64)
    access = lookup(token(text, "gcp"), fake.url)
    assert access.live is None
    assert access.facts["key_parses"] is False
    assert fake.sent() == _calls(fg.VIEWER, 1)


def test_real_endpoints_are_googles_fixed_hosts():
    import time

    from tokenreach.detectors.base import LookupUnavailable
    from tokenreach.detectors.http import ProviderSession

    http = ProviderSession(gcp.detector, client=None, deadline=time.monotonic() + 5, environ={}).http("k")
    assert http.url("/token", host=gcp.OAUTH_HOST) == "https://oauth2.googleapis.com/token"
    assert http.url("/v1/projects/p:testIamPermissions", host=gcp.CRM_HOST).startswith(
        "https://cloudresourcemanager.googleapis.com/")
    with pytest.raises(LookupUnavailable):
        http.url("/token", host="oauth2.evil.example")  # a key file's token_uri is never used
