"""The edit that silences one finding in place: ``x-apictl-ignore: [rule-id]`` on the nearest object
that holds the finding's node (the engine honours it there and everywhere below).

The key goes on an OpenAPI *object* (operation, schema, parameter, ...), never into a map of
names (``properties``, ``content``, ``schemas``...), where it would read as one more entry, nor into
an extension value or an example (user data). An existing ``x-apictl-ignore`` is extended.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..lint.engine import INLINE_IGNORE
from ..source import parse_pointer
from ..source.errors import InputError
from ..source.parse import parse_text
from ..source.positions import PositionIndex

# keys whose value maps names to objects (no room for extensions there)
NAME_MAPS = frozenset({
    "properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "content", "headers",
    "schemas", "parameters", "examples", "requestBodies", "securitySchemes", "links", "callbacks", "pathItems",
    "encoding", "variables", "mapping", "scopes", "securityDefinitions", "webhooks",
})
USER_DATA = frozenset({"example", "examples", "default", "enum", "const"})


@dataclass
class TextEdit:
    line: int  # 0-based, code points
    col: int
    end_line: int
    end_col: int
    text: str


def ignore_edit(text: str, kind: str, pointer: str, body_depth: int, rule: str) -> TextEdit | None:
    """The edit adding ``rule`` to the x-apictl-ignore of the object holding ``pointer``; None when the
    node is gone (the text changed) or already ignored."""
    parsed_pointer = parse_pointer(pointer)
    if parsed_pointer is None:
        return None
    try:
        data = parse_text(text, "document." + kind, kind).data
    except InputError:
        return None
    holder = _holder(data, parsed_pointer, body_depth)
    if holder is None:
        return None
    where, node = holder
    positions = PositionIndex(text)
    lines = text.split("\n")
    existing = node.get(INLINE_IGNORE)
    if existing is not None:
        return _extend(existing, rule, positions, lines, where, kind)
    first_key = next(iter(node), None)
    if first_key is None:
        return None
    line, column = positions.position(where + (first_key,))
    line, col = line - 1, column - 1
    entry = f'"{INLINE_IGNORE}": ["{rule}"]' if kind == "json" else f"{INLINE_IGNORE}: [{rule}]"
    before = lines[line][:col]
    if before.strip() in ("", "-") or before.rstrip().endswith("- "):  # the first key starts its line (or item)
        return TextEdit(line, col, line, col, f"{entry}{',' if kind == 'json' else ''}\n{' ' * col}")
    return TextEdit(line, col, line, col, f"{entry}, ")  # a flow mapping: {a: 1} -> {x-apictl-ignore: [r], a: 1}


def _holder(data: Any, pointer: tuple, body_depth: int) -> tuple[tuple, dict] | None:
    """The deepest object along ``pointer`` (at or below the API body) that may carry the ignore key, with
    its path (list indexes as ints, as positions need them)."""
    best = None
    walked: list = []
    node, is_map, in_data = data, False, False
    for depth in range(len(pointer) + 1):
        if depth >= body_depth and isinstance(node, dict) and not is_map and not in_data:
            best = (tuple(walked), node)
        if depth == len(pointer):
            break
        seg = pointer[depth]
        if isinstance(node, dict):
            if seg not in node:
                return None
            in_data = in_data or (depth >= body_depth and (seg.startswith("x-") or seg in USER_DATA and not is_map))
            is_map = depth >= body_depth and not is_map and seg in NAME_MAPS
            node = node[seg]
            walked.append(seg)
        elif isinstance(node, list):
            if not seg.isdigit() or not int(seg) < len(node):
                return None
            node, is_map = node[int(seg)], False
            walked.append(int(seg))
        else:
            return None
    return best


def _extend(existing: Any, rule: str, positions: PositionIndex, lines: list[str], where: tuple,
            kind: str) -> TextEdit | None:
    if existing is True or existing == "all" or existing == rule or (isinstance(existing, list) and rule in existing):
        return None
    line, column = positions.position(where + (INLINE_IGNORE,))
    line, col = line - 1, column - 1
    text = lines[line]
    colon = text.find(":", col + len(INLINE_IGNORE))
    if colon < 0:
        return None
    value_start = colon + 1
    rest = text[value_start:]
    if isinstance(existing, list):
        close = _closing_bracket(text, value_start)
        if close is None:  # a block sequence: one more "- rule" line after the last item
            last = _last_item_line(lines, line)
            if last is None:
                return None
            item_line = lines[last]
            dash = len(item_line) - len(item_line.lstrip())
            return TextEdit(last, len(item_line), last, len(item_line), f"\n{' ' * dash}- {rule}")
        quoted = f'"{rule}"' if kind == "json" else rule
        inner = text[value_start:close].strip().lstrip("[").strip()
        return TextEdit(line, close, line, close, f", {quoted}" if inner else quoted)
    if isinstance(existing, str):  # one rule as a string: make it a list of both
        lead = len(rest) - len(rest.lstrip())
        start = value_start + lead
        end = start + len(rest.strip().split(" #")[0].rstrip(","))
        if kind == "json":
            return TextEdit(line, start, line, end, f'["{existing}", "{rule}"]')
        return TextEdit(line, start, line, end, f"[{existing}, {rule}]")
    return None


def _closing_bracket(text: str, start: int) -> int | None:
    open_at = text.find("[", start)
    if open_at < 0 or text[start:open_at].strip():
        return None
    close = text.find("]", open_at)
    return close if close >= 0 else None


def _last_item_line(lines: list[str], key_line: int) -> int | None:
    key_indent = len(lines[key_line]) - len(lines[key_line].lstrip())
    last = None
    for number in range(key_line + 1, len(lines)):
        stripped = lines[number].strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(lines[number]) - len(lines[number].lstrip())
        if stripped.startswith("- ") and indent >= key_indent:
            last = number
            continue
        break
    return last
