"""ProviderHTTP.settle: one rule from an answer's status to a token's liveness."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, ProviderSession
from tokenreach.detectors.redaction import redact
from tokenreach.scanner.model import Access

SECRET = "tkn_" + "Qm7xV2pL9sK4wR8nT3yB6hJ1cF5gD0aZ"  # a fake token


class Plain(Detector):
    provider = "statustest"
    title = "Status test"
    api_url = "https://api.status.invalid"
    hosts = ("api.status.invalid",)


class Scoped(Plain):
    """A provider that documents 403 as "authenticated, but not allowed here"."""

    forbidden_statuses = frozenset({403})


class Quirky(Plain):
    """A provider that answers 403 and 404 to a token it does not know, and never 'forbidden'."""

    dead_statuses = frozenset({401, 403, 404})
    forbidden_statuses = frozenset()


def http_for(detector: Detector, handler=None, secret: str = SECRET) -> Iterator[ProviderHTTP]:
    transport = httpx.MockTransport(handler or (lambda req: httpx.Response(500)))
    with httpx.Client(transport=transport) as client:
        session = ProviderSession(detector, client=client, deadline=time.monotonic() + 60,
                                  max_retries=0, environ={}, sleep=lambda s: None)
        yield session.http(secret)


@pytest.fixture
def http() -> Iterator[ProviderHTTP]:
    yield from http_for(Plain())


@pytest.fixture
def quirky() -> Iterator[ProviderHTTP]:
    yield from http_for(Quirky())


@pytest.fixture
def scoped() -> Iterator[ProviderHTTP]:
    yield from http_for(Scoped())


def offline() -> Access:
    return Access(evidence="prefix").note("kind from the prefix")


@pytest.mark.parametrize("status", [200, 201, 204, 206])
def test_2xx_is_live_and_the_body_is_read(http, status):
    access = offline()
    assert http.settle(access, httpx.Response(status), "/me") is True
    assert (access.live, access.evidence) == (True, "api")
    assert access.notes == ["kind from the prefix"]


def test_401_is_revoked_with_a_note_naming_the_endpoint(http):
    access = offline()
    assert http.settle(access, httpx.Response(401), "/v1/me") is False
    assert (access.live, access.evidence) == (False, "api")
    assert access.notes[-1] == "/v1/me answered 401: invalid or revoked"


def test_a_documented_403_is_live_but_forbidden_on_that_endpoint(scoped):
    access = offline()
    assert scoped.settle(access, httpx.Response(403), "/v1/scopes") is False
    assert (access.live, access.evidence) == (True, "api")
    assert access.notes[-1] == "/v1/scopes answered 403: live, but may not use this endpoint"


def test_403_is_unknown_unless_the_provider_documents_it(http):
    # A proxy, a firewall or an IP allow-list answers 403 too: that proves nothing about the token.
    access = offline()
    assert http.settle(access, httpx.Response(403), "/v1/scopes") is False
    assert (access.live, access.evidence) == (None, "prefix")
    assert access.notes[-1] == "/v1/scopes answered HTTP 403"


@pytest.mark.parametrize("status", [400, 402, 404, 405, 409, 410, 418, 422, 423, 451, 499, 100, 600])
def test_any_other_status_is_unknown_never_revoked(http, status):
    access = offline()
    assert http.settle(access, httpx.Response(status), "/v1/me") is False
    assert access.live is None
    assert access.evidence == "prefix"  # nothing was learnt from the API
    assert access.notes[-1] == f"/v1/me answered HTTP {status}"


def test_unknown_clears_an_earlier_verdict(http):
    access = offline()
    access.live = True  # e.g. a first endpoint said live; this one decides nothing
    http.settle(access, httpx.Response(404), "/v1/other")
    assert access.live is None


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_rate_limits_and_server_errors_never_reach_the_helper(status):
    for http in http_for(Plain(), lambda req: httpx.Response(status)):
        with pytest.raises(LookupUnavailable, match=str(status)):
            http.get("/v1/me")


def test_a_real_answer_through_get():
    for http in http_for(Plain(), lambda req: httpx.Response(401, json={"error": "bad"})):
        access = offline()
        assert http.settle(access, http.get("/v1/me"), "GET /v1/me") is False
        assert access.live is False


# Quirks are data ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [401, 403, 404])
def test_detector_class_attributes_say_which_statuses_mean_dead(quirky, status):
    access = offline()
    assert quirky.settle(access, httpx.Response(status), "/validate") is False
    assert (access.live, access.evidence) == (False, "api")


def test_arguments_override_the_detector_for_one_endpoint(http, scoped):
    access = offline()
    http.settle(access, httpx.Response(401), "/v1/me", dead=())
    assert access.live is None  # 401 is not dead here (e.g. another host's token)

    access = offline()
    http.settle(access, httpx.Response(400), "/v1/apps", forbidden={400})
    assert (access.live, access.evidence) == (True, "api")  # authenticated, then a bad request

    access = offline()
    scoped.settle(access, httpx.Response(403), "/v1/me", dead={401, 403}, forbidden=())
    assert access.live is False

    access = offline()
    scoped.settle(access, httpx.Response(403), "/v1/owners", forbidden=())
    assert access.live is None  # a 403 from this endpoint says nothing (an IP allow-list)


def test_why_replaces_the_conclusion_and_explains_an_unknown(http):
    why = {401: "invalid or uninstalled token", 403: "live, without the read scope",
           404: "no such shop, so the pairing may be wrong"}
    notes = []
    for status in (401, 403, 404):
        access = offline()
        http.settle(access, httpx.Response(status), "shop.json", forbidden={403}, why=why)
        notes.append(access.notes[-1])
    assert notes == [
        "shop.json answered 401: invalid or uninstalled token",
        "shop.json answered 403: live, without the read scope",
        "shop.json answered HTTP 404: no such shop, so the pairing may be wrong",
    ]


def test_detail_quotes_what_the_body_said(http):
    access = offline()
    http.settle(access, httpx.Response(403), "GET /v1/models", forbidden=(), detail="(permission_error)")
    assert access.notes[-1] == "GET /v1/models answered HTTP 403 (permission_error)"
    access = offline()
    http.settle(access, httpx.Response(403), "self", forbidden={403}, detail="insufficient_scope")
    assert access.notes[-1] == "self answered 403 insufficient_scope: live, but may not use this endpoint"


# Notes never carry the secret -----------------------------------------------------------------


@pytest.mark.parametrize("status", [401, 403, 404])
def test_notes_never_contain_the_secret(scoped, status):
    # A hostile or misconfigured endpoint may echo the token into its error text, and an
    # endpoint name may be built from text near the token. 401 dead, 403 forbidden, 404 unknown.
    access = offline()
    scoped.settle(access, httpx.Response(status), f"/v1/keys/{SECRET}",
                why={status: f"the key {SECRET} said no"}, detail=f"echo {SECRET}")
    assert all(SECRET not in n for n in access.notes)
    assert redact(SECRET) in access.notes[-1]
    assert str(status) in access.notes[-1]


def test_a_note_without_the_secret_is_kept_as_written(http):
    access = offline()
    http.settle(access, httpx.Response(401), "/v1/me", detail="(tkn_other)")
    assert access.notes[-1] == "/v1/me answered 401 (tkn_other): invalid or revoked"


def test_a_status_named_in_one_set_leaves_the_detectors_other(http, quirky):
    access = offline()
    http.settle(access, httpx.Response(401), "login", forbidden={401})  # 401 is dead by default
    assert (access.live, access.evidence) == (True, "api")  # e.g. "asking for a second factor"

    access = offline()
    for scoped_http in http_for(Scoped()):
        scoped_http.settle(access, httpx.Response(403), "/validate", dead={403})
    assert access.live is False

    access = offline()
    quirky.settle(access, httpx.Response(403), "/v1/x", forbidden={403})
    assert access.live is True


def test_a_status_both_dead_and_forbidden_is_a_programming_error(http):
    with pytest.raises(ValueError, match="both dead and forbidden"):
        http.settle(offline(), httpx.Response(401), "/v1/me", dead={401}, forbidden={401})


def test_every_providers_declared_statuses_are_consistent():
    from tokenreach.detectors.registry import by_provider

    for det in by_provider().values():
        dead, forbidden = det.dead_statuses, det.forbidden_statuses
        assert not dead & forbidden, det.provider
        assert all(400 <= s < 500 for s in dead | forbidden), det.provider  # 5xx/429 never get here
        assert 429 not in dead | forbidden, det.provider


# Shared reading of answers ---------------------------------------------------------------------


def test_refusal_detail_quotes_the_error_field_of_a_refusal_only():
    from tokenreach.detectors.http import refusal_detail

    assert refusal_detail(httpx.Response(401, json={"message": "x" * 300})) == f"({'x' * 120})"
    assert refusal_detail(httpx.Response(403, json={"detail": "no"}), "detail") == "(no)"
    assert refusal_detail(httpx.Response(200, json={"message": "fine"})) is None
    assert refusal_detail(httpx.Response(401, text="<html>")) is None
    assert refusal_detail(httpx.Response(401, json={"message": 3})) is None


@pytest.mark.parametrize(("reply", "names", "note"), [
    (httpx.Response(200, json=[{"slug": "acme"}, {"slug": "beta"}, {"name": "no slug"}]), ["acme", "beta"],
     "/v1/orgs lists 2 organization(s)"),
    (httpx.Response(403, json={"message": "no"}), [], "/v1/orgs answered HTTP 403: organizations unknown"),
    (httpx.Response(200, text="not json"), [], "organizations not listed"),
])
def test_list_resources_adds_names_and_never_touches_liveness(reply, names, note):
    for http in http_for(Plain(), lambda req: reply):
        access = Access(live=True)
        http.list_resources(access, "/v1/orgs", headers={})
        assert access.live is True and access.resources == names
        assert any(n.startswith(note) for n in access.notes)
