"""Zapier catch-hook webhook URLs.

Format: Zapier's "Webhooks by Zapier" trigger (help.zapier.com/hc/en-us/articles/8496288690317):
the Catch Hook URL is ``https://hooks.zapier.com/hooks/catch/<account id>/<hook id>/``; the URL is
the only credential, and anyone holding it can trigger the Zap with any payload. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import fake

_HOOK = "https://hooks.zapier.com/hooks/catch/" + fake("digits", 8, "zapier-account") + "/" + fake("a36", 7, "zapier")
_PLACEHOLDERS = ("your", "xxxx", "example", "abcdef", "hook_id", "hookid", "webhook")

PATTERNS = (
    Pattern(
        id="zapier.webhook_url",
        name="Zapier catch-hook webhook URL",
        regex=(r"(?P<secret>https://hooks\.zapier\.com/hooks/catch/(?P<account_id>\d{4,12})/[a-z0-9]{5,12})"
               r"/?(?:[^A-Za-z0-9_\-]|$)"),
        keywords=("hooks.zapier.com",),
        kind="webhook",
        validate=lambda s: not any(w in s.rsplit("/", 1)[1] for w in _PLACEHOLDERS),
        examples=(f"ZAPIER_WEBHOOK_URL={_HOOK}/", f"fetch('{_HOOK}/', {{ method: 'POST', body }})"),
        counterexamples=(
            "https://hooks.zapier.com/hooks/catch/YOUR_WEBHOOK_ID_FOR_CONTACT/",
            'placeholder="https://hooks.zapier.com/hooks/catch/..."',
            "https://hooks.zapier.com/hooks/catch/123456/abcdefgh/",
        ),
        lookup=False,  # the only check is a POST, and a POST triggers the Zap
    ),
)


class ZapierDetector(Detector):
    provider = "zapier"
    title = "Zapier"
    patterns = PATTERNS
    revoke_url = "https://zapier.com/app/zaps"
    least_privilege = ("keep the hook URL server-side and make the Zap check a shared secret field (Filter step) "
                       "before it acts")


detector = ZapierDetector()
