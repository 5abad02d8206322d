"""Weights & Biases API keys.

Format: W&B's documentation (docs.wandb.ai/guides/track/environment-variables, ``WANDB_API_KEY``,
and docs.wandb.ai/support/find_api_key): keys are 40 hex characters (self-hosted servers put a
``local-`` style prefix in front), also written to ``~/.netrc`` under ``machine api.wandb.ai``.
With no distinctive prefix, a W&B name or that netrc entry must stand before it. Detection only.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern
from tokenreach.detectors.catalog import END, assigned, fake, plausible_hex

_KEY = fake("hex", 40, "wandb")

PATTERNS = (
    Pattern(
        id="weights_biases.api_key",
        name="Weights & Biases API key",
        regex=assigned(r"wandb|weights[_.\-]?(?:and[_.\-]?)?biases", r"(?:[a-z]{2,12}-)?[0-9a-f]{40}"),
        keywords=("wandb", "weights"),
        kind="api_key",
        validate=lambda s: plausible_hex(s.rsplit("-", 1)[-1]),
        examples=(f"WANDB_API_KEY={_KEY}", f'os.environ["WANDB_API_KEY"] = "{_KEY}"'),
        counterexamples=(f"WANDB_RUN_ID={_KEY[:8]}", "WANDB_API_KEY=" + "0" * 40, "WANDB_API_KEY=$WANDB_KEY"),
    ),
    Pattern(
        id="weights_biases.login",
        name="Weights & Biases API key passed to wandb.login()",
        regex=r"wandb\.login\(\s*(?:key\s*=\s*)?[\"'](?P<secret>[0-9a-f]{40})[\"']",
        keywords=("wandb.login",),
        kind="api_key",
        validate=plausible_hex,
        examples=(f'wandb.login(key="{_KEY}")', f"wandb.login('{_KEY}')"),
        counterexamples=("wandb.login(key=os.environ['WANDB_API_KEY'])", 'wandb.login(key="' + "0" * 40 + '")'),
    ),
    Pattern(
        id="weights_biases.netrc",
        name="Weights & Biases API key in .netrc",
        regex=r"machine\s+api\.wandb\.ai\s+login\s+\S+\s+password\s+(?P<secret>[0-9a-f]{40})" + END,
        keywords=("api.wandb.ai",),
        kind="api_key",
        validate=plausible_hex,
        examples=(f"machine api.wandb.ai\n  login user\n  password {_KEY}\n",),
        counterexamples=("machine api.wandb.ai\n  login user\n  password hunter2\n",),
    ),
)


class WeightsBiasesDetector(Detector):
    provider = "weights_biases"
    title = "Weights & Biases"
    patterns = PATTERNS
    revoke_url = "https://wandb.ai/settings"
    least_privilege = "use a team service account key for this pipeline instead of a personal key"


detector = WeightsBiasesDetector()
