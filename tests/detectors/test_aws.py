from __future__ import annotations

import base64
import json
from urllib.parse import quote

import pytest

from tests.fakes import aws as fa
from tests.helpers import lookup, token
from tokenreach.detectors.base import LookupUnavailable
from tokenreach.detectors.providers import aws
from tokenreach.detectors.providers.aws import (
    account_id,
    action_capabilities,
    canary_kind,
    decode_policy_document,
    parse_body,
    policy_capabilities,
    principal,
    sigv4_authorization,
)
from tokenreach.scanner.engine import tokens_in


def _token(text: str):
    """The aws token in ``text`` (other providers' generic patterns may also match)."""
    return token(text, "aws")


@pytest.fixture
def fake():
    with fa.make() as server:
        yield server


def _actions(fake) -> list[str]:
    """The Action of every request, in order (all requests go to "/")."""
    out = []
    for r in fake.requests:
        action = r.form().get("Action") if r.method == "POST" else r.query.get("Action", [""])[0]
        out.append(f"{r.method} {action}")
    return out


# Offline ----------------------------------------------------------------------------------------


def _key_id(account: int, prefix: str = "ASIA") -> str:
    """A key ID carrying ``account`` the way AWS encodes it (48 bits after the prefix, the account
    in bits 7-46), with arbitrary low and trailing bits."""
    raw = ((account << 7) | 0x2A).to_bytes(6, "big") + bytes([0x5C, 0x13, 0x77, 0xE1])
    return prefix + base64.b32encode(raw).decode()


def test_account_id_decodes_from_the_key_id():
    assert _key_id(210987654321) == "ASIADCH6YDSYVJOBG57B"
    assert account_id("ASIADCH6YDSYVJOBG57B") == "210987654321"
    assert account_id(_key_id(7, "AKIA")) == "000000000007"
    assert account_id(fa.ADMIN) == fa.ACCOUNT
    assert account_id(fa.CANARY) == "052310077262"


@pytest.mark.parametrize("junk", ["", "AKIA", "AKIAIOSFODNN7EXAMPLE", "AKIAJ" + "A" * 15, "akia" + "a" * 16,
                                  "AKIA0000000000000000", None])
def test_account_id_garbage_is_none(junk):
    assert account_id(junk) is None


def test_canary_accounts():
    assert canary_kind("052310077262") == "canarytokens.org"
    assert canary_kind("044858866125") == "an off-brand canarytokens.org copy"
    assert canary_kind(fa.ACCOUNT) is None
    assert canary_kind(None) is None


