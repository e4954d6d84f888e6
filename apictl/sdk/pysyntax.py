"""Check that generated Python source compiles, in bounded memory.

CPython's compiler holds the whole syntax tree of a module: about 60 bytes per byte of source, so the client of
a 50,000-operation API (a 125 MB client.py) would need 7.5 GB to check at once. A large source is compiled in
pieces instead: top-level statements that start at column 0 (``def``, ``class``, a decorator) and, inside a
class, its methods (a line that starts with exactly four spaces and ``def``, ``async def`` or ``@``); a class
header is compiled with ``pass`` as its body, each method inside a dummy class. The pieces are found from the
text alone, so a split may fall inside a string: such a piece does not compile, and then the whole source is
compiled, which gives the authoritative answer. A piece that compiles alone compiles in place:

- every piece starts at the beginning of a line and, having compiled, ends outside any bracket, string or
  continuation line;
- a top-level piece starts at column 0, so it is a sequence of complete module statements wherever it sits;
- a class header that compiles followed by an indented ``pass`` leaves its body open at that indentation, and
  a method piece (four spaces, no line at column 0) is a sequence of statements of such a body;
- ``from __future__`` is only allowed at the top of a module: a later piece that has it falls back to the
  whole source; the other pieces are compiled with the future flags of the first.
"""
from __future__ import annotations

import __future__
import re

PIECE_BYTES = 1 << 18  # sources up to this size are compiled at once; larger ones in pieces of about this size
_TOP = re.compile(r"^(?:def |async def |class |@)", re.M)
_METHOD = re.compile(r"^    (?:def |async def |@)", re.M)
_COLUMN_ZERO = re.compile(r"^[^ \t\r\n\f]", re.M)
_FUTURE = re.compile(r"^from __future__ import ([A-Za-z_, ()]+)", re.M)


def compile_check(text: str, path: str, piece_bytes: int = PIECE_BYTES) -> None:
    """Raise SyntaxError (that of compiling ``text`` whole) unless ``text`` compiles."""
    if len(text) <= piece_bytes:
        compile(text, path, "exec", dont_inherit=True)
        return
    flags = _future_flags(text)
    for piece in _grouped(_pieces(text, piece_bytes), piece_bytes):
        try:
            if piece is None:
                raise SyntaxError("a piece needs its context")
            compile(piece, path, "exec", flags=flags, dont_inherit=True)
        except SyntaxError:
            compile(text, path, "exec", dont_inherit=True)  # the whole source decides (and gives the position)
            return


def _future_flags(text: str) -> int:
    flags = 0
    for match in _FUTURE.finditer(text):
        for name in re.findall(r"[A-Za-z_]+", match.group(1)):
            feature = getattr(__future__, name, None)
            if isinstance(feature, __future__._Feature):
                flags |= feature.compiler_flag
    return flags


def _split(text: str, pattern: re.Pattern, indent: str) -> list[str]:
    """``text`` cut before each line ``pattern`` matches, except a line that follows a decorator."""
    starts = [0]
    for match in pattern.finditer(text):
        at = match.start()
        before = text.rfind("\n", 0, at - 1) + 1
        if at and not text.startswith(indent + "@", before):
            starts.append(at)
    return [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]


def _pieces(text: str, piece_bytes: int):
    """(kind, source) in order: kind "top" (module statements) or "method" (statements of a class body, at
    four spaces); (None, None) for a piece that cannot be checked alone."""
    for index, top in enumerate(_split(text, _TOP, "")):
        if index and "__future__" in top:
            yield None, None
            return
        if len(top) <= piece_bytes or not top.startswith("class "):
            yield "top", top
            continue
        header, *methods = _split(top, _METHOD, "    ")
        yield "top", header + "    pass\n"
        for method in methods:
            if _COLUMN_ZERO.search(method):  # a statement at column 0 would end the class: check it in place
                yield None, None
                return
            yield "method", method


def _grouped(pieces, piece_bytes: int):
    """Consecutive pieces of a kind joined up to about ``piece_bytes`` (one compile call per group)."""
    kind, group, size = None, [], 0
    for piece_kind, source in pieces:
        if group and (piece_kind != kind or size + len(source or "") > piece_bytes):
            yield ("class _Piece:\n" if kind == "method" else "") + "".join(group)
            group, size = [], 0
        if piece_kind is None:
            yield None
            return
        kind = piece_kind
        group.append(source)
        size += len(source)
    if group:
        yield ("class _Piece:\n" if kind == "method" else "") + "".join(group)
