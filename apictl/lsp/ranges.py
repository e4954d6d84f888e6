"""From a point (where a finding's key or value starts) to the range an editor underlines."""
from __future__ import annotations

_STOP = set(",]}#")


def token_range(lines: list[str], line: int, col: int) -> tuple[int, int]:
    """(start, end) columns of the key or scalar that starts at ``line``:``col`` (0-based, code points):
    a quoted string up to its closing quote, a plain one up to ``: ``, a flow separator or a comment.
    Past the end of the line (or on an empty token): the whole line."""
    if line >= len(lines):
        return 0, 0
    text = lines[line].rstrip("\r")
    if col >= len(text) or text[col:].strip() == "":
        stripped = len(text) - len(text.lstrip())
        return stripped, len(text)
    if text.startswith("- ", col):  # a sequence item: underline the item, not the dash
        col += 2
        while col < len(text) and text[col] == " ":
            col += 1
    first = text[col]
    if first in "\"'":
        end = col + 1
        while end < len(text):
            if text[end] == "\\" and first == '"':
                end += 2
                continue
            if text[end] == first:
                if first == "'" and text.startswith("''", end):  # '' escapes a quote in single quotes
                    end += 2
                    continue
                return col, end + 1
            end += 1
        return col, len(text)
    if first in "{[":
        return col, len(text.rstrip())
    end = col
    while end < len(text):
        ch = text[end]
        if ch == ":" and (end + 1 == len(text) or text[end + 1] in " \t"):
            break
        if ch in _STOP and (ch != "#" or text[end - 1] in " \t"):
            break
        end += 1
    while end > col and text[end - 1] in " \t":
        end -= 1
    return (col, end) if end > col else (col, col + 1)
