"""The block structure of a large YAML file, read from its lines: where each entry of a block mapping starts.

A big spec is a few block mappings nested deep (``paths`` -> one entry per path -> one per method...), and an
entry of a block mapping is easy to find without parsing: it is the line whose first character sits exactly at
the mapping's indentation. Two things use that for files too large to handle whole cheaply:

* parse.py parses a large file entry by entry (``parse_by_entries``), so that the YAML parser never holds its
  own tree of the whole file next to the Python data;
* positions.py finds the line and column of a pointer by following its keys from entry to entry, and parses
  only the small part of the file where the keys end.

Whatever is not plainly a block mapping (flow style, a sequence, a key that is not a plain or simply quoted
scalar, tabs, document markers, a line indented less than its mapping) makes these functions return None: the
caller then handles the file whole, as for a small file. Both work on ``str`` and on ``bytes``.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import AnyStr, Callable

LARGE_FILE = 8 * 1024 * 1024  # files above this many bytes are parsed entry by entry, and positioned likewise

_CONTENT = r"^( *)(?=[^ \t\r\n#])"  # a content line (not blank, not a comment) and its indentation
_DOC_MARKERS = ("---", "...")
_PLAIN_KEY_END = r":(?=[ \t\r\n]|$)"
_SPACE = r" *"


@lru_cache(maxsize=None)
def _pattern(source: str, binary: bool) -> re.Pattern:
    return re.compile(source.encode() if binary else source, re.M)


def _re(source: str, text: AnyStr) -> re.Pattern:
    return _pattern(source, isinstance(text, bytes))


def _lit(value: str, text: AnyStr) -> AnyStr:
    return value.encode() if isinstance(text, bytes) else value  # type: ignore[return-value]


def header_end(text: AnyStr) -> int | None:
    """Where the root mapping starts: after leading comments, blank lines and one ``---``. None when the text
    holds directives (``%YAML``), another document marker, or a tab at the start of a line."""
    if text[:1] in (_lit("%", text), _lit("\t", text)) or _lit("\n\t", text) in text:
        return None
    first = _re(_CONTENT, text).search(text)
    if first is None:
        return None
    start = first.start()
    if _is_marker(text, start):  # an explicit start of the (only) document
        following = _re(_CONTENT, text).search(text, start + 3)
        if following is None:
            return None
        start = following.start()
    for marker in _DOC_MARKERS:  # another document, or an end marker: the whole parse explains it
        at = text.find(_lit("\n" + marker, text), start)
        while at >= 0:
            if _is_marker(text, at + 1):
                return None
            at = text.find(_lit("\n" + marker, text), at + 1)
    return start


def _is_marker(text: AnyStr, at: int) -> bool:
    return text[at:at + 3] in (_lit("---", text), _lit("...", text)) and \
        text[at + 3:at + 4] in (_lit("", text), _lit(" ", text), _lit("\t", text), _lit("\r", text), _lit("\n", text))


def entries(text: AnyStr, start: int, end: int, indent: int) -> list[int] | None:
    """Offsets of the lines that start the entries of the block mapping whose keys sit at column ``indent``
    between ``start`` (a line start) and ``end``; None when those lines are not such a mapping."""
    starts: list[int] = []
    for line, width, first in _shallow_lines(text, start, end, indent):
        if width < indent:
            return None
        indicator = text[first:first + 1]
        if text[first + 1:first + 2] in (_lit(" ", text), _lit("\n", text), _lit("\r", text), _lit("", text)):
            if indicator == _lit("-", text):
                if not starts:
                    return None  # a sequence, not a mapping
                continue  # an entry of a sequence written at its key's indentation: part of that entry's value
            if indicator in (_lit("?", text), _lit(":", text)):
                return None  # a complex key (? key : value) spans several lines
        starts.append(line)
    return starts or None


def _shallow_lines(text: AnyStr, start: int, end: int, indent: int):
    """(line start, indentation, offset of the first character) of the content lines indented by at most
    ``indent`` spaces in text[start:end]. The regex finds them from the newline before them (a literal it
    searches for quickly), so the first line of the range is looked at here."""
    width = _re(_SPACE, text).match(text, start).end() - start
    first = start + width
    if first < end and width <= indent and text[first:first + 1] not in (
            _lit(" ", text), _lit("\t", text), _lit("\r", text), _lit("\n", text), _lit("#", text)):
        yield start, width, first
    for m in _re(r"\n( {0,%d})[^ \t\r\n#]" % indent, text).finditer(text, start, end):
        yield m.start() + 1, len(m.group(1)), m.end() - 1


def key_at(text: AnyStr, offset: int) -> tuple[str, int] | None:
    """The key of the entry whose key starts at ``offset`` (a plain, single- or double-quoted scalar on one
    line) and the offset just after its ``:``; None for anything else (complex keys, anchors, tags...)."""
    binary = isinstance(text, bytes)
    first = text[offset:offset + 1]
    if binary:
        first = first.decode("latin-1")
    if first in ('"', "'"):
        close = _closing_quote(text, offset, first)
        if close is None:
            return None
        raw = text[offset:close + 1]
        raw = raw.decode("utf-8") if binary else raw
        try:
            key = json.loads(raw) if first == '"' else raw[1:-1].replace("''", "'")
        except ValueError:
            return None  # a YAML escape JSON does not have
        after = close + 1
        while text[after:after + 1] in (b" ", " "):
            after += 1
        if text[after:after + 1] not in (b":", ":"):
            return None
        return key, after + 1
    if not first or first in "-?:,[]{}#&*!|>%@`<" or first.isspace():
        return None
    m = _re(_PLAIN_KEY_END, text).search(text, offset)
    line_end = text.find(b"\n" if binary else "\n", offset)
    if m is None or (line_end >= 0 and m.start() > line_end):
        return None
    raw = text[offset:m.start()]
    raw = raw.decode("utf-8") if binary else raw
    if " #" in raw or "\t" in raw:
        return None
    return raw.rstrip(" "), m.end()


def _closing_quote(text: AnyStr, offset: int, quote: str) -> int | None:
    line_end = text.find(b"\n" if isinstance(text, bytes) else "\n", offset)
    limit = len(text) if line_end < 0 else line_end
    q = quote.encode() if isinstance(text, bytes) else quote
    backslash = b"\\" if isinstance(text, bytes) else "\\"
    i = offset + 1
    while i < limit:
        ch = text[i:i + 1]
        if quote == '"' and ch == backslash:
            i += 2
            continue
        if ch == q:
            if quote == "'" and text[i + 1:i + 2] == q:
                i += 2
                continue
            return i
        i += 1
    return None


def value_start(text: AnyStr, after_key: int, end: int) -> tuple[int, int] | None:
    """(offset of the first character, indentation) of a block value that starts on a line after its key (the
    key ends at ``after_key``); None when the value is on the key's line (a scalar, a flow collection, an
    anchor, a tag, a block scalar indicator) or there is no content line before ``end``."""
    line_end = text.find(_lit("\n", text), after_key)
    if line_end < 0 or line_end >= end:
        return None
    rest = text[after_key:line_end].strip()
    if rest and not rest.startswith(_lit("#", text)):
        return None
    m = _re(_CONTENT, text).search(text, line_end + 1, end)
    if m is None:
        return None
    return m.end(), len(m.group(1))


def value_indent(text: AnyStr, after_key: int, end: int) -> int | None:
    """The indentation of a block value that starts on a line after its key (see value_start)."""
    found = value_start(text, after_key, end)
    return None if found is None else found[1]


def mapping_entries(text: AnyStr, start: int, end: int, indent: int,
                    parse_key: Callable[[AnyStr, int], tuple[str, int] | None] = key_at
                    ) -> list[tuple[str, int, int, int]] | None:
    """(key, key offset, offset after the key's ':', end of the entry) for each entry of the block mapping at
    ``indent`` in text[start:end]; None when it is not such a mapping or a key cannot be read."""
    starts = entries(text, start, end, indent)
    if starts is None:
        return None
    out = []
    for i, line_start in enumerate(starts):
        key = parse_key(text, line_start + indent)
        if key is None:
            return None
        entry_end = starts[i + 1] if i + 1 < len(starts) else end
        out.append((key[0], line_start + indent, key[1], entry_end))
    return out
