"""The fast paths taken for speed give exactly what the plain code they replace gives."""
from __future__ import annotations

import bisect
import json
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from apictl.diff.compare import canonical
from apictl.plan.jsonio import canonical as compact_json
from apictl.report import json_text
from apictl.report.json_text import dumps_indented
from apictl.source import positions
from apictl.source.document import load_document
from apictl.source.intrinsics import contains_intrinsic, json_may_contain_intrinsic
from apictl.source.parse import parse_text
from apictl.source.positions import PositionIndex

from conftest import ECOMMERCE

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


class _OrjsonForEverySize:
    """Small reports skip orjson: make every report big enough for it, to check what it writes."""

    def __enter__(self):
        self.saved, json_text.SMALL = json_text.SMALL, 0

    def __exit__(self, *exc):
        json_text.SMALL = self.saved


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_indented_json_is_byte_identical_to_the_standard_library(value):
    with _OrjsonForEverySize():
        assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_indented_json_keeps_standard_library_text_for_floats_tuples_and_escapes():
    with _OrjsonForEverySize():
        for value in ({"a": 1e16, "b": float("nan")}, {"t": (1, 2)}, ["\x00\x1f\"\\\u2028é😀"], {"k": 2**64}):
            assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_a_big_report_is_written_by_orjson_and_a_small_one_without_importing_it():
    big = {"items": [{"id": f"rule-{i}", "line": i, "ok": i % 2 == 0, "note": None} for i in range(2000)]}
    assert json_text._orjson_safe(big) and not json_text._orjson_safe({"items": []})
    assert dumps_indented(big) == json.dumps(big, indent=2, ensure_ascii=False)
    script = ("import sys; from apictl.report.json_text import dumps_indented; dumps_indented({'a': [1, 'x']}); "
              "print('orjson' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", script], capture_output=True, text=True).stdout.strip() == "False"


@given(st.text())
def test_canonical_string_is_what_json_dumps_writes(value):
    assert canonical(value) == json.dumps(value, sort_keys=True, default=str)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab\né\r", max_size=60))
def test_offsets_become_the_same_line_and_column_as_with_a_full_line_table(text):
    raw = text.encode()
    starts = [0] + [i + 1 for i, byte in enumerate(raw) if byte == 0x0A]
    saved = positions._BLOCK
    positions._BLOCK = 5  # tiny blocks: every lookup crosses block boundaries
    try:
        index = PositionIndex(text)
        for offset in range(len(raw) + 1):
            line = bisect.bisect_right(starts, offset) - 1
            column = len(raw[starts[line]:offset].decode("utf-8", "replace")) + 1
            assert index.offset_to_position(offset) == (line + 1, column)
    finally:
        positions._BLOCK = saved


def _pointers(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _pointers(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _pointers(value, prefix + (i,))


def test_positions_that_share_a_walk_match_positions_looked_up_alone():
    doc = load_document(ECOMMERCE, "ecommerce.yaml")
    pointers = list(_pointers(doc.data))
    pointers += [p + ("missing", "deeper") for p in pointers[::7]] + [("paths", "/nowhere", "get")]
    shared = PositionIndex(doc.text)
    sample = pointers[::5]
    for pointer in sample:
        alone = PositionIndex(doc.text).position(pointer)
        assert shared.position(pointer) == alone, pointer
    assert len({shared.position(p) for p in sample}) > 50  # real, distinct positions


def test_keys_become_strings_and_merge_keys_apply():
    text = "base: &b {x: 1}\nm:\n  <<: *b\n  200: ok\n  true: yes\n  null: n\n  y: {$ref: '#/base'}\n"
    parsed = parse_text(text, "t.yaml")
    assert parsed.data["m"] == {"200": "ok", "true": "yes", "null": "n", "y": {"$ref": "#/base"}, "x": 1}
    assert parsed.refs == [(("m", "y"), "#/base")]


@given(JSON_VALUES)
def test_intrinsic_pre_check_never_misses_an_intrinsic(value):
    wrapped = {"a": [value, {"Ref": "X"}]} if value is None else {"a": value}
    try:
        text = compact_json(wrapped)
    except (TypeError, ValueError):
        return
    if contains_intrinsic(wrapped):
        assert json_may_contain_intrinsic(text)
    assert json_may_contain_intrinsic(compact_json({"x": [{"Fn::Sub": "${A}"}]}))
    assert json_may_contain_intrinsic(compact_json({"Condition": "C"}))


def test_documents_keep_the_utf8_they_were_read_from_for_positions(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfopenapi: 3.0.3\ninfo: {title: \xc3\xa9t\xc3\xa9, version: '1'}\npaths: {}\n")
    doc = load_document(path, "bom.yaml")
    assert doc.raw == doc.text.encode("utf-8")
    assert doc.position(("info", "version")) == PositionIndex(doc.text).position(("info", "version")) == (2, 20)
