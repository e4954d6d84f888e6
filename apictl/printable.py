"""Text from a spec or a file name, made safe to show a human: no control or bidi characters.

A spec can carry any character in a key, a description or a file name. Printed raw, a NUL or an
escape sequence garbles a terminal or a CI log, a U+202E (RIGHT-TO-LEFT OVERRIDE) makes a line read
differently from what it holds ("Trojan Source", CVE-2021-42574), a line separator starts a fake
line, and a lone surrogate cannot even be encoded. Every human-facing output (text, github,
markdown, junit reports, error lines, notes) passes such text through :func:`printable`, which
writes each of those characters as a visible escape (``\\x00``, ``\\u202e``, ``\\U000e0001``).
Machine formats (JSON, SARIF) keep the exact value: their own escaping is lossless.
"""
from __future__ import annotations

import re

# C0 and C1 controls and DEL; U+2028/2029 (line and paragraph separators); the bidirectional
# formatting characters (Unicode UAX #9: ALM, LRM, RLM, LRE..RLO, LRI..PDI); lone surrogates;
# the tag characters (invisible, used to hide text).
_UNSAFE_CLASS = (
    "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\U000e0000-\U000e007f"
)
_UNSAFE = re.compile(f"[{_UNSAFE_CLASS}]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str, keep: str = "") -> str:
    """``text`` with every control, bidi and separator character escaped, except those in ``keep``
    (e.g. ``"\\n"`` where a format encodes line breaks itself)."""
    if not isinstance(text, str):
        text = str(text)
    if _UNSAFE.search(text) is None:  # nearly always: no copy
        return text
    if not keep:
        return _UNSAFE.sub(_escape, text)
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)
