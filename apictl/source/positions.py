"""Exact line:column positions for JSON pointers, computed lazily.

Nothing here runs unless something is reported. The first lookup in a file parses it once more
with rapidyaml (a C++ parser that builds an index-only tree over the original bytes in
~70 ms for the 4 MB Stripe spec, without creating Python objects); each lookup then walks that
tree along the pointer and turns the byte offset of the key (or item) into line and column.
When a pointer cannot be followed all the way (e.g. it names a key added by merge), the
deepest ancestor found is used, so every finding still gets a real position.
"""
from __future__ import annotations

import bisect
import ctypes
from typing import Any

_QUOTES = (ord('"'), ord("'"))


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

    def __init__(self, text: str):
        self._raw = bytearray(text.encode("utf-8"))
        self._pristine = bytes(self._raw)
        self._line_starts = [0]
        find = self._pristine.find
        i = find(b"\n")
        while i != -1:
            self._line_starts.append(i + 1)
            i = find(b"\n", i + 1)
        self._tree = None
        self._base = 0
        self._failed = False
        self._fallback: Any = None
        self._cache: dict[tuple, tuple[int, int]] = {}

    def _ensure_tree(self) -> bool:
        if self._tree is not None or self._failed:
            return not self._failed
        try:
            import ryml

            with _quiet_stderr():  # rapidyaml prints its parse errors on fd 2 before raising
                self._tree = ryml.parse_in_place(self._raw)
            self._base = _address(self._raw)
        except Exception:  # noqa: BLE001 - e.g. complex keys, which rapidyaml trees cannot hold
            self._failed = True
        return not self._failed

    def offset_to_position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, offset) - 1
        start = self._line_starts[line]
        column = len(self._pristine[start:offset].decode("utf-8", "replace")) + 1
        return line + 1, column

    def position(self, pointer: tuple) -> tuple[int, int]:
        cached = self._cache.get(pointer)
        if cached is not None:
            return cached
        result = None
        if self._ensure_tree():
            offset = self._locate(pointer)
            if offset is not None:
                result = self.offset_to_position(offset)
        else:
            result = self._fallback_position(pointer)
        result = result or (1, 1)
        self._cache[pointer] = result
        return result

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
        tree = self._tree
        node = tree.root_id()
        if tree.is_stream(node) and tree.num_children(node):
            node = tree.first_child(node)
        best = self._node_offset(node, False) if pointer else 0
        best = 0 if best is None else best
        for segment in pointer:
            child = self._child(node, segment)
            if child is None:
                return best
            node = child
            found = self._node_offset(node, True)
            if found is not None:
                best = found
        return best

    def _child(self, node: int, segment: Any) -> int | None:
        tree = self._tree
        if tree.is_map(node):
            key = str(segment).encode("utf-8")
            child = tree.find_child(node, key)
            if child is not None and child >= 0 and child != _NONE:
                return child
            return None
        if tree.is_seq(node) and isinstance(segment, int):
            if 0 <= segment < tree.num_children(node):
                return tree.child(node, segment)
        return None


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
        return None
    if isinstance(node, SequenceNode) and isinstance(segment, int) and 0 <= segment < len(node.value):
        item = node.value[segment]
        return item.start_mark, item
    return None
