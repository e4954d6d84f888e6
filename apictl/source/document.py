"""One parsed file: its data, where it came from, and lazy positions."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from ..record import Record
from .errors import InputError
from .parse import MAX_FILE_BYTES, parse_text
from .paths import remember_read


class Document(Record):
    """One loaded file (or git revision) of a spec: its text, data and walk records. Compares by identity."""

    _fields = ("path", "display", "kind", "base_pointer")  # (repr: not the text and data of a 4 MB spec)

    def __init__(self, path: Path, display: str, text: str, data: Any, kind: str,
                 refs: list[tuple[tuple, str]] | None = None, extensions: list[tuple[tuple, str]] | None = None,
                 value_sites: list[tuple] | None = None, base_pointer: tuple = (), raw: bytes | None = None,
                 on_disk: bool = False, has_if: bool = True, _positions: Any = None):
        self.path = path  # absolute; for git revisions a virtual path inside the repository
        self.display = display  # the name we print (as the user wrote it, or relative to the working folder)
        self.text = text
        self.data = data
        self.kind = kind  # "yaml" | "json"
        self.refs = [] if refs is None else refs
        # what the loader's walk recorded (source/parse.py): pointers of the mappings with x-amazon-apigateway-*
        # keys (with the key) and of those with an example, examples or default
        self.extensions = [] if extensions is None else extensions
        self.value_sites = [] if value_sites is None else value_sites
        self.base_pointer = base_pointer  # where the OpenAPI document sits inside a template (SAM DefinitionBody)
        self.raw = raw  # ``text`` as UTF-8 when read from a file (no re-encoding)
        self.on_disk = on_disk  # read from a file (not a git revision, not a URL): an output may never replace it
        self.has_if = has_if  # False: the walk saw no Fn::If key, so no pass need look for CloudFormation conditions
        self._positions = _positions

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


# While a result cache records (recording_reads), every file read from disk: (path, SHA-256 of its bytes, or None
# when it could not be read). What a cached result depends on besides the file it was made from.
_read_log: list[tuple[str, str | None]] | None = None


@contextmanager
def recording_reads() -> Iterator[list[tuple[str, str | None]]]:
    global _read_log
    outer, _read_log = _read_log, []
    try:
        yield _read_log
    finally:
        _read_log = outer


def _log_read(path: Path, raw: bytes | None) -> None:
    if _read_log is not None:
        import hashlib

        _read_log.append((str(path.absolute()), None if raw is None else hashlib.sha256(raw).hexdigest()))


def read_text(path: Path, display: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    return decode(read_bytes(path, display, max_bytes), display)


def read_bytes(path: Path, display: str, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    try:
        raw = _read_bytes(path, display, max_bytes)
    except InputError:
        _log_read(path, None)
        raise
    _log_read(path, raw)
    return raw


def _read_bytes(path: Path, display: str, max_bytes: int) -> bytes:
    import stat

    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError("file not found", display, 1, 1) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {(exc.strerror or str(exc)).lower()}", display, 1, 1) from None
    except ValueError:  # a NUL byte in the name (from a config file or a $ref)
        raise InputError("cannot read file: the name contains a NUL byte", display, 1, 1) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a folder, not a file", display, 1, 1)
    if not stat.S_ISREG(info.st_mode):
        # /dev/zero, FIFOs, sockets: reading them may never end.
        raise InputError("is not a regular file (a device, pipe or socket)", display, 1, 1)
    remember_read(info)  # an output may never replace it
    if info.st_size > max_bytes:
        raise InputError(f"file is {info.st_size:,} bytes, over the {max_bytes:,}-byte limit (--max-file-size)", display, 1, 1)
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read file: {(exc.strerror or str(exc)).lower()}", display, 1, 1) from None
    if len(raw) > max_bytes:
        raise InputError(f"file is over the {max_bytes:,}-byte limit (--max-file-size)", display, 1, 1)
    return raw


# Byte-order marks, longest first (the UTF-32-LE mark starts with the UTF-16-LE one).
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
)


def detect_encoding(raw: bytes) -> tuple[str, int]:
    """(codec, BOM length), as YAML 1.2 and JSON (RFC 8259 section 8.1, RFC 4627) detect it: a BOM, else
    the pattern of NUL bytes in the first four bytes (text starts with an ASCII character)."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return codec, len(bom)
    head = raw[:4]
    if len(head) == 4:
        if head[:3] == b"\x00\x00\x00" and head[3]:
            return "utf-32-be", 0
        if head[0] and head[1:] == b"\x00\x00\x00":
            return "utf-32-le", 0
    if len(head) >= 2:
        if head[0] == 0 and head[1] and (len(head) < 4 or head[2] == 0):
            return "utf-16-be", 0
        if head[0] and head[1] == 0 and (len(head) < 4 or head[3] == 0):
            return "utf-16-le", 0
    return "utf-8", 0


def decode(raw: bytes, display: str) -> str:
    codec, skip = detect_encoding(raw)
    if codec != "utf-8":
        try:
            text = raw[skip:].decode(codec)
        except UnicodeDecodeError:
            raise InputError(f"file looks like {codec.upper()} but does not decode as such", display, 1, 1) from None
        if "\x00" in text:
            raise InputError("file is binary (contains NUL bytes), not YAML or JSON", display, 1, 1)
        return text
    raw = raw[skip:]
    nul = raw.find(b"\x00", 0, 8192)
    if nul != -1:
        line = raw.count(b"\n", 0, nul) + 1
        raise InputError("file is binary (contains NUL bytes), not YAML or JSON", display, line,
                         nul - (raw.rfind(b"\n", 0, nul) + 1) + 1)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = len(raw[raw.rfind(b"\n", 0, exc.start) + 1:exc.start].decode("utf-8", "replace")) + 1
        raise InputError("file is not valid UTF-8 (nor UTF-16/32 with a byte-order mark)", display, line, col) from None


def load_document(path: Path, display: str, max_bytes: int = MAX_FILE_BYTES, text: str | None = None) -> Document:
    raw = None
    from_disk = text is None
    if text is None:
        data = read_bytes(path, display, max_bytes)
        text = decode(data, display)
        codec, skip = detect_encoding(data)
        if codec == "utf-8":
            raw = data[skip:]  # exactly text.encode("utf-8"): the decoding was strict
    elif len(text) > max_bytes:
        raise InputError(f"file is over the {max_bytes:,}-byte limit (--max-file-size)", display, 1, 1)
    parsed = parse_text(text, display)
    return Document(path=path, display=display, text=text, data=parsed.data, kind=parsed.kind, refs=parsed.refs,
                    extensions=parsed.extensions, value_sites=parsed.value_sites, raw=raw, on_disk=from_disk,
                    has_if=parsed.has_if)
