"""JSON for plans and exports: orjson where it can (a 4 MB body serialises ~10x faster than with the
standard library), the standard library for what orjson refuses (integers beyond 64 bits)."""
from __future__ import annotations

import json
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; stay correct without it
    orjson = None  # type: ignore[assignment]


def canonical(value: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the bytes hashes are taken of."""
    if orjson is not None:
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        except TypeError:
            pass
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def pretty(value: Any) -> str:
    """Indented by two spaces, keys in their given order, a final newline."""
    if orjson is not None:
        try:
            return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE).decode()
        except TypeError:
            pass
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
