"""The only way a provider module talks to the network.

Guarantees every lookup keeps, so that no provider module has to remember them:

- requests go only to the provider's fixed hosts, or to the operator's
  ``TOKENREACH_<PROVIDER>_API_URL`` (plain http only for loopback); never to a host read from a
  scanned repository, and redirects are never followed;
- only GET, GraphQL queries (a ``mutation`` is refused before it is sent) and POSTs that the
  provider documents as read-only (each call names why);
- timeouts, a bounded number of retries with backoff that honour ``Retry-After``, a deadline for
  the whole lookup phase, and a per-provider request budget;
- every failure becomes :class:`LookupUnavailable` with a message written here, never an
  exception text that could carry a URL or a token.
"""

from __future__ import annotations

import email.utils
import ipaddress
import json
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Collection, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from tokenreach.detectors.base import Detector, LookupUnavailable
from tokenreach.detectors.redaction import redact

if TYPE_CHECKING:  # imported lazily: a scan with nothing to look up never loads httpx
    import ssl

    import httpx

    from tokenreach.scanner.model import Access


@cache
def tls_context() -> ssl.SSLContext:
    """The one verifying TLS context of this process, with certifi's trust store as httpx's default
    has: loading that store costs ~30 ms, and every HTTP client of a run (lookups, forge listings,
    uploads) and of a long-lived cluster worker shares it. An SSLContext is safe across threads."""
    import ssl

    import certifi

    return ssl.create_default_context(cafile=certifi.where())

USER_AGENT = "tokenreach/0.1 (+read-only token permission lookup)"
MAX_BODY_BYTES = 4 * 1024 * 1024
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# First retry waits this long, then twice as long (when the server sends no Retry-After).
BACKOFF_SECONDS = 0.5
_MUTATION = re.compile(r"\b(mutation|subscription)\b", re.IGNORECASE)


