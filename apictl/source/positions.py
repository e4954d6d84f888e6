"""Exact line:column positions for JSON pointers, computed lazily.

Nothing here runs unless something is reported. The first lookup in a file parses it once more
with rapidyaml (a C++ parser that builds an index-only tree over the original bytes in
~70 ms for the 4 MB Stripe spec, without creating Python objects); each lookup then walks that
tree along the pointer and turns the byte offset of the key (or item) into line and column.
When a pointer cannot be followed all the way (e.g. it names a key added by merge), the
deepest ancestor found is used, so every finding still gets a real position.

A large file (source.blocks.LARGE_FILE) is not parsed whole: the pointer's keys are followed from one
block-mapping entry to the next by reading lines (source/blocks.py), and only the entry where they end is
parsed, so positions in a 50 MB spec cost a few small trees instead of one tree of the whole file (about
nine times its size). What cannot be followed that way falls back to the whole tree.
"""
from __future__ import annotations

import ctypes
from itertools import accumulate
from typing import Any

from . import blocks
from .blocks import LARGE_FILE

_QUOTES = (ord('"'), ord("'"))
_BLOCK = 1 << 14


class _PyBuffer(ctypes.Structure):
    _fields_ = [
        ("buf", ctypes.c_void_p),
        ("obj", ctypes.py_object),
        ("len", ctypes.c_ssize_t),
        ("itemsize", ctypes.c_ssize_t),
        ("readonly", ctypes.c_int),
        ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p),
        ("shape", ctypes.c_void_p),
        ("strides", ctypes.c_void_p),
        ("suboffsets", ctypes.c_void_p),
        ("internal", ctypes.c_void_p),
    ]


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(_PyBuffer), ctypes.c_int]
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = [ctypes.POINTER(_PyBuffer)]


def _address(obj: Any) -> int:
    view = _PyBuffer()
    if _get_buffer(obj, ctypes.byref(view), 0) != 0:
        raise ValueError("no buffer")
    try:
        return view.buf or 0
    finally:
        _release_buffer(ctypes.byref(view))


