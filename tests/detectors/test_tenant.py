"""detectors/tenant.py: a tenant host bound to a token is contacted only at public addresses."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from tokenreach.detectors.base import Detector
from tokenreach.detectors.http import ProviderSession
from tokenreach.detectors.tenant import refuse_private
from tokenreach.scanner.model import Access


class Tenanted(Detector):
    provider = "tenanttest"
    title = "Tenant test"
    host_suffixes = (".tenant.invalid",)


def http_for(environ=None, allow_private=False):
    client = httpx.Client(transport=httpx.MockTransport(lambda req: httpx.Response(500)))
    session = ProviderSession(Tenanted(), client=client, deadline=time.monotonic() + 30, environ=environ or {},
                              allow_private_hosts=allow_private)
    return session.http("tkn_" + "Qm7xV2pL9sK4wR8nT3yB6hJ1cF5gD0aZ")


def resolving_to(monkeypatch, *addresses):
    def fake(host, port, *args, **kwargs):
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in addresses]
    monkeypatch.setattr(socket, "getaddrinfo", fake)


@pytest.mark.parametrize("address", ["10.0.0.7", "127.0.0.1", "169.254.169.254", "192.168.1.2", "::1"])
def test_a_private_address_is_not_contacted(monkeypatch, address):
    resolving_to(monkeypatch, "93.184.215.14", address)  # one private answer is enough
    access = Access()
    assert refuse_private(http_for(), "acme.example.com", access) is True
    assert access.live is None and access.facts["not_looked_up"] == "private host"
    assert access.notes[-1].startswith("not looked up: private host: acme.example.com resolves to a")


def test_public_addresses_are_contacted(monkeypatch):
    resolving_to(monkeypatch, "93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c")
    access = Access()
    assert refuse_private(http_for(), "acme.example.com", access) is False
    assert access.notes == [] and "not_looked_up" not in access.facts


def test_a_name_that_does_not_resolve_is_a_private_host(monkeypatch):
    def missing(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    monkeypatch.setattr(socket, "getaddrinfo", missing)
    access = Access()
    assert refuse_private(http_for(), "gone.example.com", access) is True
    assert access.live is None and access.facts["not_looked_up"] == "private host"


def test_the_operator_switch_and_override_skip_the_check(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("resolved")
    monkeypatch.setattr(socket, "getaddrinfo", never)
    assert refuse_private(http_for(allow_private=True), "acme.example.com", Access()) is False
    override = {"TOKENREACH_TENANTTEST_API_URL": "http://127.0.0.1:9"}
    assert refuse_private(http_for(environ=override), "acme.example.com", Access()) is False


# The providers whose host is named by the scanned data under their fixed suffix ---------------


def _recording_http(detector: Detector, requests: list[httpx.Request]):  # type: ignore[no-untyped-def]
    def answer(req: httpx.Request) -> httpx.Response:
        requests.append(req)
        return httpx.Response(500)

    client = httpx.Client(transport=httpx.MockTransport(answer))
    session = ProviderSession(detector, client=client, deadline=time.monotonic() + 30, environ={})
    return session.http("secret-under-test")


@pytest.mark.parametrize("provider", ["shopify", "azure"])
def test_a_shop_or_storage_account_at_a_private_address_is_never_asked(monkeypatch, provider):
    from tests.fakes import azure as fz
    from tests.fakes import shopify as sh
    from tokenreach.detectors.registry import by_provider
    from tokenreach.scanner.engine import tokens_in

    text = {"shopify": f"SHOPIFY_SHOP=acme-store.myshopify.com\nSHOPIFY_TOKEN={sh.NARROW}\n",
            "azure": f"DefaultEndpointsProtocol=https;AccountName={fz.LIVE};AccountKey={fz.ACCOUNTS[fz.LIVE]};"
                     "EndpointSuffix=core.windows.net\n"}[provider]
    token = next(t for t in tokens_in(text) if t.provider == provider)
    det = by_provider()[provider]
    resolving_to(monkeypatch, "10.1.2.3")  # a wildcard record, or a stale one, pointing inside
    requests: list[httpx.Request] = []
    access = det.lookup(token, _recording_http(det, requests), det.classify(token))
    assert requests == []
    assert access.live is None and access.facts["not_looked_up"] == "private host"
