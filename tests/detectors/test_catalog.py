"""The catalog's shared offline checks (detectors/_catalog.py)."""

from __future__ import annotations

import pytest

from tokenreach.detectors.catalog import fake, plausible, plausible_alnum, plausible_hex


@pytest.mark.parametrize(("alphabet", "n"), [("b64url", 600), ("b64url", 2000), ("a62", 1000), ("hex", 200),
                                             ("hex", 1000), ("digits", 120)])
def test_long_random_tokens_are_plausible(alphabet, n):
    # One distinct character per 8 would ask a 600-character base64 token for 75 of its 64.
    assert plausible(fake(alphabet, n, f"long-{alphabet}-{n}"))


def test_long_tokens_of_each_shape():
    assert plausible_hex(fake("hex", 256, "long-hex"))
    assert plausible_alnum(fake("a62", 800, "long-a62"))


@pytest.mark.parametrize("secret", ["ab" * 300, "abc1" * 200, "x" * 1000, "0" * 64,
                                    "your_api_key_" + fake("a62", 600, "p"), "${SECRET_TOKEN}"])
def test_regular_or_placeholder_strings_are_not(secret):
    assert not plausible(secret)
