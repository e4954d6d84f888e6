"""Large YAML files are parsed one batch of block-mapping entries at a time and positioned by following keys
through entries (source/blocks.py). Here the threshold is lowered so that every file takes those paths: the
data, the recorded sites, the errors and the positions must be exactly those of the whole-file paths."""
from __future__ import annotations

import io
import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apictl.source import parse, positions
from apictl.source.document import decode
from apictl.source.errors import InputError
from conftest import CORPUS, ROOT


def yaml_files() -> list[Path]:
    found = sorted((ROOT / "tests").rglob("*.y*ml")) + sorted((ROOT / "specs").rglob("*.y*ml"))
    if CORPUS.is_dir():
        found += sorted((CORPUS / "gateway").glob("*.y*ml")) + sorted((CORPUS / "sdk").rglob("*.y*ml"))
    return found


def outcome(text: str, name: str):
    try:
        p = parse.parse_text(text, name)
    except InputError as exc:
        return exc.one_line()
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # bad inputs hold integers of thousands of digits
    try:
        return repr((p.data, p.refs, p.extensions, sorted(set(p.value_sites), key=repr)))
    finally:
        sys.set_int_max_str_digits(limit)


def by_entries(monkeypatch, text: str, name: str, chunk: int):
    with monkeypatch.context() as m:
        m.setattr(parse, "LARGE_FILE", 0)
        m.setattr(parse, "CHUNK", chunk)
        return outcome(text, name)


def test_every_file_parses_the_same_entry_by_entry(monkeypatch):
    compared = 0
    for path in yaml_files():
        try:
            text = decode(path.read_bytes(), str(path))
        except InputError:
            continue
        whole = outcome(text, str(path))
        for chunk in (1, 700):
            assert by_entries(monkeypatch, text, str(path), chunk) == whole, (path, chunk)
        compared += 1
    assert compared > 50


keys = st.one_of(st.sampled_from(["a", "b c", "200", "x-amazon-apigateway-integration", "$ref", "default", "on",
                                  "key: with colon", "has # hash", "'quoted'", '"dq"', "-dash", "? q", "1.5"]),
                 st.text("ab:#- '\"", min_size=1, max_size=6))
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 300), st.sampled_from(
    ["plain", "two\nlines", "key: value\n  nested: text\n# not a comment\n", "- item", "#hash", "", " lead", "a: b"]))
trees = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=3), st.dictionaries(keys, children, min_size=1, max_size=4)), max_leaves=25)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, trees, min_size=1, max_size=5), st.booleans(), st.integers(0, 2**31))
def test_generated_block_yaml_parses_the_same_entry_by_entry(monkeypatch_session, data, indentless, seed):
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    if not indentless:
        yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(data, out)
    lines = out.getvalue().splitlines(keepends=True)
    rng = random.Random(seed)  # comments and blank lines anywhere between lines
    for _ in range(rng.randint(0, 3)):
        lines.insert(rng.randint(0, len(lines)), rng.choice(["# a comment\n", "\n", "   \n", "    # deeper\n"]))
    text = "".join(lines)
    whole = outcome(text, "gen.yaml")
    for chunk in (1, 50):
        assert by_entries(monkeypatch_session, text, "gen.yaml", chunk) == whole, text


@pytest.fixture(scope="module")
def monkeypatch_session():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def pointers(data, prefix=()):
    yield prefix
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        yield from pointers(value, prefix + (key,))


def test_positions_by_entries_are_those_of_the_whole_tree(monkeypatch):
    compared = 0
    for path in yaml_files():
        if "sdk" in path.parts:  # rapidyaml places some empty sequence items differently in a part of a file
            continue
        raw = path.read_bytes()
        try:
            text = decode(raw, str(path))
            data = parse.parse_text(text, str(path)).data
        except InputError:
            continue
        utf8 = text.encode("utf-8")
        every = list(pointers(data))
        sample = random.Random(len(raw)).sample(every, min(len(every), 300))
        sample += [p + ("missing",) for p in sample[:30]] + [p + (0,) for p in sample[:30]]
        monkeypatch.setattr(positions, "LARGE_FILE", 0)
        large = positions.PositionIndex(text, utf8)
        monkeypatch.setattr(positions, "LARGE_FILE", 1 << 62)
        whole = positions.PositionIndex(text, utf8)
        assert [large.position(p) for p in sample] == [whole.position(p) for p in sample], path
        compared += 1
    assert compared > 50


marks = st.text(st.sampled_from(list("&! \t\r\n:[]{},-aZ9#'\"") + ["é", "İ"]), max_size=40)


@settings(max_examples=1500, deadline=None)
@given(marks)
def test_anchor_and_tag_tests_are_the_regexes(text):
    assert parse._has_anchor(text) == (parse._ANCHOR_RE.search(text) is not None)
    assert parse._has_tag(text) == (parse._TAG_RE.search(text) is not None)


def test_anchor_and_tag_tests_on_many_marks(monkeypatch):
    monkeypatch.setattr(parse, "_FEW", 3)
    for text in ("& & & &a", "a&b c&d e&f g&h", "! ! ! !x", "a!b c!d e!f :!Ref"):
        assert parse._has_anchor(text) == (parse._ANCHOR_RE.search(text) is not None)
        assert parse._has_tag(text) == (parse._TAG_RE.search(text) is not None)


@settings(max_examples=1500, deadline=None)
@given(marks)
def test_anchor_and_tag_tests_hand_over_to_the_regexes_past_a_few_marks(text):
    saved, parse._FEW = parse._FEW, 2  # the scan gives up after two marks: the regex takes over from there
    try:
        assert parse._has_anchor(text) == (parse._ANCHOR_RE.search(text) is not None)
        assert parse._has_tag(text) == (parse._TAG_RE.search(text) is not None)
    finally:
        parse._FEW = saved
