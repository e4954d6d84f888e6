"""The set of files one spec is made of, and the ``$ref`` graph between them.

A workspace starts from one root file and loads every file its relative ``$ref``s name, each
exactly once. It never fetches a URL unless ``allow_remote`` is set, and refuses any reference
that would leave the root folder. Problems with references are collected (not raised) so that
lint can report them with the position of the ``$ref`` that caused them.
"""
from __future__ import annotations

import posixpath
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from ..record import Value
from . import paths
from .document import Document, decode, load_document
from .errors import InputError
from .parse import MAX_FILE_BYTES, parse_text

MAX_REMOTE_BYTES = 16 * 1024 * 1024


class RefProblem(Value):
    """A ``$ref`` that cannot be followed, reported as a finding of ``rule``."""

    _fields = ("document", "pointer", "rule", "message")

    def __init__(self, document: Document, pointer: tuple, rule: str, message: str):
        self.document = document
        self.pointer = pointer
        self.rule = rule  # lint rule id
        self.message = message


class Reader:
    """Reads files below a root folder. Subclasses read from git revisions."""

    def __init__(self, root: Path, max_bytes: int = MAX_FILE_BYTES):
        self.root = paths.resolve(root)
        self.max_bytes = max_bytes

    def key(self, path: Path) -> str:
        return str(path)

    def contains(self, path: Path) -> bool:
        return paths.is_within(path, self.root)

    def load(self, path: Path, display: str) -> Document:
        return load_document(path, display, self.max_bytes)

    def display(self, path: Path) -> str:
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)