def env_var_for(provider: str) -> str:
    return "TOKENREACH_" + re.sub(r"[^A-Z0-9]", "_", provider.upper()) + "_API_URL"


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address literal (no name is resolved)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def override_url(provider: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The operator's base URL for a provider, validated; None when unset.

    Raises ValueError with a message for the CLI when the value is unusable.
    """
    name = env_var_for(provider)
    value = (environ if environ is not None else os.environ).get(name, "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{name} must be an http(s) URL, got {value!r}")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValueError(f"{name}: plain http is accepted only for loopback addresses")
    return value.rstrip("/")


class ProviderSession:
    """Shared by every lookup of one provider in one scan: client, budget, deadline."""

    def __init__(
        self,
        detector: Detector,
        *,
        client: httpx.Client,
        deadline: float,
        timeout: float = 10.0,
        max_retries: int = 2,
        environ: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        allow_private_hosts: bool = False,
    ) -> None:
        self.detector = detector
        # --lookup-private-hosts: a host named by scanned data (a database URL) may be private.
        self.allow_private_hosts = allow_private_hosts
        self.client = client
        self.deadline = deadline
        self.timeout = timeout
        self.max_retries = max_retries
        self.sleep = sleep
        self.base_override = override_url(detector.provider, environ)
        self.budget = detector.request_budget
        self.sent: list[str] = []  # "GET /path" for -v; no query strings, no tokens
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []

    def trace(self, event: str, info: Mapping[str, Any]) -> None:
        """httpcore's ``trace`` extension: resolve the host within the deadline before each
        connection, and remember each socket this session connects."""
        if event.endswith(".connect_tcp.started") and isinstance(info, dict) and isinstance(info.get("host"), str):
            timeout = info.get("timeout")
            wait = self.deadline - time.monotonic()
            if isinstance(timeout, (int, float)):
                wait = min(wait, timeout)
            # httpcore connects with this very mapping: the address resolved here is what it uses.
            info["host"] = resolve_within(info["host"], int(info.get("port") or 443), wait)
        if event.endswith((".connect_tcp.complete", ".start_tls.complete")):
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if sock is not None:
                with self._lock:
                    self._sockets.append(sock)

    def abort(self) -> None:
        """Shut every connection of this session, idle or in flight, when the lookup phase ends: a
        server that trickles a byte just inside each read timeout would otherwise hold a lookup
        thread (and the process exit waiting for it) long past the deadline."""
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def take_budget(self) -> None:
        with self._lock:
            if self.budget <= 0:
                raise LookupUnavailable(
                    f"request budget of {self.detector.request_budget} for {self.detector.title} "
                    "used up in this scan"
                )
            self.budget -= 1

    def http(self, secret: str) -> ProviderHTTP:
        return ProviderHTTP(self, secret)


class ProviderHTTP:
    """Read-only HTTP for one token's lookup."""

    def __init__(self, session: ProviderSession, secret: str) -> None:
        self._s = session
        self._secret = secret

    # URL building -----------------------------------------------------------------------------

    @property
    def overridden(self) -> bool:
        return self._s.base_override is not None

    # For lookups that speak another protocol (database drivers): the same deadline, budget and
    # operator switch, with no HTTP.

    @property
    def deadline(self) -> float:
        """``time.monotonic()`` value at which the lookup phase ends."""
        return self._s.deadline

    @property
    def allow_private_hosts(self) -> bool:
        return self._s.allow_private_hosts

    def take_budget(self) -> None:
        """Count one request (one connection) against the provider's budget."""
        self._s.take_budget()

    def url(self, path: str, host: str | None = None) -> str:
        """Absolute URL for ``path`` on the provider's base URL or on ``host``.

        ``host`` (e.g. ``myaccount.blob.core.windows.net``) must be one of the detector's hosts or
        end with one of its host suffixes. An operator override replaces the whole base.
        """
        if not path.startswith("/"):
            path = "/" + path
        if self._s.base_override is not None:
            return self._s.base_override + path
        det = self._s.detector
        if host is None:
            if not det.api_url:
                raise LookupUnavailable(f"{det.title} has no API base URL")
            return det.api_url.rstrip("/") + path
        host = host.lower()
        allowed = host in det.hosts or any(
            host.endswith(sfx) and re.fullmatch(r"[a-z0-9.-]+", host) for sfx in det.host_suffixes
        )
        if not allowed:
            raise LookupUnavailable(f"host {host!r} is not one of {det.title}'s API hosts")
        return f"https://{host}{path}"

    # Requests -------------------------------------------------------------------------------

    def get(
        self,
        path: str,
        *,
        host: str | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        auth: tuple[str, str] | None = None,
        secret_in_url: bool = False,
    ) -> httpx.Response:
        return self._send("GET", path, host=host, headers=headers, params=params, auth=auth,
                          secret_in_url=secret_in_url)

    def post_readonly(
        self,
        path: str,
        *,
        why: str,
        host: str | None = None,
        headers: Mapping[str, str] | None = None,
        json_body: Any = None,
        data: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
    ) -> httpx.Response:
        """A POST the provider documents as read-only (GraphQL query, STS GetCallerIdentity,
        Slack auth.test, GCP testIamPermissions). ``why`` names the documented reason."""
        if not why:
            raise ValueError("post_readonly needs the documented reason it is read-only")
        return self._send("POST", path, host=host, headers=headers, json_body=json_body, data=data,
                          auth=auth)

    def graphql(
        self,
        path: str,
        query: str,
        *,
        variables: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        host: str | None = None,
    ) -> httpx.Response:
        """POST a GraphQL *query*. Mutations and subscriptions are refused before sending."""
        if _MUTATION.search(query):
            raise ValueError("tokenreach sends GraphQL queries only, never mutations")
        body: dict[str, Any] = {"query": query}
        if variables:
            body["variables"] = dict(variables)
        return self._send("POST", path, host=host, headers=headers, json_body=body)

    # Answers --------------------------------------------------------------------------------

    def list_resources(self, access: Access, path: str, *, headers: Mapping[str, str], host: str | None = None,
                       key: str = "slug", what: str = "organization") -> None:
        """Add the ``key`` of each object a list endpoint returns to ``access.resources``. A refusal
        or a failure here leaves liveness as it is, and says so in a note."""
        try:
            resp = self.get(path, host=host, headers=headers)
            body = json_of(resp) if resp.status_code == 200 else None
        except LookupUnavailable as exc:
            access.note(f"{what}s not listed: {exc}")
            return
        if not isinstance(body, list):
            access.note(f"{path} answered HTTP {resp.status_code}: {what}s unknown")
            return
        names = [str(o[key]) for o in body if isinstance(o, dict) and isinstance(o.get(key), str)]
        access.add_resources(names, len(names))
        access.note(f"{path} lists {len(names)} {what}(s)")

    def settle(
        self,
        access: Access,
        resp: httpx.Response,
        endpoint: str,
        *,
        dead: Collection[int] | None = None,
        forbidden: Collection[int] | None = None,
        why: Mapping[int, str] | None = None,
        detail: str | None = None,
    ) -> bool:
        """Set ``access.live`` from the status of ``resp``; True when the caller should read the body.

        - 2xx: live (evidence "api"), True.
        - a status in ``dead`` (default: the detector's ``dead_statuses``, 401): not live, evidence
          "api", a note "<endpoint> answered 401: invalid or revoked"; False.
        - a status in ``forbidden`` (default: the detector's ``forbidden_statuses``, none): the
          token authenticated but may not use ``endpoint`` (e.g. 403): live, evidence "api", a note;
          False. The caller reads ``access.live`` when it goes on after a refusal.
        - anything else: unknown, never revoked, a note "<endpoint> answered HTTP <status>"; False.
          (429, 5xx and redirects never get here: ``_send`` raised LookupUnavailable.)

        A status named in ``dead`` or ``forbidden`` leaves the detector's other set for this call.
        ``why`` says what a status means at this endpoint (it replaces the default conclusion of a
        dead or forbidden status, and explains an unknown one); ``detail`` is what the answer's body
        said, written right after the status ("AuthenticationFailed", "(permission_error)"). A
        provider's quirks are these arguments and the detector's two class attributes, never a case
        in here.
        """
        status = resp.status_code
        if 200 <= status < 300:
            access.live, access.evidence = True, "api"
            return True
        det = self._s.detector
        dead_set = det.dead_statuses.difference(forbidden or ()) if dead is None else frozenset(dead)
        forbidden_set = (det.forbidden_statuses.difference(dead or ()) if forbidden is None
                         else frozenset(forbidden))
        if dead_set & forbidden_set:
            raise ValueError(f"{det.title}: statuses both dead and forbidden: {sorted(dead_set & forbidden_set)}")
        meaning = (why or {}).get(status)
        said = f" {detail}" if detail else ""
        if status in dead_set:
            access.live, access.evidence = False, "api"
            note = f"{endpoint} answered {status}{said}: {meaning or 'invalid or revoked'}"
        elif status in forbidden_set:
            access.live, access.evidence = True, "api"
            note = f"{endpoint} answered {status}{said}: {meaning or 'live, but may not use this endpoint'}"
        else:
            access.live = None
            note = f"{endpoint} answered HTTP {status}{said}" + (f": {meaning}" if meaning else "")
        # The endpoint may name data found near the token, the detail is the provider's own text:
        # neither may carry the secret into a report.
        if self._secret and self._secret in note:
            note = note.replace(self._secret, redact(self._secret))
        access.note(note)
        return False

    def _send(
        self,
        method: str,
        path: str,
        *,
        host: str | None,
        headers: Mapping[str, str] | None,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        data: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        secret_in_url: bool = False,
    ) -> httpx.Response:
        import httpx

        s = self._s
        url = self.url(path, host)
        if not secret_in_url and self._secret and (
            self._secret in url or self._secret in unquote(url)
            or any(self._secret in str(v) for v in (params or {}).values())
        ):
            raise ValueError("a token must never travel in a URL")
        hdrs = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        hdrs.update(headers or {})
        if s.base_override is not None and host is not None:
            # The operator's base replaced a data-derived host (a shop, an account): say which, so
            # a fake or a proxy in front of several hosts can answer as that host would.
            hdrs["X-Tokenreach-Target-Host"] = host
        label = f"{method} {urlsplit(url).path}"
        if secret_in_url and self._secret:
            # The label reaches -v and notes: no long path segment taken from the secret (a webhook
            # URL's token) may travel with it.
            label = method + " " + "/".join(
                "…" if len(seg) >= 16 and seg in self._secret else seg for seg in urlsplit(url).path.split("/"))
        attempt = 0
        while True:
            remaining = s.deadline - time.monotonic()
            if remaining <= 0.05:
                raise LookupUnavailable("lookup time limit reached")
            s.take_budget()
            s.sent.append(label)
            try:
                with s.client.stream(
                    method,
                    url,
                    headers=hdrs,
                    params=params,
                    json=json_body,
                    data=data,
                    auth=auth,
                    timeout=httpx.Timeout(min(s.timeout, remaining)),
                    follow_redirects=False,
                    extensions={"trace": s.trace},
                ) as resp:
                    body = _read_capped(resp, s.deadline)
            except LookupUnavailable:
                raise
            except httpx.TimeoutException as exc:
                failure = DNS_TIMED_OUT if str(exc) == DNS_TIMED_OUT else "timed out"
            except httpx.ConnectError as exc:
                failure = _connect_reason(exc)
            except httpx.HTTPError as exc:
                failure = f"network error ({type(exc).__name__})"
            else:
                resp._content = body  # the body is fully read; expose it as a normal Response
                if resp.is_redirect:
                    raise LookupUnavailable(
                        f"{label} answered {resp.status_code} redirect; not followed with a token"
                    )
                if resp.status_code not in RETRY_STATUSES:
                    return resp
                failure = f"HTTP {resp.status_code}"
                wait = _retry_after(resp.headers.get("Retry-After"))
                if wait is not None:
                    failure += f" (Retry-After {wait:g}s)"
                if attempt < s.max_retries:
                    delay = wait if wait is not None else BACKOFF_SECONDS * (2**attempt)
                    if delay < s.deadline - time.monotonic() - 0.1 and delay <= 30:
                        s.sleep(delay)
                        attempt += 1
                        continue
                raise LookupUnavailable(f"{label}: {failure}")
            # A transport failure is retried once (not a timeout: that already cost its full time).
            if attempt < min(1, s.max_retries) and not failure.endswith("timed out"):
                attempt += 1
                s.sleep(min(BACKOFF_SECONDS, max(0.0, s.deadline - time.monotonic() - 0.1)))
                continue
            raise LookupUnavailable(f"{label}: {failure}")


def _read_capped(resp: httpx.Response, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in resp.iter_bytes():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise LookupUnavailable(f"response larger than {MAX_BODY_BYTES // (1024 * 1024)} MB")
        if time.monotonic() > deadline:
            raise LookupUnavailable("lookup time limit reached while reading the response")
        chunks.append(chunk)
    return b"".join(chunks)


# Name resolution -------------------------------------------------------------------------------
# getaddrinfo() has no timeout and a thread blocked in it cannot be interrupted: behind a resolver
# that never answered, lookup threads (and the process exit, which joins them) outlived the
# deadline by 20 s. So a name is resolved in a daemon thread that a lookup waits for only until its
# own deadline, then abandons; lookups of the same name share one resolution.

DNS_TIMED_OUT = "DNS lookup timed out"
RESOLVED_TTL = 60.0  # seconds an answer is reused (a lookup phase lasts 60 s by default)


class _Resolution:
    __slots__ = ("addresses", "done", "error", "expires")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.addresses: list[str] = []
        self.error: str | None = None
        self.expires = 0.0


_resolutions: dict[tuple[str, int], _Resolution] = {}
_resolutions_lock = threading.Lock()


def resolve_within(host: str, port: int, wait: float) -> str:
    """An address of ``host`` resolved within ``wait`` seconds: an address is returned as is.
    Raises httpcore's ConnectTimeout (``DNS_TIMED_OUT``) or ConnectError, which httpx maps."""
    import httpcore

    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    key = (host.lower(), port)
    with _resolutions_lock:
        now = time.monotonic()
        res = _resolutions.get(key)
        if res is None or (res.done.is_set() and (res.error is not None or res.expires < now)):
            res = _resolutions[key] = _Resolution()
            threading.Thread(target=_resolve, args=(key, res), name="tokenreach-resolver", daemon=True).start()
    if not res.done.wait(max(0.0, wait)):
        raise httpcore.ConnectTimeout(DNS_TIMED_OUT)
    if res.error is not None or not res.addresses:
        raise httpcore.ConnectError(f"could not resolve the host ({res.error or 'no address'})")
    return res.addresses[0]


def _resolve(key: tuple[str, int], res: _Resolution) -> None:
    try:
        infos = socket.getaddrinfo(key[0], key[1], type=socket.SOCK_STREAM)
        res.addresses = [str(info[4][0]) for info in infos]
    except (OSError, UnicodeError) as exc:
        res.error = type(exc).__name__
    res.expires = time.monotonic() + RESOLVED_TTL
    res.done.set()


def _connect_reason(exc: Exception) -> str:
    text = str(exc).lower()
    if "name or service" in text or "nodename" in text or "getaddrinfo" in text or "resolve" in text:
        return "DNS lookup failed"
    if "certificate" in text or "ssl" in text or "tls" in text:
        return "TLS handshake failed"
    if "refused" in text:
        return "connection refused"
    return "could not connect"


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)  # "120", and the "2.0" some providers send
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if seconds == seconds else None  # NaN is no answer
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def json_of(resp: httpx.Response) -> Any:
    """The JSON body, or LookupUnavailable when the provider sent something else."""
    try:
        return json.loads(resp.content)
    except (ValueError, UnicodeDecodeError):
        raise LookupUnavailable(f"HTTP {resp.status_code} with a body that is not JSON") from None


def json_object(resp: httpx.Response) -> dict[str, Any]:
    body = json_of(resp)
    if not isinstance(body, dict):
        raise LookupUnavailable(f"HTTP {resp.status_code} with an unexpected JSON shape")
    return body


def refusal_detail(resp: httpx.Response, field: str = "message") -> str | None:
    """A refusal's error text (``{"message": …}`` or the provider's ``field``), quoted for a note;
    None for a 2xx or a body without it."""
    if 200 <= resp.status_code < 300:
        return None
    try:
        text = json_object(resp).get(field)
    except LookupUnavailable:
        return None
    return f"({text[:120]})" if isinstance(text, str) and text else None
