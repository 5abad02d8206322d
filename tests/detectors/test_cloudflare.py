from __future__ import annotations

import pytest

from tests.fakes import cloudflare as cf
from tests.helpers import lookup, token
from tokenreach.detectors.providers.cloudflare import _capabilities_of, _scopes, detector


@pytest.fixture
def fake():
    with cf.make() as server:
        yield server
        server.assert_read_only()
        for req in server.requests:  # a token never travels in a URL
            assert not any(t in req.path or t in str(req.query) for t in (cf.GLOBAL_KEY, cf.DNS_ONLY))


def test_dns_token_scoped_to_one_zone(fake):
    access = lookup(token(f"CLOUDFLARE_DNS_TOKEN={cf.DNS_ONLY}"), fake.url)
    assert access.live is True
    assert access.evidence == "api"
    assert access.reach == "resource"
    assert access.grants == ["DNS Write", "DNS Read"]
    assert access.capabilities == {"read", "write", "delete"}
    assert access.resources == [f"zone {cf.ZONE_ID}"]
    assert access.expires_at == "2027-01-01T00:00:00Z"
    assert access.identity == "token dns-updater"
    assert access.facts["dns_only"] is True
    assert access.facts["ip_restricted"] is True
    assert "no_expiry" not in access.facts
    assert fake.sent() == ["GET /user/tokens/verify", f"GET /user/tokens/{cf._TOKEN_IDS[cf.DNS_ONLY]}"]


def test_dns_named_token_that_is_really_account_wide(fake):
    access = lookup(token(f"CLOUDFLARE_DNS_TOKEN={cf.ACCOUNT_WIDE}"), fake.url)
    assert access.live is True
    assert access.reach == "account"
    assert access.grants == ["DNS Write", "Account Settings Write", "Workers Scripts Write"]
    assert access.capabilities == {"read", "write", "delete", "admin"}
    assert access.resources == [f"all zones in account {cf.ACCOUNT_ID}", f"account {cf.ACCOUNT_ID}"]
    assert "dns_only" not in access.facts
    assert access.facts["code_execution"] is True
    assert access.facts["no_expiry"] is True
    assert any("1 deny policy" in n for n in access.notes)


def test_legacy_token_over_every_account_can_mint_tokens(fake):
    access = lookup(token(f"CLOUDFLARE_API_TOKEN={cf.LEGACY}"), fake.url)
    assert access.live is True
    assert access.facts["token_owner"] == "user"
    assert access.reach == "organization"
    assert access.grants == ["Billing Read", "Secrets Store Write", "API Tokens Write"]
    assert access.capabilities == {"read", "write", "delete", "admin", "billing", "secrets"}
    assert access.resources == ["all accounts", "the user's profile and tokens"]
    assert access.facts["can_create_tokens"] is True


def test_token_that_cannot_read_its_policies_lists_what_it_sees(fake):
    access = lookup(token(f"CF_API_TOKEN={cf.NO_POLICY_READ}"), fake.url)
    assert access.live is True
    assert access.grants == []
    assert access.capabilities == {"read"}
    assert access.reach == "resource"  # one zone visible: a lower bound
    assert access.resources == ["account Acme Corp", "account Acme Labs", "zone example.com"]
    assert access.resources_total == 3
    assert fake.sent() == ["GET /user/tokens/verify", f"GET /user/tokens/{cf._TOKEN_IDS[cf.NO_POLICY_READ]}",
                           "GET /accounts", "GET /zones"]


