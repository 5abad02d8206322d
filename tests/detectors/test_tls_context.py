"""One verifying TLS context per process (detectors/http.py ``tls_context``), given to every HTTP
client the product makes: loading certifi's trust store costs ~30 ms a client."""

from __future__ import annotations

import ssl
from typing import Any

import certifi
import httpx
import pytest

from tokenreach.detectors.http import env_var_for, tls_context
from tokenreach.scanner.engine import tokens_in
from tokenreach.scanner.lookup import LookupOptions, run_lookups


def test_it_verifies_like_httpx_default_and_is_built_once() -> None:
    ctx = tls_context()
    assert ctx is tls_context()
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname
    # certifi's roots, not an empty store
    assert ctx.cert_store_stats()["x509_ca"] > 50
    assert certifi.where()


def test_the_lookup_client_uses_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fakes import huggingface as hf_fake

    made: list[dict[str, Any]] = []
    real = httpx.Client

    def client(*args: Any, **kwargs: Any) -> httpx.Client:
        made.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(httpx, "Client", client)
    tok = tokens_in(f"HF_TOKEN={hf_fake.READ}")[0]
    with hf_fake.make() as fake:
        access = run_lookups({"t": tok}, LookupOptions(environ={env_var_for("huggingface"): fake.url},
                                                       total_timeout=10))["t"]
    assert access.live is True, access.notes
    assert [k["verify"] for k in made] == [tls_context()]
    assert all(k["trust_env"] is False for k in made)
