from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timezone

import pytest

from tests.fakes import azure as fz
from tests.helpers import lookup, token
from tokenreach.detectors.base import LookupUnavailable
from tokenreach.detectors.providers import azure
from tokenreach.detectors.providers.azure import (
    classify_sas,
    listed_names,
    parse_sas,
    sas_capabilities,
    sas_time,
    shared_key_signature,
)
from tokenreach.scanner.model import Access

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


def _token(text: str):
    """The azure token in ``text`` (other providers' generic patterns may also match)."""
    return token(text, "azure")


@pytest.fixture
def fake():
    with fz.make() as server:
        yield server


# Offline ----------------------------------------------------------------------------------------


def test_connection_string_extras():
    tok = _token(fz.connection_string(fz.LIVE))
    assert (tok.pattern_id, tok.kind, tok.secret) == ("azure.connection_string", "account_key", fz.ACCOUNTS[fz.LIVE])
    assert tok.extras == {"account": fz.LIVE, "endpoint_suffix": "core.windows.net"}


def test_account_key_is_full_control_offline():
    access = azure.detector.classify(_token(fz.connection_string(fz.LIVE)))
    assert (access.reach, access.grants, access.identity) == ("account", ["AccountKey"], "storage account acmeprod")
    assert access.capabilities == {"read", "write", "delete", "admin"}


def test_name_and_key_in_env_lines_pair_up():
    tok = _token(f"AZURE_STORAGE_ACCOUNT={fz.LIVE}\nAZURE_STORAGE_KEY={fz.ACCOUNTS[fz.LIVE]}\n")
    assert (tok.pattern_id, tok.extras["account"]) == ("azure.account_key_pair", fz.LIVE)


def test_lone_key_is_never_looked_up(fake):
    tok = _token(f"STORAGE_ACCESS_KEY={fz.ACCOUNTS[fz.LIVE]}")
    assert tok.pattern_id == "azure.account_key"
    access = lookup(tok, fake.url)
    assert access.live is None and access.reach == "account"
    assert fake.requests == []


def test_sovereign_cloud_is_reported_not_called(fake):
    access = lookup(_token(fz.connection_string(fz.LIVE, suffix="core.chinacloudapi.cn")), fake.url)
    assert access.live is None
    assert access.facts["endpoint_suffix"] == "core.chinacloudapi.cn"
    assert fake.requests == []


def test_account_sas_decoded():
    text = fz.account_sas(fz.SAS_ACCOUNT, sp="rwdlacup", ss="bfqt", extra="&sip=203.0.113.0-203.0.113.255")
    access = azure.detector.classify(_token(text))
    assert access.evidence == "offline"
    assert access.reach == "account"
    assert access.grants == ["sp=rwdlacup", "ss=bfqt", "srt=sco"]
    # account SAS "p" is Process (queue messages), not ACL permissions
    assert access.capabilities == {"read", "write", "delete"}
    assert access.expires_at == "2030-01-01T00:00:00Z"
    assert access.facts["allowed_ips"] == "203.0.113.0-203.0.113.255"
    assert access.facts["sas_type"] == "account"
    assert access.live is None


def test_service_sas_on_one_blob():
    text = fz.sas_url(fz.SAS_BLOB, path="/reports/2024/q3.pdf",
                      query="sp=r&st=2024-05-01T08:00:00Z&se=2030-05-01T16:00:00Z&spr=https&sv=2022-11-02&sr=b")
    tok = _token(text)
    assert (tok.pattern_id, tok.extras["resource_path"], tok.extras["service"]) == (
        "azure.sas_url", "/reports/2024/q3.pdf", "blob")
    access = azure.detector.classify(tok)
    assert (access.reach, access.capabilities, access.grants) == ("resource", {"read"}, ["sp=r", "sr=b"])
    assert access.resources == ["acmeprod/reports/2024/q3.pdf"]


def test_adls_permissions_letter_is_admin_on_a_service_sas():
    assert sas_capabilities("rp", account_sas=False, blob_like=True) == {"read", "admin"}
    assert sas_capabilities("rp", account_sas=True, blob_like=True) == {"read", "delete"}
    assert sas_capabilities("xyo", account_sas=False, blob_like=True) == {"delete", "admin"}
    assert sas_capabilities("", account_sas=False, blob_like=True) == set()


