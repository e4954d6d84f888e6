"""`$ref` under the cursor: where it points (go to definition) and what is there (hover)."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..source import Workspace
from ..source.errors import InputError
from .ranges import token_range
from .texts import OverlayReader

# "$ref": "x", '$ref': x, $ref: x (YAML plain, single- or double-quoted values; JSON)
_REF = re.compile(r"""(["']?)\$ref\1\s*:\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s,}\]#'"][^,}\]]*?))"""
                  r"""(?=\s*$|\s+#|\s*[,}\]])""")
PREVIEW_LINES = 15


@dataclass
class RefAt:
    ref: str
    start: int  # the $ref entry's columns on its line
    end: int


@dataclass
class Target:
    path: Path
    line: int  # 0-based
    start: int
    end: int
    pointer: str  # the fragment, as written
    line_text: str
    preview: str  # the first lines of the target node


def ref_at(line_text: str, col: int) -> RefAt | None:
    """The $ref entry under (or touching) column ``col`` of a line."""
    for m in _REF.finditer(line_text):
        if m.start() <= col <= m.end():
            value = m[2] if m[2] is not None else (m[3].replace("''", "'") if m[3] is not None else m[4].strip())
            if m[2] is not None:
                import json

                try:
                    value = json.loads('"' + m[2] + '"')
                except ValueError:
                    pass
            return RefAt(value, m.start(), m.end())
    return None


def resolve(path: Path, texts: dict[str, str], ref: str, root_folder: Path) -> Target | None:
    """Follow ``ref`` written in the file ``path`` (a spec or a fragment; refs may cross files)."""
    reader = OverlayReader(root_folder, texts, None)
    try:
        document = reader.load(path, str(path))
        workspace = Workspace.from_document(document, reader)
    except InputError:
        return None
    hit = workspace.resolve(document, ref)
    if hit is None:
        return None
    target, pointer, _ = hit
    line, column = target.position(pointer)
    lines = target.text.split("\n")
    line, col = max(line - 1, 0), max(column - 1, 0)
    start, end = token_range(lines, line, col)
    return Target(Path(os.path.normpath(str(target.path))), line, start, end, ref.partition("#")[2],
                  lines[line] if line < len(lines) else "", _preview(lines, line, pointer == ()))


def _preview(lines: list[str], line: int, whole: bool) -> str:
    """The target's key line and the lines indented below it (a YAML block or pretty-printed JSON)."""
    if whole:
        return "\n".join(lines[:PREVIEW_LINES]).rstrip()
    first = lines[line] if line < len(lines) else ""
    indent = len(first) - len(first.lstrip(" -"))
    shown = [first]
    for text in lines[line + 1:]:
        if text.strip() and len(text) - len(text.lstrip(" ")) <= indent:
            break
        shown.append(text)
        if len(shown) >= PREVIEW_LINES:
            shown.append("...")
            break
    return "\n".join(shown).rstrip()
