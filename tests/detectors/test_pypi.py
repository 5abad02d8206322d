from __future__ import annotations

import base64
import json
import time

from tests.fakes.server import FakeServer
from tests.helpers import token
from tokenreach.detectors.macaroon import encode_v2
from tokenreach.detectors.providers.pypi import decode_token, detector
from tokenreach.scanner.lookup import LookupOptions, lookup_one
from tokenreach.scanner.model import Token

USER = "5f59e3ab-ab0a-4829-b69d-00fc5a27a80c"


def make(caveats: list, location: str = "pypi.org") -> str:
    cavs = [c if isinstance(c, bytes) else json.dumps(c).encode() for c in caveats]
    raw = encode_v2(location, b"3ae1bf14-9945-4df7-b748-70c12fd86d07", cavs, b"\x5a" * 32)
    return "pypi-" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def classify(secret: str):
    return detector.classify(token(f"TWINE_PASSWORD={secret}", provider="pypi"))


def test_user_wide_token_reaches_every_project():
    access = classify(make([[3, USER]]))
    assert access.evidence == "offline"
    assert access.reach == "account"
    assert access.capabilities == {"write"}
    assert access.grants == ["RequestUser"]
    assert access.identity == f"PyPI user {USER}"
    assert access.live is None
    assert access.expires_at is None


def test_project_scoped_token():
    access = classify(make([[1, ["sampleproject", "other"]], [3, USER]]))
    assert access.reach == "project"
    assert access.resources == ["other", "sampleproject"]
    assert access.grants == ["ProjectName:sampleproject", "ProjectName:other", "RequestUser"]


def test_attenuated_project_caveats_intersect():
    access = classify(make([[1, ["a", "b"]], [1, ["b", "c"]], [3, USER]]))
    assert access.resources == ["b"]
    access = classify(make([[1, ["a"]], [1, ["c"]]]))
    assert access.resources == []
    assert any("do not intersect" in n for n in access.notes)


def test_project_id_caveat():
    access = classify(make([[2, ["0b2d7a1c-1111-4c55-9a6f-2f1b6f0c9d10"]], [3, USER]]))
    assert access.reach == "project"
    assert access.resources == ["project id 0b2d7a1c-1111-4c55-9a6f-2f1b6f0c9d10"]


def test_expiration_in_future_and_past():
    future = int(time.time()) + 3600
    access = classify(make([[0, future, 1], [3, USER]]))
    assert access.live is None
    assert access.expires_at is not None and access.expires_at.endswith("Z")
    access = classify(make([[0, 1_600_000_000, 1_500_000_000], [3, USER]]))
    assert access.live is False
    assert access.expires_at == "2020-09-13T12:26:40Z"
    assert access.evidence == "offline"


def test_legacy_caveats_are_adapted():
    access = classify(make([{"version": 1, "permissions": "user"}]))
    assert access.reach == "account" and access.grants == ["RequestUser"]
    access = classify(make([{"version": 1, "permissions": {"projects": ["legacy-proj"]}},
                            {"exp": 1_600_000_000, "nbf": 1}]))
    assert access.reach == "project" and access.resources == ["legacy-proj"]
    assert access.live is False
    access = classify(make([{"project_ids": ["pid-1"]}]))
    assert access.resources == ["project id pid-1"]


def test_trusted_publishing_token():
    access = classify(make([[4, "publisher-uuid"], [2, ["pid-9"]]]))
    assert access.identity == "trusted publisher publisher-uuid"
    assert access.reach == "project"
    assert access.facts["oidc_publisher"] == "publisher-uuid"


def test_unknown_caveats_are_reported_not_fatal():
    access = classify(make([[99, "x"], b"\xff\xfe not json", [3, USER]]))
    assert access.facts["unknown_caveats"] == ['[99, "x"]', "<binary>"]
    assert access.reach == "account"


def test_test_pypi_token():
    secret = make([[1, ["sampleproject"]]], location="test.pypi.org")
    tok = token(f"password: {secret}", provider="pypi")
    assert tok.kind == "test_api_token"
    access = detector.classify(tok)
    assert access.facts["environment"] == "test"


def test_garbage_after_prefix_never_raises():
    for junk in ["pypi-AgEIcHlwaS5vcmc" + "A" * 60, "pypi-AgEIcHlwaS5vcmc" + "_-" * 40, "pypi-", "nope"]:
        assert decode_token(junk) is None
        access = detector.classify(Token("pypi", junk, kind="api_token"))
        assert access.evidence == "prefix" and access.live is None


def test_no_network_call_is_ever_made():
    tok = token(f"TWINE_PASSWORD={make([[3, USER]])}", provider="pypi")
    with FakeServer() as fake:  # answers 404 to anything: it must receive nothing at all
        access = lookup_one(tok, LookupOptions(environ={"TOKENREACH_PYPI_API_URL": fake.url}))
        assert fake.sent() == []
    assert detector.has_lookup() is False
    assert access.live is None and access.reach == "account"
