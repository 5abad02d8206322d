"""Groq API keys.

Format (console.groq.com/docs/quickstart and console.groq.com/keys, where a new key is shown once):
``gsk_`` + 52 alphanumerics. The key carries every permission of the project it was created in.
"""

from __future__ import annotations

from tokenreach.detectors.base import Detector, Pattern

PATTERNS = (
    Pattern(
        id="groq.api_key",
        name="Groq API key",
        regex=r"\b(?P<secret>gsk_[A-Za-z0-9]{52})\b",
        keywords=("gsk_",),
        kind="api_key",
        examples=(
            "GROQ_API_KEY=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",
            'client = Groq(api_key="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")',
        ),
        counterexamples=(
            "GROQ_API_KEY=gsk_Z7MdOtGugrt1sB5TDqxitoo1c1FL64bw6b3LvckiB2wDzpdT3D2",  # 51 characters
            "GROQ_API_KEY=gsk_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",  # placeholder, 51
            "GROQ_API_KEY=${GROQ_API_KEY}",
            "mygsk_C6hSYnMzrvcTgUmr43spDwWPVmdTsPzICdxJ68b1bFwm9MjHSeIU",  # prefix inside a longer word
        ),
    ),
)


class GroqDetector(Detector):
    provider = "groq"
    title = "Groq"
    patterns = PATTERNS
    revoke_url = "https://console.groq.com/keys"
    least_privilege = "create a key in a project that holds only the models and limits this service needs"


detector = GroqDetector()
