"""Whether a lookup may connect to a tenant host bound to a token (an Okta org, a Zendesk subdomain,
a Salesforce My Domain).

The module that calls this has already checked that the host is bound to the token
(scanner/binding.py) and ends with its provider's fixed domain suffix. The suffix is the
provider's, but the name under it is the scanned data's, and a provider's wildcard DNS (or a
stale record) may point it anywhere: so, like a database URL's host (detectors/database.py), it
must resolve to public addresses only, unless the operator passed ``--lookup-private-hosts``. A
host that is private or does not resolve is "not looked up: private host", never revoked. With
``TOKENREACH_<PROVIDER>_API_URL`` set the tenant host is never contacted, so nothing is checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tokenreach.detectors.database import PRIVATE_HOST, PrivateHost, public_addresses
from tokenreach.scanner.model import Access

if TYPE_CHECKING:
    from tokenreach.detectors.http import ProviderHTTP


def refuse_private(http: ProviderHTTP, host: str, access: Access) -> bool:
    """True (and ``access`` marked unknown, "not looked up: private host") when ``host`` may not
    be contacted. A DNS timeout or failure raises LookupUnavailable: unknown, like any network
    failure."""
    if http.overridden or http.allow_private_hosts:
        return False
    try:
        public_addresses(host, 443, http.deadline, allow_private=False)
    except PrivateHost as exc:
        access.facts["not_looked_up"] = "private host"
        access.unknown(f"{PRIVATE_HOST}: {exc}")
        return True
    return False
