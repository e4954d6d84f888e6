"""Module-level regular expressions compiled on first use rather than at import: a command imports many
rule modules whose patterns a given document never needs, and compiling them all cost about 10 ms of the
start-up of a tiny `apictl validate` (issue 14)."""
from __future__ import annotations

import re

_FORWARDED = ("match", "fullmatch", "search", "sub", "subn", "split", "finditer", "findall", "scanner",
              "pattern", "flags", "groups", "groupindex")


class LazyPattern:
    """Stands for ``re.compile(pattern, flags)``; the first attribute read compiles it and keeps the compiled
    pattern's methods on the instance, so later calls cost what calls on a compiled pattern cost."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str):
        compiled = self.compiled = re.compile(*self._source)
        for attr in _FORWARDED:
            setattr(self, attr, getattr(compiled, attr))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self._source[0]!r}, {self._source[1]!r})"


def lazy_compile(pattern: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)
