"""A finding: one problem at one place."""
from __future__ import annotations

import re

from ..lazy_re import lazy_compile
from ..record import Record
from ..source.document import Document


class Finding(Record):
    """A problem a rule found at ``pointer`` of ``document`` (compares by identity)."""

    _fields = ("rule", "message", "document", "pointer", "level")

    def __init__(self, rule: str, message: str, document: Document, pointer: tuple, level: str = ""):
        self.rule = rule
        self.message = message
        self.document = document
        self.pointer = pointer
        self.level = level  # filled from the rule (and config overrides) by the engine

    @property
    def position(self) -> tuple[int, int]:
        return self.document.position(self.pointer)


MAX_VALUE_CHARS = 120  # of a value a message may echo (a template, a URI, a key...)
MAX_MESSAGE_CHARS = 600
_QUOTED = lazy_compile(r"""'[^'\n]{%d,}'|"[^"\n]{%d,}"|[^\s'"]{%d,}""" % ((MAX_VALUE_CHARS + 1,) * 3))


def clip_values(message: str) -> str:
    """The message with every quoted value (and every unbroken run of characters) longer than
    MAX_VALUE_CHARS cut to that length, and the whole at most MAX_MESSAGE_CHARS: a finding points at a
    value, it never reprints a 300 KB template."""
    def cut(m: re.Match) -> str:
        text = m.group(0)
        quote = text[0] if text[0] in "'\"" else ""
        return text[: MAX_VALUE_CHARS - 3] + "..." + quote
    message = _QUOTED.sub(cut, message)
    if "\n" in message:
        message = " ".join(line.strip() for line in message.splitlines() if line.strip())
        message = _QUOTED.sub(cut, message)
    return message if len(message) <= MAX_MESSAGE_CHARS else message[: MAX_MESSAGE_CHARS - 3] + "..."
