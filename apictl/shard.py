"""``--shard K/N``: one deterministic share of a list of specs, so that the jobs of a CI matrix split the work.

Every job computes the same split from the same list, whatever order the shell expanded it in and whichever
machine runs it: the names are sorted (as POSIX paths) and dealt out in turn, the first to shard 1, the second
to shard 2, and so on. Each spec lands in exactly one shard; shards differ in size by at most one spec.
"""
from __future__ import annotations

from pathlib import PurePath

from .lazy_re import lazy_compile
from .source.errors import InputError

_SHARD = lazy_compile(r"([0-9]+)/([0-9]+)")


def parse_shard(text: str) -> tuple[int, int]:
    """'2/4' -> (2, 4); anything else is a usage error."""
    m = _SHARD.fullmatch(text.strip())
    if m is None or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise InputError(f"--shard must be K/N with 1 <= K <= N (e.g. 2/4), not '{text}'")
    return int(m.group(1)), int(m.group(2))


def shard(names: list[str], k: int, n: int) -> list[str]:
    """The names of shard ``k`` of ``n`` (1-based), in sorted order."""
    ordered = sorted(dict.fromkeys(names), key=_sort_key)
    return ordered[k - 1::n]


def _sort_key(name: str) -> tuple[str, str]:
    if name.startswith("git:"):
        return ("1", name)
    return ("0", PurePath(name).as_posix())