class Workspace(Value):
    """The root document and every document its ``$ref``s reach, loaded once each."""

    _fields = ("reader", "root", "allow_remote", "documents", "problems", "_targets")

    def __init__(self, reader: Reader, root: Document, allow_remote: bool = False,
                 documents: dict[str, Document] | None = None, problems: list[RefProblem] | None = None):
        self.reader = reader
        self.root = root
        self.allow_remote = allow_remote
        self.documents = {} if documents is None else documents
        self.problems = [] if problems is None else problems
        # (id of the referring document, file part of its $ref) -> the document it names (None: failed)
        self._targets: dict[tuple[int, str], Document | None] = {}
        # (id of the referring document, $ref) -> what resolve() answered: every file is loaded before the first
        # resolve, and a spec writes the same few hundred $refs thousands of times (Stripe: 7,000 for 600)
        self._resolved: dict[tuple[int, str], tuple[Document, tuple, Any] | None] = {}

    @classmethod
    def open(cls, path: str | Path, *, allow_remote: bool = False, root_folder: str | Path | None = None,
             max_bytes: int = MAX_FILE_BYTES, display: str | None = None) -> "Workspace":
        p = Path(path)
        absolute = paths.resolve(p) if paths.exists(p) else p.absolute()
        reader = Reader(Path(root_folder) if root_folder else absolute.parent, max_bytes)
        doc = reader.load(absolute, display or str(path))
        return cls.from_document(doc, reader, allow_remote=allow_remote)

    @classmethod
    def from_document(cls, doc: Document, reader: Reader, *, allow_remote: bool = False) -> "Workspace":
        ws = cls(reader=reader, root=doc, allow_remote=allow_remote)
        ws.documents[reader.key(doc.path)] = doc
        ws._load_external_refs()
        return ws

    # -- loading -------------------------------------------------------------------------
    def _load_external_refs(self) -> None:
        queue = [self.root]
        seen = {id(self.root)}
        while queue:
            doc = queue.pop()
            for pointer, ref in doc.refs:
                file_part = ref.split("#", 1)[0]
                if not file_part:
                    continue
                target = self._load_target(doc, pointer, file_part)
                if target is not None and id(target) not in seen:
                    seen.add(id(target))
                    queue.append(target)

    def _load_target(self, doc: Document, pointer: tuple, file_part: str) -> Document | None:
        cache_key = (id(doc), file_part)
        if cache_key in self._targets:
            return self._targets[cache_key]
        target = None
        scheme = urlsplit(file_part).scheme.lower()
        base_is_remote = str(doc.path).startswith(("http://", "https://"))
        if scheme in ("http", "https") or (base_is_remote and not scheme):
            url = file_part if scheme else _join_url(str(doc.path), file_part)
            target = self._load_remote(doc, pointer, url)
        elif scheme and len(scheme) > 1:
            self.problems.append(RefProblem(doc, pointer, "ref-unsupported-scheme",
                                            f"$ref scheme '{scheme}:' is not supported (only relative files and http(s))"))
        else:
            target = self._load_local(doc, pointer, unquote(file_part))
        self._targets[cache_key] = target
        return target

    def _load_local(self, doc: Document, pointer: tuple, relative: str) -> Document | None:
        path = Path(posixpath.normpath(str(PurePosixPath(doc.path).parent / relative)))
        if not self.reader.contains(path):
            self.problems.append(RefProblem(doc, pointer, "ref-outside-root",
                                            f"$ref '{relative}' leaves the spec's root folder {self.reader.root}; refused"))
            return None
        key = self.reader.key(path)
        if key in self.documents:
            return self.documents[key]
        try:
            target = self.reader.load(path, self.reader.display(path))
        except InputError as exc:
            where = f" ({exc.line}:{exc.column})" if exc.line and (exc.line, exc.column) != (1, 1) else ""
            self.problems.append(RefProblem(doc, pointer, "ref-target-unreadable",
                                            f"$ref '{relative}': {exc.message}{where}"))
            return None
        self.documents[key] = target
        return target

    def _load_remote(self, doc: Document, pointer: tuple, url: str) -> Document | None:
        if not self.allow_remote:
            self.problems.append(RefProblem(doc, pointer, "ref-remote-not-fetched",
                                            f"$ref '{url}' is a URL; not fetched (use --allow-remote)"))
            return None
        if url in self.documents:
            return self.documents[url]
        import urllib.request

        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - opt-in by --allow-remote
                raw = response.read(MAX_REMOTE_BYTES + 1)
            if len(raw) > MAX_REMOTE_BYTES:
                raise InputError(f"remote file over {MAX_REMOTE_BYTES:,} bytes", url)
            text = decode(raw, url)
            parsed = parse_text(text, url, "json" if url.lower().endswith(".json") else "yaml")
        except InputError as exc:
            self.problems.append(RefProblem(doc, pointer, "ref-target-unreadable", f"$ref '{url}': {exc.message}"))
            return None
        except Exception as exc:  # noqa: BLE001 - network errors of every kind become one finding
            self.problems.append(RefProblem(doc, pointer, "ref-target-unreadable", f"$ref '{url}': {exc}"))
            return None
        target = Document(path=Path(url), display=url, text=text, data=parsed.data, kind=parsed.kind, refs=parsed.refs,
                          extensions=parsed.extensions, value_sites=parsed.value_sites,
                          has_if=parsed.has_if)
        self.documents[url] = target
        return target

    # -- resolving -----------------------------------------------------------------------
    def target_document(self, doc: Document, ref: str) -> Document | None:
        file_part = ref.split("#", 1)[0]
        if not file_part:
            return doc
        return self._targets.get((id(doc), file_part))

    def resolve(self, doc: Document, ref: str) -> tuple[Document, tuple, Any] | None:
        """Follow one ``$ref`` written in ``doc``; None when it does not resolve."""
        key = (id(doc), ref)
        hit = self._resolved.get(key, _MISSING)
        if hit is _MISSING:
            hit = self._resolved[key] = self._resolve(doc, ref)
        return hit

    def _resolve(self, doc: Document, ref: str) -> tuple[Document, tuple, Any] | None:
        target = self.target_document(doc, ref)
        if target is None:
            return None
        fragment = ref.split("#", 1)[1] if "#" in ref else ""
        pointer = parse_pointer(fragment)
        if pointer is None:
            return None
        value = _follow(target.data, pointer)
        if value is _MISSING:
            return None
        return target, pointer, value

    def deref(self, doc: Document, node: Any, pointer: tuple = ()) -> tuple[Document, tuple, Any]:
        """Follow a chain of ``$ref``s until a node that is not a reference (cycle-safe)."""
        seen: set[tuple[int, tuple]] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            hit = self.resolve(doc, node["$ref"])
            if hit is None:
                break
            key = (id(hit[0]), hit[1])
            if key in seen:
                break  # a cycle of pure references; lint reports it as ref-cycle
            seen.add(key)
            doc, pointer, node = hit
        return doc, pointer, node

    def local_files(self) -> list[Path]:
        """The files on disk this workspace was read from (not git revisions, not URLs)."""
        return [doc.path for doc in self.documents.values() if doc.on_disk]

    def all_refs(self) -> list[tuple[Document, tuple, str]]:
        out = []
        for doc in self.documents.values():
            for pointer, ref in doc.refs:
                out.append((doc, pointer, ref))
        return out


_MISSING = object()


@lru_cache(maxsize=8192)  # the same few thousand $ref targets are followed tens of thousands of times
def parse_pointer(fragment: str) -> tuple | None:
    """'/components/schemas/A~1B' -> ('components', 'schemas', 'A/B'); None if malformed."""
    fragment = unquote(fragment)
    if fragment == "":
        return ()
    if not fragment.startswith("/"):
        return None
    return tuple(part.replace("~1", "/").replace("~0", "~") for part in fragment[1:].split("/"))


def format_pointer(pointer: tuple) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in pointer)


def _follow(data: Any, pointer: tuple) -> Any:
    node = data
    for seg in pointer:
        if isinstance(node, dict):
            if seg not in node:
                return _MISSING
            node = node[seg]
        elif isinstance(node, list):
            text = str(seg)
            if not (text.isascii() and text.isdigit()) or (len(text) > 1 and text[0] == "0"):
                return _MISSING  # RFC 6901: array indexes are "0" or digits without a leading zero
            index = int(text)
            if index >= len(node):
                return _MISSING
            node = node[index]
        else:
            return _MISSING
    return node


def _join_url(base: str, relative: str) -> str:
    from urllib.parse import urljoin

    return urljoin(base, relative)