def test_expired_sas_is_dead_offline_and_never_called(fake):
    access = lookup(_token(fz.account_sas(fz.SAS_ACCOUNT, se="2024-01-01T00:00:00Z")), fake.url)
    assert (access.live, access.evidence) == (False, "offline")
    assert access.expires_at == "2024-01-01T00:00:00Z"
    assert fake.requests == []


def test_bare_sas_token_is_classified_not_looked_up(fake):
    text = (f'AZURE_SAS="?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2031-01-01T00:00:00Z&spr=https'
            f'&sig={fz.SAS_ACCOUNT}"')
    tok = _token(text)
    assert tok.pattern_id == "azure.sas_token"
    access = lookup(tok, fake.url)
    assert (access.live, access.reach, access.capabilities) == (None, "account", {"read"})
    assert fake.requests == []


def test_classify_sas_edge_cases():
    a = classify_sas(Access(), parse_sas("sv=2022-11-02&sr=c&si=readers&sig=x"), None, None, None, now=NOW)
    assert a.grants == ["sr=c", "si=readers"] and a.expires_at is None and a.live is None
    b = classify_sas(Access(), parse_sas("sv=2022-11-02&sr=b&sp=r&se=2026-06-02&sig=x"), "a", "blob", "/c/b",
                     now=NOW)
    assert b.expires_at == "2026-06-02T00:00:00Z" and b.live is None
    c = classify_sas(Access(), parse_sas("sv=2022-11-02&sr=b&sp=r&se=not-a-date&sig=x"), "a", "blob", "/c/b",
                     now=NOW)
    assert c.expires_at is None
    d = classify_sas(Access(), parse_sas("sv=2020-01-01&sr=b&sp=r&skoid=1&se=2026-05-31T23:59Z&sig=x"),
                     "a", "blob", "/c/b", now=NOW)
    assert d.live is False and d.facts["sas_type"] == "user delegation"


@pytest.mark.parametrize("junk", ["", "&&&", "=%zz", "sv=%E0%A4%A&x", "se=9999-99-99"])
def test_garbage_never_raises(junk):
    params = parse_sas(junk)
    classify_sas(Access(), params, None, None, None)
    sas_time(junk)


def test_shared_key_string_to_sign():
    """The documented string-to-sign, hand-built for a GET List Containers."""
    k = base64.b64encode(b"k" * 64).decode()
    headers = {"x-ms-date": "Wed, 25 Nov 2026 11:00:00 GMT", "x-ms-version": "2021-08-06"}
    expected_text = ("GET\n" + "\n" * 11 + "x-ms-date:Wed, 25 Nov 2026 11:00:00 GMT\nx-ms-version:2021-08-06\n"
                     "/acct/\ncomp:list\nmaxresults:25")
    expected = base64.b64encode(hmac.new(b"k" * 64, expected_text.encode(), hashlib.sha256).digest()).decode()
    assert shared_key_signature("acct", k, "GET", "/", {"maxresults": "25", "comp": "list"}, headers) == expected


def test_listed_names_rejects_garbage():
    assert listed_names(b"\xef\xbb\xbf<EnumerationResults><Blobs><Blob><Name>a</Name></Blob></Blobs>"
                        b"<NextMarker/></EnumerationResults>") == (["a"], False)
    for junk in (b"", b"<html>", b"<Error/>", b"{}"):
        with pytest.raises(LookupUnavailable):
            listed_names(junk)


# Lookup: account keys ---------------------------------------------------------------------------