def test_disabled_token_is_not_live(fake):
    access = lookup(token(cf.DISABLED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == ["GET /user/tokens/verify"]


def test_revoked_token_is_not_live(fake):
    access = lookup(token(cf.REVOKED), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == ["GET /user/tokens/verify"]


def test_unprefixed_token_refused_everywhere_is_revoked(fake):
    # Refused as a user token, then by /accounts, which answers every kind of live token.
    access = lookup(token(f"CLOUDFLARE_API_TOKEN={cf.LEGACY_REVOKED}"), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert fake.sent() == ["GET /user/tokens/verify", "GET /accounts"]


def test_unprefixed_account_token_is_found_through_accounts(fake):
    access = lookup(token(f"CLOUDFLARE_API_TOKEN={cf.LEGACY_ACCOUNT}"), fake.url)
    assert access.live is True
    assert access.facts["token_owner"] == "account"
    assert access.reach == "account"
    assert access.grants == ["Zone Read"]
    assert access.capabilities == {"read"}
    tid = cf._TOKEN_IDS[cf.LEGACY_ACCOUNT]
    assert fake.sent() == ["GET /user/tokens/verify", "GET /accounts",
                           f"GET /accounts/{cf.ACCOUNT_ID}/tokens/verify",
                           f"GET /accounts/{cf.ACCOUNT_ID}/tokens/{tid}"]


def test_account_token_with_no_accounts_listed_is_unknown():
    from tests.fakes.server import FakeServer, Reply

    fake = FakeServer()
    fake.add("GET", "/accounts", lambda req: Reply(200, cf.envelope([])))
    with fake:
        access = lookup(token(cf.ACCOUNT_TOKEN), fake.url)
    assert access.live is None


def test_account_token_with_its_account_id(fake):
    text = f"CLOUDFLARE_ACCOUNT_ID={cf.ACCOUNT_ID}\nCLOUDFLARE_API_TOKEN={cf.ACCOUNT_TOKEN}\n"
    tok = token(text)
    assert tok.context == {"account_id": cf.ACCOUNT_ID}
    access = lookup(tok, fake.url)
    assert access.live is True
    assert access.facts["token_owner"] == "account"
    assert access.reach == "account"
    assert access.grants == ["Account Analytics Read"]
    assert access.capabilities == {"read"}
    tid = cf._TOKEN_IDS[cf.ACCOUNT_TOKEN]
    assert fake.sent() == [f"GET /accounts/{cf.ACCOUNT_ID}/tokens/verify",
                           f"GET /accounts/{cf.ACCOUNT_ID}/tokens/{tid}"]


def test_account_token_with_a_wrong_account_id_finds_its_own(fake):
    tok = token(f'token = "{cf.ACCOUNT_TOKEN}"\naccount_id = "{cf.OTHER_ACCOUNT_ID}"')
    access = lookup(tok, fake.url)
    assert access.live is True
    assert access.facts["account_id"] == cf.ACCOUNT_ID
    assert fake.sent()[:3] == [f"GET /accounts/{cf.OTHER_ACCOUNT_ID}/tokens/verify", "GET /accounts",
                               f"GET /accounts/{cf.ACCOUNT_ID}/tokens/verify"]


def test_account_token_alone_is_verified_against_the_accounts_it_lists(fake):
    access = lookup(token(f"CLOUDFLARE_API_TOKEN={cf.ACCOUNT_TOKEN_ALONE}"), fake.url)
    assert access.live is True
    assert access.reach == "resource"
    assert access.grants == ["Workers R2 Storage Write"]
    assert access.capabilities == {"read", "write", "delete"}
    assert access.resources == ["edge.r2.bucket.9a78_default_assets"]
    tid = cf._TOKEN_IDS[cf.ACCOUNT_TOKEN_ALONE]
    assert fake.sent() == ["GET /accounts", f"GET /accounts/{cf.OTHER_ACCOUNT_ID}/tokens/verify",
                           f"GET /accounts/{cf.OTHER_ACCOUNT_ID}/tokens/{tid}"]


def test_global_key_with_email(fake):
    tok = token(f"CLOUDFLARE_EMAIL={cf.EMAIL}\nCLOUDFLARE_API_KEY={cf.GLOBAL_KEY}")
    assert tok.context == {"email": cf.EMAIL}
    access = lookup(tok, fake.url)
    assert access.live is True
    assert access.identity == cf.EMAIL
    assert access.reach == "organization"
    assert access.capabilities == {"read", "write", "delete", "admin", "billing", "secrets"}
    assert access.resources == ["account Acme Corp", "account Acme Labs",
                                "zone example.com", "zone example.net"]
    assert access.facts["two_factor"] is False
    assert fake.sent() == ["GET /user", "GET /accounts", "GET /zones"]
    assert fake.requests[0].header("X-Auth-Email") == cf.EMAIL
    assert fake.requests[0].header("Authorization") is None


def test_global_key_with_another_email_is_unknown_not_revoked(fake):
    access = lookup(token(f"CF_API_KEY={cf.GLOBAL_KEY}\nCF_EMAIL=someone@example.org"), fake.url)
    assert access.live is None
    assert fake.sent() == ["GET /user"]


def test_global_key_without_email_is_never_sent(fake):
    tok = token(f"CLOUDFLARE_API_KEY={cf.GLOBAL_KEY}")
    assert tok.context == {}
    access = lookup(tok, fake.url)
    assert access.live is None
    assert access.reach == "organization"
    assert "admin" in access.capabilities
    assert fake.sent() == []


@pytest.mark.parametrize("secret", [cf.RATE_LIMITED, cf.SERVER_ERROR, cf.MALFORMED])
def test_failures_are_unknown_never_revoked(fake, secret):
    access = lookup(token(secret), fake.url, timeout=5)
    assert access.live is None
    assert access.notes


def test_rate_limit_is_reported(fake):
    access = lookup(token(cf.RATE_LIMITED), fake.url, timeout=3)
    assert any("429" in n for n in access.notes)


# Offline -----------------------------------------------------------------------------------


def test_permission_group_names_map_to_capabilities():
    assert _capabilities_of("DNS Read") == {"read"}
    assert _capabilities_of("Zone Edit") == {"read", "write", "delete"}
    assert _capabilities_of("API Tokens Write") == {"read", "write", "delete", "admin"}
    assert _capabilities_of("API Tokens Read") == {"read"}
    assert _capabilities_of("Billing Write") == {"read", "write", "delete", "billing"}
    assert _capabilities_of("Access: Service Tokens Write") >= {"secrets", "write"}


def test_resource_scopes():
    assert _scopes({"com.cloudflare.api.account.zone.abc": "*"}) == [("resource", "zone abc")]
    assert _scopes({"com.cloudflare.api.account.zone.*": "*"}) == [("organization", "all zones")]
    assert _scopes({"com.cloudflare.api.account.a1": {"com.cloudflare.api.account.zone.*": "*"}}) == [
        ("account", "all zones in account a1")]
    assert _scopes({"com.cloudflare.api.account.*": "*"}) == [("organization", "all accounts")]


@pytest.mark.parametrize("garbage", [None, [], "x", 7, {"": None}, {"k": ["v"]}])
def test_garbage_resources_never_raise(garbage):
    _scopes(garbage)


def test_classify_kinds():
    assert detector.classify(token(cf.DNS_ONLY)).reach is None
    glob = detector.classify(token(f"CLOUDFLARE_API_KEY={cf.GLOBAL_KEY}"))
    assert glob.reach == "organization" and glob.evidence == "prefix"
    legacy_key = token("CLOUDFLARE_API_KEY=c2547eb745079dac9320b638f5e225cf483cc")
    assert legacy_key.kind == "legacy_global_key"
    assert "admin" in detector.classify(legacy_key).capabilities


def test_commit_hash_next_to_a_cloudflare_name_is_not_a_token():
    from tokenreach.scanner.engine import tokens_in

    assert tokens_in("CLOUDFLARE_COMMIT=da39a3ee5e6b4b0d3255bfef95601890afd80709") == []


def test_policy_read_failure_keeps_liveness():
    from tests.fakes.server import FakeServer, Reply

    fake = FakeServer()
    fake.add("GET", "/user/tokens/verify",
             lambda req: Reply(200, cf.envelope({"id": "ab12", "status": "active"})))
    fake.add("GET", "/user/tokens/ab12", lambda req: Reply(503, "upstream down"))
    with fake:
        access = lookup(token(cf.DNS_ONLY), fake.url, timeout=5)
    assert access.live is True
    assert access.grants == []
    assert any("permissions incomplete" in n for n in access.notes)


@pytest.mark.parametrize("details", [
    {"policies": [None, {"effect": "allow", "permission_groups": "x", "resources": []}]},
    {"policies": [{"effect": "allow", "permission_groups": [{"name": None}, 5], "resources": {"k": {}}}],
     "condition": "nope", "expires_on": None},
])
def test_garbage_policies_never_raise(details):
    from tokenreach.detectors.providers.cloudflare import _apply_policies
    from tokenreach.scanner.model import Access

    access = Access()
    _apply_policies(access, details, account_owned=False)
    assert access.evidence == "api"
