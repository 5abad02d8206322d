from __future__ import annotations

import base64
import random

import pytest

from tokenreach.detectors import macaroon as m


def test_v2_round_trip_keeps_location_identifier_and_caveats():
    raw = m.encode_v2("pypi.org", b"id-1", [b'[3,"u"]', b'[1,["a"]]'], b"\x01" * 32)
    mac = m.decode_v2(raw)
    assert mac is not None
    assert (mac.location, mac.identifier) == ("pypi.org", b"id-1")
    assert [c.text() for c in mac.caveats] == ['[3,"u"]', '[1,["a"]]']
    assert not any(c.third_party for c in mac.caveats)


def test_v2_prefix_is_the_documented_pypi_prefix():
    raw = m.encode_v2("pypi.org", b"x", [], b"\0" * 32)
    assert base64.urlsafe_b64encode(raw).decode().startswith("AgEIcHlwaS5vcmc")


def test_v2_third_party_caveat_and_no_location():
    # version, identifier only, EOS, caveat with location + identifier + vid, EOS, EOS, signature
    raw = (b"\x02" + b"\x02\x02id" + b"\x00" + b"\x01\x03loc" + b"\x02\x03cid" + b"\x04\x03vid" + b"\x00"
           + b"\x00" + b"\x06\x01s")
    mac = m.decode_v2(raw)
    assert mac is not None and mac.location == ""
    (cav,) = mac.caveats
    assert (cav.location, cav.identifier, cav.vid, cav.third_party) == ("loc", b"cid", b"vid", True)


@pytest.mark.parametrize("data", [b"", b"\x02", b"\x01\x01\x08pypi.org", b"\x02\x01\xff\xff\xff\xff\xff",
                                  b"\x02\x01\x08pypi", b"\x02\x02\x01x\x00\x00", b"\x02\x05\x01x",
                                  b"\x02\x01\x02\xff\xfe\x02\x01x\x00\x00\x06\x00"])
def test_v2_malformed_is_none(data):
    assert m.decode_v2(data) is None


def test_v2_truncations_and_random_bytes_never_raise():
    raw = m.encode_v2("pypi.org", b"id", [b'[0,2,1]', b'[3,"u"]'], b"\x07" * 32)
    for i in range(len(raw)):
        assert m.decode_v2(raw[:i]) is None
    rng = random.Random(7)
    for _ in range(2000):
        blob = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 80)))
        m.decode_v2(blob)
        m.decode_v2(b"\x02" + blob)


def test_b64decode_loose():
    assert m.b64decode_loose("AQI") == b"\x01\x02"
    assert m.b64decode_loose("-_8") == b"\xfb\xff"
    assert m.b64decode_loose("+/8=") == b"\xfb\xff"
    assert m.b64decode_loose("") is None
    assert m.b64decode_loose("not base64!") is None


@pytest.mark.parametrize("value", [0, 127, -1, -32, -33, 200, 70000, 2**40, "x", "y" * 40, "z" * 300, b"b",
                                   b"\0" * 300, [], [1, [2, [3]]], {"a": 1, "b": [True, False, None]},
                                   list(range(20)), {str(i): i for i in range(20)}])
def test_msgpack_round_trip(value):
    assert m.unpack(m.pack(value)) == value


@pytest.mark.parametrize("data", [b"", b"\xc1", b"\x92\x01", b"\xdd\xff\xff\xff\xff",
                                  b"\xdf\xff\xff\xff\xff", b"\xa5abc", b"\xc4\x05ab", b"\x01\x02",
                                  b"\xa2\xff\xfe", b"\x91" * 200 + b"\x00"])
def test_msgpack_malformed_is_none(data):
    assert m.unpack(data) is None


def test_msgpack_random_bytes_never_raise():
    rng = random.Random(11)
    for _ in range(3000):
        m.unpack(bytes(rng.randrange(256) for _ in range(rng.randrange(0, 60))))


def test_fly_round_trip_and_names():
    cavs = [(0, [1234, m.action_mask("*")]), (3, [{5: 3}]), (22, [])]
    raw = m.encode_fly("https://api.fly.io/v1", b"kid", cavs)
    mac = m.decode_fly(raw)
    assert mac is not None
    assert (mac.location, mac.kid, mac.proof) == ("https://api.fly.io/v1", b"kid", False)
    assert [c.name for c in mac.caveats] == ["Organization", "Apps", "NoAdminFeatures"]
    assert mac.caveats[0].body == [1234, 0xFFFF]
    assert mac.caveats[1].body == [{5: 3}]


def test_fly_header_parsing_skips_what_it_cannot_read():
    a = base64.b64encode(m.encode_fly("https://api.fly.io/v1", b"k", [(4, [1, 2])])).decode()
    b = base64.b64encode(m.encode_fly("https://api.fly.io/aaa/v1", b"t", [], proof=True)).decode()
    macs = m.parse_fly_tokens(f"FlyV1 fm2_{a},fm2_{b},fm2_!!!,xx_{a},fm2_")
    assert [(x.location, x.proof) for x in macs] == [("https://api.fly.io/v1", False),
                                                     ("https://api.fly.io/aaa/v1", True)]
    assert m.parse_fly_tokens("") == []
    assert m.parse_fly_tokens("FlyV1 ") == []


@pytest.mark.parametrize("value", [None, 1, "s", [], [1, 2, 3, 4], [[b"k", b"r"], 1, [], b""],
                                   [[b"k", b"r"], "loc", [1], b""], [[b"k"], "loc", [], b""],
                                   [[b"k", b"r"], "loc", ["x", 1], b""], [[b"k", b"r"], "loc", [], "tail"]])
def test_fly_wrong_shapes_are_none(value):
    assert m.decode_fly(m.pack(value)) is None


def test_fly_random_bytes_never_raise():
    rng = random.Random(3)
    good = m.encode_fly("https://api.fly.io/v1", b"kid", [(0, [1, 31]), (13, [[3, [{0: 1}]], 1])])
    for i in range(len(good)):
        assert m.decode_fly(good[:i]) is None
    for _ in range(2000):
        blob = bytearray(good)
        blob[rng.randrange(len(blob))] = rng.randrange(256)
        m.decode_fly(bytes(blob))


def test_action_strings():
    assert m.action_string(0xFFFF) == "*"
    assert m.action_string(31) == "*"
    assert m.action_string(1) == "r"
    assert m.action_string(m.action_mask("rwd")) == "rwd"
    assert m.action_string(0) == "none"
    assert m.action_string("x") == "?"
