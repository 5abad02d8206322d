"""Where a secret may stand base64-encoded: the expressions the engine decodes at (data; the
decoding itself is in scanner/engine.py)."""

from __future__ import annotations

# The run is bounded: a PEM key in a Kubernetes Secret is ~2-4 kB of base64.
MIN_BASE64 = 20
MAX_BASE64 = 16384
# Layers decoded: base64 of base64 is common (a Kubernetes Secret's .dockerconfigjson holds a
# docker config.json whose "auth" is base64 of user:token). Each layer is bounded as above.
MAX_BASE64_DEPTH = 2
# Where a base64 value stands: after `=` / `:` (YAML, JSON, .env, INI, a Kubernetes Secret's data),
# quoted or not, or after `Basic ` (HTTP basic auth). It ends at a quote, whitespace, a separator
# or the end. (A quote alone as context, for strings in lists, made Hyperscan's pass ~70% slower:
# quotes are everywhere in code.)
#
# Hyperscan looks for such a value only after a name with a secret-like word in it (auth, token,
# key, config …: DECODE_NAMED_REGEX), because a pattern without any literal in it costs its pass
# over every byte about as much as all the literal-led patterns together (+~1 ns/byte). A
# Kubernetes Secret's data keys can be any name, so a buffer that declares `kind: Secret` has
# every `name: value` looked at (DECODE_REGEX, with re: such files are few and small).
#
# Only base64 of printable text is worth decoding, and its shape shows without decoding: each
# 4-character group encodes 3 bytes, and a printable byte (0x20-0x7e, tab, newline, CR) leaves
# only 26 of 64 characters possible in a group's first place, 28 in the second and 32 in the
# third. Words, identifiers and base64 of binary data rarely keep that up for four groups and a
# tail, so Hyperscan reports few candidates (the botocore JSON models alone hold ~10^5 long quoted
# words). The length (MIN_BASE64 with padding) is checked on the run itself.
_QUAD = "[CDI-Za-f][AC-HQS-Xgi-nwyz0-3][ABEFIJMNQRUVYZcdghklopstwx014589][A-Za-z0-9+/]"
_B64_BODY = (rf"(?:{_QUAD}){{{MIN_BASE64 // 4 - 1},{MAX_BASE64 // 4}}}"
             r"(?:[CDI-Za-f][AC-HQS-Xgi-nwyz0-3][A-Za-z0-9+/]?={0,2})?")
DECODE_REGEX = (r"""(?:[:=][ \t]{0,3}["'`]?|(?i:basic)[ \t]{1,3})(?P<b64>""" + _B64_BODY
                + r""")(?:["'`\s,;)\]}]|$)""")
_DECODE_NAMES = ("auth|token|secret|pass|pwd|key|cred|cert|config|b64|base64|data|login|session|cookie|"
                 "bearer|npm|docker|kube")
DECODE_NAMED_REGEX = (rf"""(?:(?i:{_DECODE_NAMES})[\w.\-]{{0,40}}["'\]]{{0,2}}[ \t]{{0,3}}[:=][ \t]{{0,3}}["'`]?"""
                      r"""|(?i:basic)[ \t]{1,3})(?P<b64>""" + _B64_BODY + r""")(?:["'`\s,;)\]}]|$)""")
SECRET_MANIFEST_REGEX = r"""\bkind["']?[ \t]{0,3}:[ \t]{0,3}["']?Secret\b"""


# A separator written escaped, right before a token: URL-encoded ("token%3Dghp_…", "Bearer%20…")
# or a string escape ("…\nghp_…" in JSON, "\x3d", "\u003d"). The escape ends in a letter or
# digit, so a token's leading word boundary refuses what follows it; the engine accepts this in
# its place (only bytes that decode to a non-word ASCII character count).
_NONWORD_HEX = "(?:[01][0-9A-Fa-f]|2[0-9A-Ca-cEFef]|3[A-Fa-f]|40|5[B-Eb-e]|60|7[B-Fb-f])"
ESCAPED_SEPARATOR_REGEX = rf"(?:%{_NONWORD_HEX}|\\(?:[nrt]|x{_NONWORD_HEX}|u00{_NONWORD_HEX}))"