class PositionIndex:
    """Maps JSON pointers (tuples of keys and indexes) to 1-based (line, column)."""

    def __init__(self, text: str, utf8: bytes | None = None):
        """``utf8``: ``text.encode("utf-8")`` when the caller has it already (the bytes read from the file)."""
        self._pristine = utf8 if utf8 is not None else text.encode("utf-8")
        # Newlines before each block of _BLOCK bytes: a lookup then counts within one block only,
        # instead of building a table of ~100,000 line starts for a handful of lookups.
        count = self._pristine.count
        self._newlines_before = list(accumulate(
            (count(b"\n", start, start + _BLOCK) for start in range(0, len(self._pristine), _BLOCK)), initial=0))
        self._tree = None
        self._base = 0
        self._failed = False
        self._fallback: Any = None
        self._cache: dict[tuple, tuple[int, int]] = {}
        # pointer -> (tree node or None once the pointer left the tree, offset of the deepest node found):
        # pointers that share a prefix (all the changes below one operation) share its walk.
        self._nodes: dict[tuple, tuple[int | None, int]] = {}
        self._large = len(self._pristine) > LARGE_FILE
        self._header: int | None | bool = False  # where the root mapping starts (large files; False: not yet known)
        self._mappings: dict[tuple[int, int], dict | None] = {}  # (start, indent) -> key -> entry (large files)
        self._entries: dict[int, Any] = {}  # line start of an entry -> PositionIndex of its text (large files)

    def _ensure_tree(self) -> bool:
        if self._tree is not None or self._failed:
            return not self._failed
        try:
            import ryml

            self._raw = bytearray(self._pristine)  # rapidyaml parses in place: it may rewrite this copy
            with _quiet_stderr():  # rapidyaml prints its parse errors on fd 2 before raising
                self._tree = ryml.parse_in_place(self._raw)
            self._base = _address(self._raw)
        except Exception:  # noqa: BLE001 - e.g. complex keys, which rapidyaml trees cannot hold
            self._failed = True
        return not self._failed

    def offset_to_position(self, offset: int) -> tuple[int, int]:
        raw = self._pristine
        block = offset // _BLOCK
        line = self._newlines_before[block] + raw.count(b"\n", block * _BLOCK, offset)
        start = raw.rfind(b"\n", 0, offset) + 1
        column = len(raw[start:offset].decode("utf-8", "replace")) + 1
        return line + 1, column

    def position(self, pointer: tuple) -> tuple[int, int]:
        cached = self._cache.get(pointer)
        if cached is not None:
            return cached
        result = self._by_entries(pointer) if self._large else None
        if result is not None:
            pass
        elif self._ensure_tree():
            offset = self._locate(pointer)
            if offset is not None:
                result = self.offset_to_position(offset)
        else:
            result = self._fallback_position(pointer)
        result = result or (1, 1)
        self._cache[pointer] = result
        return result

    def _by_entries(self, pointer: tuple) -> tuple[int, int] | None:
        """The position found by following the pointer's keys through block-mapping entries (large files);
        None when the file or the pointer does not allow it."""
        raw = self._pristine
        if not pointer:
            return (1, 1)
        if self._header is False:
            self._header = blocks.header_end(raw)
        start = self._header
        if start is None:
            return None
        end, indent = len(raw), 0
        found = None  # (key offset, line start of its entry, entry end) of the last key followed
        depth = 0
        for seg in pointer:
            if not isinstance(seg, str):
                break
            table = self._mapping(start, end, indent)
            entry = table.get(seg) if table is not None else None
            if entry is None:
                break
            key_offset, after_key, entry_end = entry
            found, depth = (key_offset, key_offset - indent, entry_end), depth + 1
            child = blocks.value_indent(raw, after_key, entry_end)
            if child is None or child <= indent:
                break
            start, end, indent = raw.index(b"\n", after_key) + 1, entry_end, child
        if found is None:
            return None
        if depth == len(pointer):
            return self.offset_to_position(found[0])
        sub = self._entry_index(found[1], found[2])  # parse only the entry where the keys end
        if sub is None or not sub._ensure_tree() or sub._tree.num_children(sub._root_map()) != 1:
            return None
        tree = sub._tree
        if bytes(tree.key(tree.first_child(sub._root_map()))).decode("utf-8", "replace") != str(pointer[depth - 1]) \
                and not self._quoted_key(found[0]):
            return None
        offset = sub._locate(pointer[depth - 1:])
        return None if offset is None else self.offset_to_position(found[1] + offset)

    def _quoted_key(self, offset: int) -> bool:
        return self._pristine[offset] in _QUOTES

    def _mapping(self, start: int, end: int, indent: int) -> dict | None:
        key = (start, indent)
        if key not in self._mappings:
            found = blocks.mapping_entries(self._pristine, start, end, indent)
            self._mappings[key] = None if found is None else {k: (at, after, stop) for k, at, after, stop in found}
        return self._mappings[key]

    def _entry_index(self, start: int, end: int) -> "PositionIndex | None":
        sub = self._entries.get(start)
        if sub is None:
            if len(self._entries) >= 256:
                self._entries.clear()
            text = self._pristine[start:end]
            sub = self._entries[start] = PositionIndex("", text)
            sub._large = False
        return sub

    def _root_map(self) -> int:
        tree = self._tree
        node = tree.root_id()
        if tree.is_stream(node) and tree.num_children(node):
            node = tree.first_child(node)
        return node

    def _fallback_position(self, pointer: tuple) -> tuple[int, int] | None:
        """Positions from ruamel.yaml's node graph, for the rare YAML that rapidyaml cannot hold."""
        if self._fallback is None:
            self._fallback = _compose(self._pristine.decode("utf-8")) or False
        if self._fallback is False:
            return None
        node, best = self._fallback, self._fallback.start_mark
        for segment in pointer:
            child = _composed_child(node, segment)
            if child is None:
                break
            mark, node = child
            best = mark
        return best.line + 1, best.column + 1

    def _offset_of(self, view: Any) -> int | None:
        try:
            if len(view) == 0:
                return None
            offset = _address(view) - self._base
        except (ValueError, TypeError):
            return None
        if not 0 <= offset <= len(self._pristine):
            return None
        if offset > 0 and self._pristine[offset - 1] in _QUOTES:
            offset -= 1
        return offset

    def _node_offset(self, node: int, as_key: bool) -> int | None:
        tree = self._tree
        if as_key and tree.has_key(node):
            off = self._offset_of(tree.key(node))
            if off is not None:
                return off
        if tree.has_val(node):
            off = self._offset_of(tree.val(node))
            if off is not None:
                return off
        if tree.is_container(node) and tree.num_children(node):
            return self._node_offset(tree.first_child(node), True)
        return None

    def _locate(self, pointer: tuple) -> int | None:
        return self._walk(pointer)[1] if pointer else 0

    def _walk(self, pointer: tuple) -> tuple[int | None, int]:
        """The node at ``pointer`` and the offset of the deepest node found along it, memoised per prefix."""
        hit = self._nodes.get(pointer)
        if hit is not None:
            return hit
        if not pointer:
            tree = self._tree
            node = tree.root_id()
            if tree.is_stream(node) and tree.num_children(node):
                node = tree.first_child(node)
            best = self._node_offset(node, False)
            hit = (node, 0 if best is None else best)
        else:
            parent, best = self._walk(pointer[:-1])
            child = None if parent is None else self._child(parent, pointer[-1])
            if child is None:
                hit = (None, best)
            else:
                found = self._node_offset(child, True)
                hit = (child, best if found is None else found)
        self._nodes[pointer] = hit
        return hit

    def _child(self, node: int, segment: Any) -> int | None:
        tree = self._tree
        if tree.is_map(node):
            key = str(segment).encode("utf-8")
            child = tree.find_child(node, key)
            if child is not None and child >= 0 and child != _NONE:
                return child
        elif tree.is_seq(node) and isinstance(segment, int):
            if 0 <= segment < tree.num_children(node):
                return tree.child(node, segment)
        return node if _is_function_key(segment) else None


def _is_function_key(segment: Any) -> bool:
    """``Fn::If`` in a pointer where the YAML has the short form ``!If [...]``: the tagged node has no such
    key, it is the function's argument itself."""
    return isinstance(segment, str) and (segment.startswith("Fn::") or segment in ("Ref", "Condition"))


_NONE = (1 << 64) - 1  # rapidyaml's NONE id as seen from Python (size_t(-1))


class _quiet_stderr:
    """Send file descriptor 2 to /dev/null for the duration (C++ code writes there directly)."""

    def __enter__(self) -> None:
        import os
        import sys

        sys.stderr.flush()
        self._saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)

    def __exit__(self, *exc: object) -> None:
        import os

        os.dup2(self._saved, 2)
        os.close(self._saved)


def _compose(text: str) -> Any:
    from ruamel.yaml import YAML

    try:
        return YAML(typ="safe", pure=True).compose(text)
    except Exception:  # noqa: BLE001 - the data parser accepted the file; positions are best effort
        return None


def _composed_child(node: Any, segment: Any) -> tuple[Any, Any] | None:
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == str(segment):
                return key.start_mark, value
    elif isinstance(node, SequenceNode) and isinstance(segment, int) and 0 <= segment < len(node.value):
        item = node.value[segment]
        return item.start_mark, item
    return (node.start_mark, node) if _is_function_key(segment) else None
