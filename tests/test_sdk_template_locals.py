"""Names a template declares itself (locals, parameters, helper members) must never collide with names made from a
spec. Each is either spelled so that no spec name can become it (a leading underscore: spec names are mangled to
plain camel/snake/Pascal case) or it appears in tests/sdk_hostile/template_locals.yaml as a property, parameter and
operation name, which the hostile-spec tests compile in all four languages."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

TEMPLATES = ROOT / "sdk_templates"
HOSTILE = ROOT / "tests" / "sdk_hostile" / "template_locals.yaml"

# The templates where spec-made names and template names share a scope.
SWIFT = ["ios/Model.swift.j2", "ios/Client.swift.j2"]
JAVA = ["android/Model.java.j2", "android/ApiClient.java.j2"]
PYTHON = ["python/client.py.j2"]
JS = ["js/client.js.j2"]

SWIFT_DECLARATIONS = [
    r"\b(?:let|var)\s+([A-Za-z_]\w*)",  # locals and stored properties
    r"\(let\s+([A-Za-z_]\w*)\)",  # case .x(let value)
    r"\bfor\s+\(?([A-Za-z_]\w*)(?:,\s*([A-Za-z_]\w*))?\)?\s+in\b",  # loop variables
    r"\b(?:func\s+\w+|init)\s*\((?:[A-Za-z_]\w*\s+)?([A-Za-z_]\w*)\s*:",  # first parameter's internal name
]
JAVA_DECLARATIONS = [
    # Type name = / Type name; / (Type name) / Type name, (types start upper-case, or are primitives)
    r"\b(?:[A-Z]\w*(?:<[^<>;(){}]*(?:<[^<>;(){}]*>)?[^<>;(){}]*>)?(?:\[\])?|boolean|int|long|double)\s+"
    r"([A-Za-z_]\w*)\s*(?:=|;|,|\)|:)",
    r"\bprivate static \w+(?:<[^>]*>)? ([a-z]\w*)\(",  # private helpers of the client
]
PYTHON_DECLARATIONS = [r"^\s*([A-Za-z_]\w*)\s*=", r"\bdef\s+(_?[a-z]\w*)\b", r"^(?:import|from)\s.*\bas\s+(\w+)"]
JS_DECLARATIONS = [r"\b(?:const|let|var)\s+([A-Za-z_]\w*)", r"\(\s*([a-z]\w*)\s*=\s*\{\}"]


def declared(paths: list[str], patterns: list[str]) -> set[str]:
    names: set[str] = set()
    for rel in paths:
        text = (TEMPLATES / rel).read_text(encoding="utf-8")
        text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " @ ", text, flags=re.S)  # drop Jinja: only literal names
        text = re.sub(r"//[^\n]*|/\*.*?\*/|#[^\n]*|\"(?:\\.|[^\"\\\n])*\"", " ", text, flags=re.S)
        for pattern in patterns:
            for match in re.finditer(pattern, text, re.M):
                names.update(g for g in match.groups() if g)
    return names


def hostile_names() -> tuple[set[str], set[str], set[str]]:
    spec = yaml.safe_load(HOSTILE.read_text(encoding="utf-8"))
    props = set(spec["components"]["schemas"]["Locals"]["properties"])
    ops = {op["operationId"] for item in spec["paths"].values() for op in item.values()}
    params = {p["name"] for item in spec["paths"].values() for op in item.values() for p in op.get("parameters", [])}
    return props, params, ops


@pytest.mark.parametrize("lang,paths,patterns", [("swift", SWIFT, SWIFT_DECLARATIONS),
                                                 ("java", JAVA, JAVA_DECLARATIONS),
                                                 ("python", PYTHON, PYTHON_DECLARATIONS),
                                                 ("js", JS, JS_DECLARATIONS)])
def test_every_template_local_is_reserved_or_in_the_hostile_corpus(lang, paths, patterns):
    names = declared(paths, patterns)
    assert names, "the scan found no declarations: the patterns no longer match the templates"
    props, params, ops = hostile_names()
    for kind, listed in (("property", props), ("parameter", params), ("operation", ops)):
        missing = sorted(n for n in names if not n.startswith("_") and n not in listed)
        assert not missing, f"{lang} template names missing from {HOSTILE.name} as {kind} names: {missing}"


def test_the_scan_sees_the_locals_that_once_collided():
    """`container` (Swift's coding container, issue 16) and `transport` (Java) were plain names once; the scan must
    recognise such declarations, so a new one cannot slip in unnoticed."""
    swift = declared(SWIFT, SWIFT_DECLARATIONS)
    assert {"_container", "_request", "_value"} <= swift
    assert {"__object", "transport", "configuration"} <= declared(JAVA, JAVA_DECLARATIONS)
    assert {"_models", "_httpx"} <= declared(PYTHON, PYTHON_DECLARATIONS)
