"""One parsed file: its data, where it came from, and lazy positions."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .parse import MAX_FILE_BYTES, parse_text


@dataclass(eq=False)
class Document:
    path: Path  # absolute; for git revisions a virtual path inside the repository
    display: str  # the name we print (as the user wrote it, or relative to the working folder)
    text: str
    data: Any
    kind: str  # "yaml" | "json"
    refs: list[tuple[tuple, str]] = field(default_factory=list)
    base_pointer: tuple = ()  # where the OpenAPI document sits inside a template (SAM DefinitionBody)
    raw: bytes | None = field(default=None, repr=False)  # ``text`` as UTF-8 when read from a file (no re-encoding)
    _positions: Any = None

    def position(self, pointer: tuple) -> tuple[int, int]:
        """1-based (line, column) of the node at ``pointer`` (relative to ``base_pointer``)."""
        if self._positions is None:
            from .positions import PositionIndex

            self._positions = PositionIndex(self.text, self.raw)
        return self._positions.position(self.base_pointer + tuple(pointer))

    def get(self, pointer: tuple, default: Any = None) -> Any:
        node = self.data
        for seg in pointer:
            if isinstance(node, dict):
                if seg not in node:
                    return default
                node = node[seg]
            elif isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node):
                node = node[seg]
            else:
                return default
        return node


def read_text(path: Path, display: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    return decode(read_bytes(path, display, max_bytes), display)


def read_bytes(path: Path, display: str, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("file not found", display) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", display) from None
    if path.is_dir():
        raise InputError("is a folder, not a file", display)
    if size > max_bytes:
        raise InputError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (--max-file-size)", display)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", display) from None


def without_bom(raw: bytes) -> bytes:
    return raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw


def decode(raw: bytes, display: str) -> str:
    if b"\x00" in raw[:8192] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("file is binary (contains NUL bytes), not YAML or JSON", display, 1, 1)
    raw = without_bom(raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError("file is not valid UTF-8", display, line, col) from None


def load_document(path: Path, display: str, max_bytes: int = MAX_FILE_BYTES, text: str | None = None) -> Document:
    raw = None
    if text is None:
        raw = read_bytes(path, display, max_bytes)
        text = decode(raw, display)
        raw = without_bom(raw)  # exactly text.encode("utf-8"): the decoding was strict
    elif len(text) > max_bytes:
        raise InputError(f"file is over the {max_bytes:,}-byte limit (--max-file-size)", display)
    parsed = parse_text(text, display)
    return Document(path=path, display=display, text=text, data=parsed.data, kind=parsed.kind, refs=parsed.refs,
                    raw=raw)
