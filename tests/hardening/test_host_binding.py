"""A token is sent only to the shop or project the text binds it to (issue 17, item 11).

Shopify and Supabase tokens work on their own tenant's host only; any other tenant's host answers
401, exactly as for a revoked token. The scanner used to take the first shop or project URL near
the token, so a live critical Shopify admin token with another shop in a comment above it read as
revoked (severity info, exit 0). A host now pairs with a token only when the same URL, the same
line, or the token's configuration block (the one host assigned there) binds them; otherwise the
token is reported "not looked up: shop unknown" and nothing is sent.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.fakes import shopify as sh
from tests.fakes import supabase as sb
from tests.fakes import twilio as tw
from tests.helpers import Repo, fake_env, lookup, run_cli, token
from tokenreach.detectors.providers.shopify import API_VERSION
from tokenreach.scanner.engine import tokens_in

OWN = sh.SHOP  # acme-store.myshopify.com: the shop every fake token belongs to
FOREIGN = "partner-outlet.myshopify.com"


@pytest.fixture
def shop_fake():
    with sh.make() as server:
        yield server


def shop_of(text: str) -> str | None:
    return token(text, provider="shopify").context.get("shop")


def targets(fake: Any) -> list[str | None]:
    return [r.header("x-tokenreach-target-host") for r in fake.requests]


def shopify_finding(repo: Repo, fake_url: str) -> tuple[dict[str, Any], int]:
    """The one Shopify finding of `tokenreach scan --format json` (its entry point run in this
    process: the same exit code and streams), and the exit code."""
    proc = run_cli(["scan", str(repo.root), "--no-history", "--format", "json"], env=fake_env({"shopify": fake_url}))
    assert proc.returncode in (0, 1), proc.stderr
    found = [f for f in json.loads(proc.stdout)["findings"] if f["provider"] == "shopify"]
    assert len(found) == 1, found
    return found[0], proc.returncode


# The reported attack, end to end from a file -------------------------------------------------


def test_foreign_shop_in_a_comment_never_turns_a_live_token_revoked(tmp_path, shop_fake):
    repo = Repo(tmp_path / "r")
    repo.write("deploy/shopify.env", f"# Orders are mirrored to our partner's store, {FOREIGN}\n"
                                     f"SHOPIFY_ADMIN_TOKEN={sh.BROAD}\n")
    repo.commit("shopify")
    finding, code = shopify_finding(repo, shop_fake.url)
    access = finding["access"]
    assert access["live"] is None, access["notes"]
    assert any("shop unknown" in n for n in access["notes"]), access["notes"]
    assert finding["severity"] != "info" and code == 1
    assert shop_fake.requests == [], "the token went to a shop it is not bound to"


def test_bound_shop_is_asked_and_a_foreign_one_beside_it_is_not(tmp_path, shop_fake):
    repo = Repo(tmp_path / "r")
    repo.write(".env", f"# staging copy lives on {FOREIGN}\n"
                       f"SHOPIFY_SHOP={OWN}\n"
                       f"SHOPIFY_ADMIN_TOKEN={sh.BROAD}\n")
    repo.commit("shopify")
    finding, _ = shopify_finding(repo, shop_fake.url)
    assert finding["access"]["live"] is True, finding["access"]["notes"]
    assert finding["severity"] == "critical"
    assert set(targets(shop_fake)) == {OWN}


# How a shop binds to a token ------------------------------------------------------------------


@pytest.mark.parametrize("text, shop", [
    # The same URL wins over a shop assigned elsewhere in the block.
    (f"SHOPIFY_SHOP={FOREIGN}\n"
     f"ORDERS_URL=https://acme-store.myshopify.com/admin/api/{API_VERSION}/orders.json?access_token={sh.BROAD}\n",
     "acme-store"),
    # The same line (a one-line JSON object, a client constructor).
    (f'{{"shop": "acme-store.myshopify.com", "token": "{sh.BROAD}"}}\n', "acme-store"),
    (f'session = Session("acme-store.myshopify.com", "{API_VERSION}", "{sh.BROAD}")\n', "acme-store"),
    # The one shop assigned in the token's block; prose and commented-out lines do not count.
    (f"# moved from {FOREIGN}\n# SHOPIFY_SHOP={FOREIGN}\nSHOPIFY_SHOP=acme-store.myshopify.com\n"
     f"SHOPIFY_TOKEN={sh.BROAD}\n", "acme-store"),
    (f"shopify:\n  store_url: https://acme-store.myshopify.com\n  admin_token: {sh.BROAD}\n", "acme-store"),
    # Not bound: prose only, another block, two shops in one block.
    (f"See {FOREIGN} for the storefront.\nSHOPIFY_TOKEN={sh.BROAD}\n", None),
    (f"SHOPIFY_SHOP={FOREIGN}\n\nSHOPIFY_TOKEN={sh.BROAD}\n", None),
    (f"[partner]\nshop = \"{FOREIGN}\"\n[ours]\ntoken = \"{sh.BROAD}\"\n", None),
    (f"SHOP_A=acme-store.myshopify.com\nSHOP_B={FOREIGN}\nTOKEN={sh.BROAD}\n", None),
], ids=["same-url", "same-line-json", "same-line-call", "block-env", "block-yaml", "prose",
        "other-block", "other-section", "two-in-block"])
def test_what_binds_a_shop_to_a_token(text, shop):
    assert shop_of(text) == shop


def test_each_yaml_list_item_keeps_its_own_shop():
    text = (f"stores:\n"
            f"  - shop: {FOREIGN}\n"
            f"    token: {sh.NARROW}\n"
            f"  - shop: acme-store.myshopify.com\n"
            f"    token: {sh.BROAD}\n")
    shops = {t.secret: t.context.get("shop") for t in tokens_in(text) if t.provider == "shopify"}
    assert shops == {sh.NARROW: FOREIGN.split(".")[0], sh.BROAD: "acme-store"}


def test_unbound_token_is_not_looked_up(shop_fake):
    access = lookup(token(f"See {FOREIGN}.\nSHOPIFY_TOKEN={sh.BROAD}\n", "shopify"), shop_fake.url)
    assert access.live is None
    assert shop_fake.requests == []
    assert any("shop unknown" in n for n in access.notes)


def test_401_from_the_bound_shop_is_revoked_and_only_there(shop_fake):
    access = lookup(token(f"SHOPIFY_SHOP={OWN}\nSHOPIFY_TOKEN={sh.REVOKED}\n", "shopify"), shop_fake.url)
    assert (access.live, access.evidence) == (False, "api")
    assert targets(shop_fake) == [OWN]


# Supabase: the project URL of a new-format key --------------------------------------------------


@pytest.fixture
def supabase_fake():
    with sb.make() as server:
        yield server


def test_supabase_key_beside_another_projects_url_in_prose_is_not_sent(supabase_fake):
    text = (f"Docs: https://{sb.OTHER_REF}.supabase.co is the demo project.\n\n"
            f"SUPABASE_SECRET_KEY={sb.SECRET_KEY}\n")
    tok = token(text, "supabase")
    assert "project_ref" not in tok.context
    access = lookup(tok, supabase_fake.url)
    assert access.live is None
    assert supabase_fake.requests == []
    assert any("project unknown" in n for n in access.notes)


def test_supabase_client_on_one_line_is_bound_and_live(supabase_fake):
    text = f'const supabase = createClient("https://{sb.REF}.supabase.co", "{sb.SECRET_KEY}")\n'
    access = lookup(token(text, "supabase"), supabase_fake.url)
    assert access.live is True, access.notes
    assert [r.header("x-tokenreach-target-host") for r in supabase_fake.requests] == [f"{sb.REF}.supabase.co"]


def test_supabase_401_from_a_bound_url_is_still_not_revoked(supabase_fake):
    text = f"SUPABASE_URL=https://{sb.OTHER_REF}.supabase.co\nSUPABASE_SECRET_KEY={sb.SECRET_KEY}\n"
    access = lookup(token(text, "supabase"), supabase_fake.url)
    assert access.live is None, access.notes


# Twilio pairs a secret with a SID the same way: a SID found away from it proves nothing on 401 ----


@pytest.fixture
def twilio_fake():
    with tw.make() as server:
        yield server


def test_twilio_auth_token_with_a_sid_found_away_from_it_is_never_revoked(twilio_fake):
    other_sid = "AC" + "5" * 32
    text = f"TWILIO_ACCOUNT_SID={other_sid}\n# {'-' * 400}\nTWILIO_AUTH_TOKEN={tw.AUTH_TOKEN}\n"
    tok = token(text, "twilio")
    assert tok.extras == {} and tok.context["account_sid"] == other_sid
    access = lookup(tok, twilio_fake.url)
    assert access.live is None, access.notes
    assert "not this account's token" in access.notes[-1]