def test_sigv4_matches_aws_published_vectors():
    creds = {"key_id": "AKIDEXAMPLE", "secret": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
             "region": "us-east-1", "amz_date": "20150830T123600Z"}
    # sig-v4 test suite "get-vanilla"
    auth = sigv4_authorization("GET", "https://example.amazonaws.com/", {"X-Amz-Date": "20150830T123600Z"}, b"",
                               service="service", **creds)
    assert auth.endswith("SignedHeaders=host;x-amz-date, "
                         "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    # IAM ListUsers example of "Create a signed AWS API request"
    auth = sigv4_authorization(
        "GET", "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
        {"X-Amz-Date": "20150830T123600Z", "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        b"", service="iam", **creds)
    assert auth == ("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                    "SignedHeaders=content-type;host;x-amz-date, "
                    "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")


def test_principal_kinds():
    assert principal("arn:aws:iam::123456789012:root") == ("root", "")
    assert principal("arn:aws:iam::123456789012:user/ci/ci-uploader") == ("user", "ci-uploader")
    assert principal("arn:aws:sts::123456789012:assumed-role/deployer/run-1") == ("assumed-role", "deployer")
    assert principal("arn:aws:sts::123456789012:federated-user/bob") == ("federated-user", "bob")
    assert principal("arn:aws-cn:iam::123456789012:user/x") == ("user", "x")
    assert principal("not an arn") == ("unknown", "")


def test_action_capabilities():
    assert action_capabilities("*") == set(aws.ALL)
    assert action_capabilities("s3:GetObject") == {"read"}
    assert action_capabilities("s3:*") == {"read", "write", "delete"}
    assert action_capabilities("ec2:TerminateInstances") == {"delete"}
    assert action_capabilities("iam:CreateAccessKey") == {"write", "admin"}
    assert action_capabilities("iam:PassRole") == {"write", "admin"}
    assert action_capabilities("iam:GetUser") == {"read"}
    assert action_capabilities("secretsmanager:GetSecretValue") == {"read", "secrets"}
    assert action_capabilities("aws-portal:ModifyBilling") == {"write", "billing"}


@pytest.mark.parametrize("action", ["iam:SimulatePrincipalPolicy", "iam:SimulateCustomPolicy",
                                    "iam:GenerateServiceLastAccessedDetails", "iam:GenerateCredentialReport",
                                    "iam:GenerateOrganizationsAccessReport"])
def test_documented_read_actions_are_read(action):
    # The Service Authorization Reference lists these at access level Read: the simulator
    # evaluates policies without performing the actions, Generate* starts a report job.
    assert action_capabilities(action) == {"read"}


def test_policy_capabilities_reads_allow_statements_only():
    caps, wide, actions = policy_capabilities(fa._UPLOAD)
    assert (caps, wide, actions) == ({"read", "write"}, False, ["s3:PutObject", "s3:GetObject"])
    caps, wide, _ = policy_capabilities({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}})
    assert caps == set(aws.ALL) and wide
    assert policy_capabilities({"Statement": "junk"}) == (set(), False, [])
    assert policy_capabilities({}) == (set(), False, [])


def test_policy_documents_are_url_encoded_json():
    assert decode_policy_document(quote(json.dumps(fa._UPLOAD))) == fa._UPLOAD
    assert decode_policy_document("%7Bnot json") is None
    assert decode_policy_document(None) is None


def test_parse_body_both_shapes_and_garbage():
    assert parse_body(b'{"a": {"b": 1}}') == {"a": {"b": 1}}
    xml = b'<R xmlns="x"><L><member><N>1</N></member><member><N>2</N></member></L><E/></R>'
    assert parse_body(xml) == {"R": {"L": [{"N": "1"}, {"N": "2"}], "E": ""}}
    for junk in (b"", b"<html", b"[1]", b"{bad", b"plain"):
        with pytest.raises(LookupUnavailable):
            parse_body(junk)


def test_pair_kinds_and_extras():
    tok = _token(fa.env_text(fa.ROLE))
    assert tok.pattern_id == "aws.access_key_pair"
    assert tok.secret == fa.ROLE
    assert tok.extras["secret_access_key"] == fa.PRINCIPALS[fa.ROLE].secret
    assert tok.extras["session_token"] == fa.PRINCIPALS[fa.ROLE].session_token
    admin = _token(fa.env_text(fa.ADMIN))
    assert admin.secret not in repr(admin) and admin.extras["secret_access_key"] not in repr(admin)


def test_secret_before_id_is_paired():
    p = fa.PRINCIPALS[fa.ADMIN]
    tok = _token(f'SecretAccessKey = "{p.secret}"\nAccessKeyId = "{fa.ADMIN}"\n')
    assert (tok.pattern_id, tok.extras["secret_access_key"]) == ("aws.secret_then_key_id", p.secret)


def test_two_pairs_in_one_file_keep_their_own_secrets():
    a, s = fa.PRINCIPALS[fa.ADMIN], fa.PRINCIPALS[fa.SCOPED]
    text = fa.env_text(fa.ADMIN) + "# ci user\n" + fa.env_text(fa.SCOPED)
    found = {t.secret: t.extras.get("secret_access_key") for t in tokens_in(text) if t.provider == "aws"}
    assert found == {fa.ADMIN: a.secret, fa.SCOPED: s.secret}


def test_an_id_never_borrows_the_secret_of_the_next_id():
    other = fa.key_id("AKIA", fa.ACCOUNT, 99)
    text = f"old_key_id={fa.ADMIN}\naccess_key_id={other}\nsecret_access_key={fa.PRINCIPALS[fa.ADMIN].secret}\n"
    found = {t.secret: (t.pattern_id, t.extras.get("secret_access_key")) for t in tokens_in(text)
             if t.provider == "aws"}
    assert found[fa.ADMIN] == ("aws.access_key_id", None)
    assert found[other][0] == "aws.access_key_pair"


def test_session_token_of_the_next_pair_is_not_taken():
    text = fa.env_text(fa.ADMIN) + fa.env_text(fa.ROLE)
    found = {t.secret: t for t in tokens_in(text) if t.provider == "aws"}
    assert "session_token" not in found[fa.ADMIN].extras
    assert found[fa.ROLE].extras["session_token"] == fa.PRINCIPALS[fa.ROLE].session_token


def test_lone_key_id_is_classified_but_never_looked_up(fake):
    tok = _token(f"key = {fa.ADMIN}")
    assert tok.pattern_id == "aws.access_key_id"
    access = lookup(tok, fake.url)
    assert access.live is None
    assert access.facts["account_id"] == fa.ACCOUNT
    assert fake.requests == []


def test_canary_is_never_called(fake):
    access = lookup(_token(fa.env_text(fa.CANARY, fa.secret("canary"))), fake.url)
    assert access.live is None
    assert access.facts["canary"] is True and access.facts["skip_lookup"] is True
    assert any("canarytokens.org" in n for n in access.notes)
    assert fake.requests == []


def test_temporary_key_without_session_token_is_not_called(fake):
    tok = _token(f"AWS_ACCESS_KEY_ID={fa.ROLE}\nAWS_SECRET_ACCESS_KEY={fa.PRINCIPALS[fa.ROLE].secret}\n")
    access = lookup(tok, fake.url)
    assert access.live is None
    assert fake.requests == []


def test_hex_next_to_the_id_is_not_a_secret(fake):
    access = lookup(_token(f"{fa.ADMIN},{'ab12' * 10}"), fake.url)
    assert access.live is None and access.facts["skip_lookup"]
    assert fake.requests == []


# Lookup -----------------------------------------------------------------------------------------


def test_admin_user(fake):
    access = lookup(_token(fa.env_text(fa.ADMIN)), fake.url)
    assert access.live is True and access.evidence == "api"
    assert access.identity == f"arn:aws:iam::{fa.ACCOUNT}:user/deploy-bot"
    assert access.reach == "account"
    assert access.capabilities == set(aws.ALL)
    assert access.grants == ["AdministratorAccess"]
    assert access.resources == [f"account {fa.ACCOUNT}"]
    assert _actions(fake) == ["POST GetCallerIdentity", "GET ListAttachedUserPolicies", "GET ListUserPolicies",
                              "GET ListGroupsForUser"]
    assert fake.sent() == ["POST /", "GET /", "GET /", "GET /"]
    fake.assert_read_only()


def test_root_key_needs_no_iam_read(fake):
    access = lookup(_token(fa.env_text(fa.ROOT)), fake.url)
    assert access.live is True
    assert (access.reach, access.grants, access.facts["principal_type"]) == ("account", ["root"], "root")
    assert access.capabilities == set(aws.ALL)
    assert _actions(fake) == ["POST GetCallerIdentity"]


def test_scoped_user_policies_read_through_groups(fake):
    access = lookup(_token(fa.env_text(fa.SCOPED)), fake.url)
    assert access.live is True
    assert access.identity.endswith(":user/ci/ci-uploader")
    assert access.grants == ["BuildersPolicy", "upload-artifacts"]
    assert access.capabilities == {"read", "write", "secrets"}
    assert access.reach == "resource"
    assert access.facts["groups"] == ["builders"]
    assert _actions(fake) == [
        "POST GetCallerIdentity", "GET ListAttachedUserPolicies", "GET ListUserPolicies", "GET ListGroupsForUser",
        "GET ListAttachedGroupPolicies", "GET ListGroupPolicies", "GET GetPolicy", "GET GetPolicyVersion",
        "GET GetUserPolicy",
    ]
    fake.assert_read_only()


def test_reading_one_bucket_and_simulating_its_own_policy_is_not_critical(fake):
    from tokenreach.scanner.assess import assess
    from tokenreach.scanner.model import Finding, Location

    tok = _token(fa.env_text(fa.SIMULATOR))
    access = lookup(tok, fake.url)
    assert access.live is True
    assert access.grants == ["read-reports"]
    assert access.capabilities == {"read"}
    assert access.reach == "resource"
    finding = Finding(tok, "AWS access key", [Location(".env", 1, 1, "ignored")], access=access)
    assess(finding)
    assert finding.over_privileged is False
    assert finding.severity == "low"


def test_simulating_on_any_resource_is_account_wide_reading_only():
    from tokenreach.scanner.assess import assess
    from tokenreach.scanner.model import Access, Finding, Location

    doc = {"Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"},
        {"Effect": "Allow", "Action": ["iam:SimulatePrincipalPolicy", "iam:SimulateCustomPolicy"], "Resource": "*"},
    ]}
    caps, wide, _ = policy_capabilities(doc)
    assert (caps, wide) == ({"read"}, True)
    tok = _token(fa.env_text(fa.SIMULATOR))
    finding = Finding(tok, "AWS access key", [Location(".env", 1, 1, "ignored")],
                      access=Access(live=True, reach="account", capabilities=caps, evidence="api"))
    assess(finding)
    assert (finding.over_privileged, finding.severity) == (False, "medium")