def test_live_account_key_lists_containers(fake):
    access = lookup(_token(fz.connection_string(fz.LIVE)), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.resources == ["acmeprod/backups", "acmeprod/logs", "acmeprod/public"]
    assert access.resources_total == 3
    assert (access.reach, access.grants) == ("account", ["AccountKey"])
    assert fake.sent() == ["GET /"]
    req = fake.requests[0]
    assert req.query == {"comp": ["list"], "maxresults": ["25"]}
    assert req.header("authorization").startswith("SharedKey acmeprod:")
    assert fz.ACCOUNTS[fz.LIVE] not in str(req.query)
    fake.assert_read_only()


def test_rotated_key_is_not_live(fake):
    access = lookup(_token(fz.connection_string(fz.ROTATED)), fake.url)
    assert (access.live, access.evidence) == (False, "api")


def test_firewall_is_unknown_not_revoked(fake):
    access = lookup(_token(fz.connection_string(fz.FIREWALLED)), fake.url)
    assert access.live is None
    assert any("AuthorizationFailure" in n for n in access.notes)


@pytest.mark.parametrize(("account", "reason"), [(fz.RATE_LIMITED, "429"), (fz.SERVER_ERROR, "500"),
                                                 (fz.MALFORMED, "not XML")])
def test_failures_are_unknown_never_revoked(fake, account, reason):
    access = lookup(_token(fz.connection_string(account)), fake.url, timeout=3)
    assert access.live is None
    assert any(reason in n for n in access.notes), access.notes
    fake.assert_read_only()


# Lookup: SAS ------------------------------------------------------------------------------------


def test_account_sas_lists_containers_with_the_sas_in_the_url(fake):
    access = lookup(_token(fz.account_sas(fz.SAS_ACCOUNT)), fake.url)
    assert (access.live, access.evidence) == (True, "api")
    assert access.capabilities == {"read", "write", "delete"}
    assert "acmeprod/backups" in access.resources
    assert fake.sent() == ["GET /"]
    q = fake.requests[0].query
    assert (q["comp"], q["maxresults"], q["sp"], q["srt"]) == (["list"], ["25"], ["rwdlac"], ["sco"])
    assert fake.requests[0].header("authorization") is None


def test_container_sas_lists_blobs(fake):
    text = fz.sas_url(fz.SAS_CONTAINER, path="/reports",
                      query="sv=2022-11-02&sr=c&sp=rl&se=2030-01-01T00:00:00Z")
    access = lookup(_token(text), fake.url)
    assert access.live is True
    assert access.reach == "resource"
    assert access.resources == ["acmeprod/reports/2024/q3.pdf", "acmeprod/reports/2024/q4.pdf"]
    assert access.resources_total == 2  # NextMarker says there are more; the count is a floor
    assert fake.sent() == ["GET /reports"]
    assert fake.requests[0].query["restype"] == ["container"]


def test_blob_sas_reads_metadata_not_content(fake):
    text = fz.sas_url(fz.SAS_BLOB, path="/reports/2024/q3.pdf",
                      query="sp=r&se=2030-05-01T16:00:00Z&sv=2022-11-02&sr=b")
    access = lookup(_token(text), fake.url)
    assert access.live is True
    assert fake.sent() == ["GET /reports/2024/q3.pdf"]
    assert fake.requests[0].query["comp"] == ["metadata"]


def test_revoked_sas_is_not_live(fake):
    access = lookup(_token(fz.account_sas(fz.SAS_REVOKED)), fake.url)
    assert (access.live, access.evidence) == (False, "api")


def test_ip_restricted_sas_is_unknown(fake):
    access = lookup(_token(fz.account_sas(fz.SAS_IP, extra="&sip=198.51.100.7")), fake.url)
    assert access.live is None
    assert any("AuthorizationSourceIPMismatch" in n for n in access.notes)


def test_signature_accepted_but_operation_outside_the_sas(fake):
    access = lookup(_token(fz.account_sas(fz.SAS_MISMATCH)), fake.url)
    assert access.live is True


def test_sas_without_a_fitting_read_call_is_not_called(fake):
    # Write-only account SAS: listing it would need "l"; nothing is sent.
    access = lookup(_token(fz.account_sas(fz.SAS_ACCOUNT, sp="wc")), fake.url)
    assert access.live is None
    assert access.capabilities == {"write"}
    assert fake.requests == []


def test_hosts_are_built_from_the_account():
    assert azure.detector.host_suffixes == (".blob.core.windows.net",)
    assert azure.detector.api_url is None


def test_real_hosts_are_the_accounts_blob_endpoint_and_nothing_else():
    import time

    from tokenreach.detectors.http import ProviderSession

    http = ProviderSession(azure.detector, client=None, deadline=time.monotonic() + 5, environ={}).http("k")
    assert http.url("/?comp=list", host="acmeprod.blob.core.windows.net") == (
        "https://acmeprod.blob.core.windows.net/?comp=list")
    for bad in ("acmeprod.blob.core.windows.net.evil.example", "evil.example", "acmeprod.file.core.windows.net"):
        with pytest.raises(LookupUnavailable):
            http.url("/", host=bad)


def test_lone_key_finding_that_later_gained_its_account_is_looked_up(fake):
    """The pipeline merges a later location's extras into a finding but keeps its pattern id."""
    import dataclasses

    lone = _token(f"STORAGE_ACCESS_KEY={fz.ACCOUNTS[fz.LIVE]}")
    access = lookup(dataclasses.replace(lone, extras={"account": fz.LIVE}), fake.url)
    assert access.live is True
    assert fake.sent() == ["GET /"]
