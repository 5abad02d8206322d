"""Weights & Biases API keys.

Formats: ``detectors/rules/weights_biases.toml`` (40 hex, named W&B or in ``~/.netrc`` under
``machine api.wandb.ai``; a self-hosted server's keys carry a ``<name>-`` prefix).

Lookup: ``GET https://api.inference.wandb.ai/v1/models`` with ``Authorization: Bearer <key>`` (W&B
Inference API reference, docs.wandb.ai/inference/api-reference/list-models: "All API requests
require authentication using your W&B API key"). It lists models and changes nothing. Errors
(docs.wandb.ai/inference/api-reference/errors): 401 "Authentication failed" (a wrong key), 402 out
of credits and 403 "The inference gateway is not enabled for your organization" (both: the key
authenticated), 403 "Country, region, or territory not supported" (says nothing about the key).
This is the only documented HTTP call that checks a key; W&B's other APIs are reached through its
SDK, whose GraphQL queries are not documented, so nothing here reads who the key belongs to.

Rights (docs.wandb.ai/platform/hosting/iam/api-keys): a personal key acts in every organization its
user belongs to, a team service account's key in one team, an organization service account's key in
every team of the organization. The key's kind cannot be read, so the capabilities and reach are the
upper bound: those of a personal key. A self-hosted server's key is sent only to the operator's
``TOKENREACH_WEIGHTS_BIASES_API_URL``.
"""

from __future__ import annotations

import re
from typing import Any

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.http import ProviderHTTP, json_object
from tokenreach.detectors.rule_files import builtin, rules_for
from tokenreach.scanner.model import Access, Token

PATTERNS = rules_for("weights_biases")
_SPEC = builtin("weights_biases")

MODELS = "/v1/models"
_KEY_OK_403 = re.compile(r"not enabled for your organization", re.IGNORECASE)


class WeightsBiasesDetector(Detector):
    provider = "weights_biases"
    title = _SPEC.name
    patterns = PATTERNS
    api_url = "https://api.inference.wandb.ai"
    hosts = ("api.inference.wandb.ai",)
    request_budget = 40
    revoke_url = _SPEC.revoke_url
    least_privilege = _SPEC.least_privilege

    def classify(self, token: Token) -> Access:
        access = super().classify(token)
        if "-" in token.secret:
            access.facts["self_hosted"] = True
            access.note("a self-hosted W&B server's key (its prefix): not looked up on W&B's cloud")
        return access

    def lookup(self, token: Token, http: ProviderHTTP, offline: Access) -> Access:
        access = offline
        if access.facts.get("self_hosted") and not http.overridden:
            return access.note("not looked up: self-hosted instance")
        resp = http.get(MODELS, headers={"Authorization": f"Bearer {token.secret}"})
        detail = _detail(resp)
        org_refused = resp.status_code == 403 and detail is not None and bool(_KEY_OK_403.search(detail))
        forbidden = {402} | ({403} if org_refused else set())
        if not http.settle(access, resp, MODELS, forbidden=forbidden, detail=detail,
                           why={402: "the key authenticated; its account is out of Inference credits",
                                403: "the key authenticated; Inference is off for its organization" if org_refused
                                else "refused for this location: says nothing about the key"}):
            if access.live is not True:
                return access
        else:
            models = _json(resp).get("data")
            if not isinstance(models, list):  # a proxy's page, not W&B's answer
                return access.unknown(f"{MODELS} answered 200 without a model list")
        access.reach = "organization"
        access.capabilities = {"read", "write", "delete"}
        access.facts["capabilities_upper_bound"] = True
        access.note("W&B documents no call that tells a key's kind: the reach and capabilities are a personal "
                    "key's (every organization of its user); a service account's key reaches one team or one "
                    "organization")
        access.note("can read, log and delete runs, artifacts and models in the projects it reaches")
        return access


def _json(resp: Any) -> dict[str, Any]:
    try:
        return json_object(resp)
    except LookupUnavailable:
        return {}


def _detail(resp: Any) -> str | None:
    """The refusal's message: OpenAI-style ``{"error": {"message": …}}``, or ``message``/``detail``."""
    if 200 <= resp.status_code < 300:
        return None
    try:
        body = json_object(resp)
    except LookupUnavailable:
        return None
    err = body.get("error")
    text = err.get("message") if isinstance(err, dict) else err
    text = text if isinstance(text, str) else body.get("message") or body.get("detail")
    return f"({text[:120]})" if isinstance(text, str) and text else None


detector = WeightsBiasesDetector()
