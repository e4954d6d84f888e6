"""The parts of a spec that whole-document validation does not see, each with the kind of object it stands for.

- A ``$ref`` to another file (or to a place of its own file that is not an OpenAPI object, e.g. under an
  ``x-`` key) stands for the object its place expects: a parameter in ``parameters``, a schema under
  ``properties``... The node it names is that kind of object, with positions in its own file. The files
  those nodes refer to are followed the same way.
- A CloudFormation ``Fn::If`` stands, once resolved, for each of its branches (``AWS::NoValue`` for none).
"""
from __future__ import annotations

from typing import Any, Iterator

from ..record import Value
from ..source.document import Document
from ..source.intrinsics import branch_label, if_branches, is_intrinsic
from .object_kinds import kind_at, kind_name


class Fragment(Value):
    """A part of a spec validated on its own, with the kind of OpenAPI object it is."""

    _fields = ("document", "pointer", "node", "kind", "why")

    def __init__(self, document: Document, pointer: tuple, node: Any, kind: str, why: str):
        self.document = document
        self.pointer = pointer
        self.node = node
        self.kind = kind
        self.why = why  # how the finding explains where the kind comes from


_UNKNOWN = object()


def fragments(api, major: str) -> Iterator[Fragment]:
    yield from _if_branches(api.document, major)
    yield from _referenced(api, major)


def _referenced(api, major: str) -> Iterator[Fragment]:
    ws = api.workspace
    root = ws.root
    queue: list[tuple[Document, tuple, str]] = [(root, (), "document")]
    seen: set[tuple[int, tuple, str]] = set()
    root_kinds: dict[tuple, str | None] = {}
    while queue:
        doc, base, kind = queue.pop()
        n = len(base)
        for pointer, ref in doc.refs:
            if pointer[:n] != base:
                continue
            ref_kind = kind_at(major, kind, pointer[n:])
            if ref_kind is None:
                continue
            hit = ws.resolve(doc, ref)
            if hit is None:
                continue  # reported by the reference rules
            target, target_ptr, node = hit
            if target is root:
                root_kind = root_kinds.get(target_ptr, _UNKNOWN)
                if root_kind is _UNKNOWN:  # thousands of $refs name the same few hundred places
                    root_kind = root_kinds[target_ptr] = kind_at(major, "document", target_ptr)
                if root_kind == ref_kind:
                    continue  # validated with the whole document
            key = (id(target), target_ptr, ref_kind)
            if key in seen:
                continue
            seen.add(key)
            queue.append((target, target_ptr, ref_kind))
            if isinstance(node, dict) and isinstance(node.get("$ref"), str):
                continue  # a chain: the next $ref stands for the same kind
            yield from _as_kind(target, target_ptr, node, ref_kind, f"its $ref in {_relative(doc, target)} stands for")


def _if_branches(doc: Document, major: str) -> Iterator[Fragment]:
    if not doc.has_if or ("Fn::If" not in doc.text and "!If" not in doc.text):
        return
    stack: list[tuple[tuple, Any]] = [((), doc.data)]
    while stack:
        pointer, node = stack.pop()
        if is_intrinsic(node) and "Fn::If" in node:
            kind = kind_at(major, "document", pointer)
            if kind is not None:
                for branch_ptr, value, choices in if_branches(node, pointer):
                    if not is_intrinsic(value):
                        yield from _as_kind(doc, branch_ptr, value, kind, f"of the {branch_label(choices[-1:])}")
            # an Fn::If somewhere else (a value, an extension) is left to the rules that read it
        if isinstance(node, dict):
            stack.extend((pointer + (k,), v) for k, v in node.items() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((pointer + (i,), v) for i, v in enumerate(node) if isinstance(v, (dict, list)))


def _as_kind(doc: Document, pointer: tuple, node: Any, kind: str, why: str) -> Iterator[Fragment]:
    """The node as one object of ``kind``; for "map:K" (``content: {$ref: ...}``) each entry as a K."""
    if not kind.startswith("map:"):
        yield Fragment(doc, pointer, node, kind, f"checked as the {kind_name(kind)} {why}")
        return
    entries = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, entry in entries:
        if not (isinstance(entry, dict) and isinstance(entry.get("$ref"), str)) and not is_intrinsic(entry):
            yield Fragment(doc, pointer + (key,), entry, kind[4:], f"checked as a {kind_name(kind[4:])} {why}")


def _relative(referrer: Document, target: Document) -> str:
    """The referring file as seen from the folder of the file it names (short, and unambiguous enough)."""
    import posixpath

    if referrer is target:
        return "the same file"
    return posixpath.relpath(referrer.path.as_posix(), target.path.parent.as_posix())
