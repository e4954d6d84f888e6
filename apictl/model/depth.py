"""How deep a walk over schemas may go: one bound for every command, and one clear error past it.

One file cannot nest deeper than :data:`apictl.source.parse.MAX_DEPTH` levels, but ``$ref`` chains
can: ``A: {allOf: [$ref: B]}``, ``B: {allOf: [$ref: C]}``... has no limit. diff and lint walk schemas
without recursion; the SDK model is built recursively (a type is made of its parts' types), so it counts
the schemas it is inside of (a schema reached again through a cycle is memoised, so cycles do not count)
and stops at the same limit a file has, with the position of the schema that goes too deep, instead of a
RecursionError. Real specs stay far below it (Stripe: 58 levels in the SDK model).
"""
from __future__ import annotations

import sys
from typing import Any

from ..source.errors import InputError
from ..source.parse import MAX_DEPTH
from ..source.workspace import format_pointer

MAX_SCHEMA_DEPTH = MAX_DEPTH
# Python frames per schema level in the deepest walk (SDK model: type_of -> _classify -> _object -> type_of for
# the $ref -> type_of), with a wide margin: the walks never reach it, MAX_SCHEMA_DEPTH stops them first.
RECURSION_LIMIT = 20_000


def allow_deep_walks() -> None:
    """Room on the Python stack for MAX_SCHEMA_DEPTH levels (the default limit, 1,000 frames, is not enough)."""
    if sys.getrecursionlimit() < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)


def too_deep(document: Any, pointer: tuple, what: str) -> InputError:
    """The error for a walk that went past MAX_SCHEMA_DEPTH, placed at the schema where it did."""
    line, column = document.position(pointer)
    return InputError(f"schemas nest more than {MAX_SCHEMA_DEPTH} levels deep here (through $ref, allOf, properties, "
                      f"items...); {what} stops at {MAX_SCHEMA_DEPTH} (at {format_pointer(pointer) or '/'})",
                      document.display, line, column)