def test_role_session_with_session_token(fake):
    access = lookup(_token(fa.env_text(fa.ROLE)), fake.url)
    assert access.live is True
    assert access.facts["principal_type"] == "assumed-role"
    assert access.grants == ["PowerUserAccess"]
    assert access.capabilities == {"read", "write", "delete", "secrets"}
    assert access.reach == "account"
    assert _actions(fake) == ["POST GetCallerIdentity", "GET ListAttachedRolePolicies", "GET ListRolePolicies"]
    assert all(r.header("x-amz-security-token") for r in fake.requests)


def test_iam_access_denied_is_identity_only(fake):
    access = lookup(_token(fa.env_text(fa.NO_IAM)), fake.url)
    assert access.live is True
    assert access.reach is None and access.capabilities == set() and access.grants == []
    assert access.facts["permissions_unknown"] is True
    assert _actions(fake) == ["POST GetCallerIdentity", "GET ListAttachedUserPolicies"]


def test_iam_outage_keeps_the_key_live(fake):
    access = lookup(_token(fa.env_text(fa.IAM_DOWN)), fake.url, timeout=5)
    assert access.live is True
    assert any("permissions unknown" in n for n in access.notes)


def test_revoked_key_is_not_live(fake):
    access = lookup(_token(fa.env_text(fa.REVOKED)), fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert _actions(fake) == ["POST GetCallerIdentity"]


def test_wrong_secret_is_unknown_not_revoked(fake):
    access = lookup(_token(fa.env_text(fa.ADMIN, fa.secret("not the admin secret"))), fake.url)
    assert access.live is None
    assert access.facts["key_id_exists"] is True
    assert any("SignatureDoesNotMatch" in n for n in access.notes)


def test_expired_session_is_not_live(fake):
    access = lookup(_token(fa.env_text(fa.EXPIRED)), fake.url)
    assert access.live is False
    assert any("ExpiredToken" in n for n in access.notes)


@pytest.mark.parametrize(("key", "reason"), [(fa.THROTTLED, "Throttling"), (fa.RATE_LIMITED, "429"),
                                             (fa.SERVER_ERROR, "500"), (fa.MALFORMED, "XML")])
def test_failures_are_unknown_never_revoked(fake, key, reason):
    access = lookup(_token(fa.env_text(key)), fake.url, timeout=3)
    assert access.live is None
    assert any(reason in n for n in access.notes), access.notes
    fake.assert_read_only()


def test_no_secret_in_urls_or_notes(fake):
    tok = _token(fa.env_text(fa.SCOPED))
    access = lookup(tok, fake.url)
    secret = tok.extras["secret_access_key"]
    assert all(secret not in str(r.query) and secret not in r.path for r in fake.requests)
    assert secret not in json.dumps(access.to_json()) and tok.secret not in json.dumps(access.notes)


def test_real_endpoints_are_sts_and_iam():
    import time

    from tokenreach.detectors.http import ProviderSession

    http = ProviderSession(aws.detector, client=None, deadline=time.monotonic() + 5, environ={}).http("k")
    assert http.url("/") == "https://sts.amazonaws.com/"
    assert http.url("/?Action=GetUser", host=aws.IAM_HOST) == "https://iam.amazonaws.com/?Action=GetUser"
    with pytest.raises(LookupUnavailable):
        http.url("/", host="sts.evil.example")


def test_lone_id_finding_that_later_gained_its_secret_is_looked_up(fake):
    """The pipeline merges a later location's extras into a finding but keeps its pattern id."""
    import dataclasses

    lone = _token(f"key = {fa.ADMIN}")
    merged = dataclasses.replace(lone, extras={"secret_access_key": fa.PRINCIPALS[fa.ADMIN].secret})
    access = lookup(merged, fake.url)
    assert (access.live, access.grants) == (True, ["AdministratorAccess"])
