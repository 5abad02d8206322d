"""PyPI API tokens: macaroons whose caveats say exactly what they may upload.

Format (providers.md B.17; pypi/warehouse ``warehouse/macaroons/caveats/__init__.py`` and
``_legacy.py``): ``pypi-`` + unpadded URL-safe base64 of a libmacaroons v2 binary macaroon whose
location is ``pypi.org``, so every token starts ``pypi-AgEIcHlwaS5vcmc`` (bytes ``02 01 08`` then
``pypi.org``); TestPyPI tokens start ``pypi-AgENdGVzdC5weXBpLm9yZw`` (``test.pypi.org``).

There is no read-only call that tells whether a PyPI token is live: the only check public research
uses is an upload attempt (a ``POST`` to ``upload.pypi.org/legacy/``, PyPI's "Upload API",
docs.pypi.org/api/upload/), which tokenreach never sends. So this module has no lookup: everything
comes from the caveats, which are decoded offline. A macaroon's holder can add caveats but never
remove them, so the effective scope is the intersection of all of them.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from tokenreach.detectors.base import Detector
from tokenreach.detectors.macaroon import b64decode_loose, decode_v2
from tokenreach.detectors.rule_files import rules_for
from tokenreach.scanner.model import Access, Token

PREFIX = "pypi-"

PATTERNS = rules_for("pypi")


@dataclass
class Scope:
    """The intersection of every caveat of one PyPI macaroon."""

    location: str = ""
    user_id: str | None = None
    oidc_publisher: str | None = None
    project_names: set[str] | None = None  # None: no ProjectName caveat
    project_ids: set[str] | None = None
    expires_at: int | None = None
    not_before: int | None = None
    grants: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # caveats warehouse would reject
    third_party: int = 0

    @property
    def project_scoped(self) -> bool:
        return self.project_names is not None or self.project_ids is not None


def decode_token(secret: str) -> Scope | None:
    """The scope a PyPI token carries, or None when it is not a decodable macaroon."""
    if not secret.startswith(PREFIX):
        return None
    raw = b64decode_loose(secret[len(PREFIX):])
    mac = decode_v2(raw) if raw else None
    if mac is None:
        return None
    scope = Scope(location=mac.location)
    for cav in mac.caveats:
        if cav.third_party:
            scope.third_party += 1
            continue
        text = cav.text()
        try:
            predicate = json.loads(text) if text is not None else None
        except ValueError:
            predicate = None
        if not _apply(scope, predicate):
            scope.unknown.append((text or "<binary>")[:80])
    return scope


def _strs(value: Any) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _apply(scope: Scope, pred: Any) -> bool:
    """Fold one caveat predicate into the scope; False when warehouse would not understand it."""
    if isinstance(pred, list) and pred and _int(pred[0]) is not None:
        tag, args = pred[0], pred[1:]
        if tag == 0 and len(args) == 2 and _int(args[0]) is not None and _int(args[1]) is not None:
            return _expiration(scope, args[0], args[1])
        if tag == 1 and len(args) == 1 and (names := _strs(args[0])) is not None:
            return _projects(scope, "project_names", names, "ProjectName")
        if tag == 2 and len(args) == 1 and (ids := _strs(args[0])) is not None:
            return _projects(scope, "project_ids", ids, "ProjectID")
        if tag == 3 and len(args) == 1 and isinstance(args[0], str):
            scope.user_id = args[0]
            scope.grants.append("RequestUser")
            return True
        if tag == 4 and len(args) >= 1 and isinstance(args[0], str):
            scope.oidc_publisher = args[0]
            scope.grants.append("OIDCProvider")
            return True
        return False
    if isinstance(pred, dict):  # legacy JSON-object caveats, still adapted by warehouse
        if pred.get("version") == 1 and pred.get("permissions") == "user":
            scope.grants.append("RequestUser")
            return True
        perms = pred.get("permissions")
        if pred.get("version") == 1 and isinstance(perms, dict):
            names = _strs(perms.get("projects"))
            return names is not None and _projects(scope, "project_names", names, "ProjectName")
        exp, nbf = _int(pred.get("exp")), _int(pred.get("nbf"))
        if exp is not None and nbf is not None:
            return _expiration(scope, exp, nbf)
        ids = _strs(pred.get("project_ids"))
        if ids is not None:
            return _projects(scope, "project_ids", ids, "ProjectID")
    return False


def _expiration(scope: Scope, expires_at: int, not_before: int) -> bool:
    scope.expires_at = expires_at if scope.expires_at is None else min(scope.expires_at, expires_at)
    scope.not_before = not_before if scope.not_before is None else max(scope.not_before, not_before)
    scope.grants.append("Expiration")
    return True


def _projects(scope: Scope, attr: str, values: list[str], name: str) -> bool:
    current: set[str] | None = getattr(scope, attr)
    setattr(scope, attr, set(values) if current is None else current & set(values))
    scope.grants.extend(f"{name}:{v}" for v in values)
    return True


def _iso(ts: int) -> str | None:
    try:
        return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat().replace("+00:00", "Z")
    except (OverflowError, OSError, ValueError):
        return None


class PyPIDetector(Detector):
    provider = "pypi"
    title = "PyPI"
    patterns = PATTERNS
    # No lookup: PyPI has no read-only call that authenticates an API token.
    revoke_url = "https://pypi.org/manage/account/token/"
    least_privilege = (
        "create a project-scoped API token for the one project, or better, use Trusted Publishing from CI"
    )

    def classify(self, token: Token) -> Access:
        access = Access(evidence="prefix")
        scope = decode_token(token.secret)
        if scope is None:
            return access.note("pypi- prefix, but the macaroon could not be decoded: scope unknown")
        access.evidence = "offline"
        access.grants = list(dict.fromkeys(scope.grants))
        access.capabilities = {"write"}  # an API token can upload, nothing else
        if scope.location not in ("pypi.org", "test.pypi.org"):
            access.note(f"macaroon location {scope.location!r} is not PyPI's")
        if scope.location == "test.pypi.org":
            access.facts["environment"] = "test"
            access.note("a TestPyPI token: uploads go to test.pypi.org only")
        if scope.user_id:
            access.identity = f"PyPI user {scope.user_id}"
            access.facts["user_id"] = scope.user_id
        if scope.oidc_publisher:
            access.identity = f"trusted publisher {scope.oidc_publisher}"
            access.facts["oidc_publisher"] = scope.oidc_publisher
            access.note("minted by Trusted Publishing: short-lived and bound to the publisher's projects")
        if scope.project_scoped:
            names = sorted(scope.project_names or set())
            ids = sorted(scope.project_ids or set())
            access.reach = "project"
            access.add_resources(names + [f"project id {i}" for i in ids])
            if scope.project_names == set() or scope.project_ids == set():
                access.note("project caveats do not intersect: the token can upload to no project")
            else:
                access.note(f"project caveat: can upload only to {', '.join(names + ids)}")
        elif scope.oidc_publisher:
            access.reach = "project"
        else:
            access.reach = "account"
            access.note("no project caveat: can upload to every project the owner maintains")
        if scope.third_party:
            access.note(f"{scope.third_party} third-party caveat(s): needs a discharge to be used")
        if scope.unknown:
            access.note(f"{len(scope.unknown)} caveat(s) PyPI would not recognise: the token may be unusable")
            access.facts["unknown_caveats"] = scope.unknown
        if scope.expires_at is not None:
            access.expires_at = _iso(scope.expires_at)
            if scope.expires_at <= time.time():
                access.live = False
                access.note(f"expiration caveat passed ({access.expires_at}): PyPI rejects it")
        access.note("liveness unknown: PyPI has no read-only way to check a token (uploads are never tried)")
        return access


detector = PyPIDetector()
