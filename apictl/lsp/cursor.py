"""Where the cursor is, in terms of the document's structure, while the text may not parse.

Completion runs on text being typed (``x-amazon-apigateway-inte`` alone on a line is not valid YAML),
so the path is read from the text itself: block YAML by indentation (keys, ``- `` items, the
compact ``key:\\n- item`` form), JSON (and flow YAML) by a tolerant scan of brackets and strings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Cursor:
    path: tuple  # keys and item indexes from the document root to the mapping the cursor is in
    in_key: bool  # typing a key (else: the value of ``key``)
    key: str | None  # the key whose value is being typed
    prefix: str  # what is typed of the word so far (without an opening quote)
    start: int  # column (code points) where the replaced text starts (an opening quote included)
    quoted: bool  # the word started with a quote


_LINE = re.compile(r"^(?P<indent>[ ]*)(?P<dashes>(?:-[ ]+)*)(?P<rest>.*)$")
_KEY = re.compile(r"""^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{\[][^#]*?))[ \t]*:(?:[ \t]|$)""")


def cursor_at(text: str, line: int, col: int, json_like: bool) -> Cursor | None:
    lines = text.split("\n")
    if line >= len(lines):
        return None
    if json_like or _inside_flow(lines[line][:col]):
        return _json_cursor(lines, line, col)
    return _yaml_cursor(lines, line, col)


def _inside_flow(before: str) -> bool:
    depth = 0
    quote = None
    for ch in before:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
    return depth > 0


# -- block YAML ---------------------------------------------------------------------------------------
@dataclass
class _Line:
    indent: int  # column of the first dash, or of the key when there is none
    dashed: bool
    key_col: int  # column where the mapping content starts (after the dashes)
    key: str | None


def _parse_line(text: str) -> _Line | None:
    text = text.rstrip("\r")
    stripped = text.strip()
    if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
        return None
    m = _LINE.match(text)
    assert m is not None  # the pattern matches any line
    indent, dashes, rest = len(m["indent"]), m["dashes"], m["rest"]
    key_match = _KEY.match(rest)
    key = None
    if key_match:
        key = key_match[1] if key_match[1] is not None else (
            key_match[2].replace("''", "'") if key_match[2] is not None else key_match[3].strip())
    return _Line(indent, bool(dashes), indent + len(dashes), key)


def _yaml_cursor(lines: list[str], line: int, col: int) -> Cursor:
    before = lines[line][:col]
    m = _LINE.match(before)
    assert m is not None  # the pattern matches any line
    indent, dashes, rest = len(m["indent"]), m["dashes"], m["rest"]
    key_col = indent + len(dashes)
    key_match = _KEY.match(rest)
    if key_match:  # "key: val|": completing a value
        key = key_match[1] if key_match[1] is not None else (
            key_match[2] if key_match[2] is not None else key_match[3].strip())
        value = rest[key_match.end():]
        lead = len(value) - len(value.lstrip())
        word = value.lstrip()
        quoted = word[:1] in ("'", '"')
        return Cursor(_yaml_path(lines, line, key_col, indent if dashes else None), False, key,
                      word[1:] if quoted else word, key_col + key_match.end() + lead, quoted)
    quoted = rest[:1] in ("'", '"')
    return Cursor(_yaml_path(lines, line, key_col, indent if dashes else None), True, None,
                  rest[1:] if quoted else rest, key_col, quoted)


def _yaml_path(lines: list[str], line: int, col: int, item_dash: int | None) -> tuple:
    """Path of the mapping whose keys sit at column ``col`` on ``line`` (an item of a sequence whose
    dash is at ``item_dash`` when that line starts the item)."""
    path: list = []
    items_above = 0
    for number in range(line - 1, -1, -1):
        parsed = _parse_line(lines[number])
        if parsed is None:
            continue
        if item_dash is not None:  # counting the items of the sequence our mapping belongs to
            if parsed.dashed and parsed.indent == item_dash:
                items_above += 1
                continue
            if parsed.indent > item_dash:
                continue  # inside an earlier item
            path.append(items_above)
            item_dash, items_above = None, 0
            if parsed.key is None:
                break
            path.append(parsed.key)  # the key holding the sequence
            col = parsed.key_col
            if parsed.dashed:
                item_dash = parsed.indent
            continue
        if parsed.key_col > col:
            continue  # nested under an earlier sibling
        if parsed.key_col == col:
            if parsed.dashed:  # our mapping is an item: this line starts it
                item_dash, items_above = parsed.indent, 0
            continue
        if parsed.key is None:  # a less indented line that is not a key: a plain item or broken text
            break
        path.append(parsed.key)
        col = parsed.key_col
        if parsed.dashed:
            item_dash, items_above = parsed.indent, 0
    if item_dash is not None:
        path.append(items_above)
    return tuple(reversed(path))


# -- JSON and flow collections ------------------------------------------------------------------------
def _json_cursor(lines: list[str], line: int, col: int) -> Cursor | None:
    text = "\n".join(lines[:line] + [lines[line][:col]])
    stack: list[dict] = []  # {"kind": "{" or "[", "key": str|None, "expect_key": bool, "index": int}
    pending: str | None = None
    i, n = 0, len(text)
    open_string_start = None
    while i < n:
        ch = text[i]
        if ch in "\"'":
            end = i + 1
            while end < n and text[end] != ch:
                end += 2 if text[end] == "\\" and ch == '"' else 1
            if end >= n:
                open_string_start = i
                break
            pending = text[i + 1:end]
            i = end + 1
            continue
        if ch in "{[":
            stack.append({"kind": ch, "key": None, "expect_key": ch == "{", "index": 0,
                          "at": _container_key(stack)})
        elif ch in "}]":
            if stack:
                stack.pop()
        elif ch == ":" and stack and stack[-1]["kind"] == "{":
            stack[-1]["key"], stack[-1]["expect_key"] = pending, False
        elif ch == "," and stack:
            top = stack[-1]
            if top["kind"] == "{":
                top["expect_key"], top["key"] = True, None
            else:
                top["index"] += 1
        elif ch not in " \t\r\n" and not (stack and stack[-1]["kind"] == "{" and stack[-1]["expect_key"]):
            pending = None
        i += 1
    if not stack or stack[-1]["kind"] != "{":
        return None
    path = tuple(frame["at"] for frame in stack[1:])
    top = stack[-1]
    line_start = text.rfind("\n") + 1
    if open_string_start is not None:
        word, start, quoted = text[open_string_start + 1:], open_string_start - line_start, True
    else:
        word_match = re.search(r"[A-Za-z0-9_.$-]*$", text)
        assert word_match is not None  # matches the empty word at least
        word, start, quoted = word_match[0], word_match.start() - line_start, False
    if top["expect_key"]:
        return Cursor(path, True, None, word, start, quoted)
    return Cursor(path, False, top["key"], word, start, quoted)


def _container_key(stack: list[dict]):
    if not stack:
        return None
    top = stack[-1]
    return top["key"] if top["kind"] == "{" else top["index"]
