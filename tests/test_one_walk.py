"""One walk: what the loader's walk records stands in for the whole-document walks lint used to make, and lint
loads only the rule families a document needs, with the same findings as with all of them."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apictl.config import Config
from apictl.lint import engine
from apictl.lint.gateway import extension_keys
from apictl.lint.registry import FAMILIES
from apictl.source import open_spec
from apictl.source.parse import parse_text, value_holders
from conftest import CORPUS, ROOT

KEYS = ["x-amazon-apigateway-integration", "x-amazon-apigateway-any-method", "x-amazon-apigateway-authorizer",
        "example", "examples", "default", "enum", "const", "$ref", "schema", "properties", "get", "a"]
values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.sampled_from(["", "x", "#/a", "default"])),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.sampled_from(KEYS), children,
                                                                                max_size=5)),
    max_leaves=40)


def full_walk_extension_keys(data, pointer=()):
    """What lint walked the whole document for before: every extension key outside extension values and
    examples (x-amazon-apigateway-any-method is walked into)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key.startswith("x-amazon-apigateway-"):
                yield pointer, key
                if key == "x-amazon-apigateway-any-method":
                    yield from full_walk_extension_keys(value, pointer + (key,))
            elif key not in {"example", "examples", "default", "enum", "const"} and isinstance(value, (dict, list)):
                yield from full_walk_extension_keys(value, pointer + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            if isinstance(value, (dict, list)):
                yield from full_walk_extension_keys(value, pointer + (i,))


def containers(data, pointer=()):
    yield pointer, data
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        if isinstance(value, (dict, list)):
            yield from containers(value, pointer + (key,))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), values, max_size=6))
def test_what_the_walk_records_is_what_a_full_walk_finds(data):
    parsed = parse_text(json.dumps(data), "spec.json")
    assert parsed.data == data  # shared strings change nothing

    class Doc:
        extensions = parsed.extensions

    assert list(extension_keys(Doc)) == list(full_walk_extension_keys(data))
    refs = [(p, node["$ref"]) for p, node in containers(data) if isinstance(node, dict) and isinstance(node.get("$ref"), str)]
    assert sorted(parsed.refs) == sorted(refs)
    holding = [p for p, node in containers(data) if isinstance(node, dict) and {"example", "examples", "default"} & set(node)]
    assert sorted(parsed.value_sites, key=repr) == sorted(holding, key=repr)
    # the holders: every container on the way to one of them
    expected = {id(node) for p, node in containers(parsed.data) if any(h[:len(p)] == p for h in holding)}
    assert value_holders(parsed.data, parsed.value_sites) == expected


def test_an_alias_stays_one_object_and_is_recorded_at_each_place():
    text = ("openapi: 3.0.3\nx: !Sub a\nA: &a {x-amazon-apigateway-integration: {type: mock}, default: 1,\n"
            "  p: [{$ref: '#/x'}]}\nB: *a\n")
    parsed = parse_text(text, "spec.yaml")
    assert parsed.data["A"] is parsed.data["B"]
    assert sorted(parsed.extensions) == [(("A",), "x-amazon-apigateway-integration"),
                                         (("B",), "x-amazon-apigateway-integration")]
    assert sorted(parsed.refs) == [(("A", "p", 0), "#/x"), (("B", "p", 0), "#/x")]
    assert sorted(parsed.value_sites) == [("A",), ("B",)]


def test_every_rule_module_is_a_family():
    modules = {p.stem for p in (ROOT / "apictl" / "lint" / "rules").glob("*.py") if p.stem != "__init__"}
    assert modules == set(FAMILIES)


def specs() -> list[Path]:
    found = sorted((ROOT / "tests").rglob("*.yaml")) + [ROOT / "specs" / "ecommerce.yaml"]
    if CORPUS.is_dir():
        found += sorted((CORPUS / "gateway").glob("*.y*ml"))
    return found


def test_findings_are_those_of_every_family(monkeypatch):
    """A family left out for a document never had anything to report on it."""
    compared = 0
    for path in specs():
        try:
            sources = open_spec(str(path))
        except Exception:  # noqa: BLE001 - bad inputs are tested elsewhere
            continue
        for source in sources:
            needed = [(f.rule, f.pointer, f.message) for f in engine.lint_source(source, Config()).findings]
            with monkeypatch.context() as patched:
                patched.setattr(engine, "document_needs", lambda api: set(FAMILIES.values()))
                every = [(f.rule, f.pointer, f.message) for f in engine.lint_source(source, Config()).findings]
            assert needed == every, path
            compared += 1
    assert compared > 100
