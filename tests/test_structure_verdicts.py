"""Structure verdicts where openapi-spec-validator and the specification part ways (see KNOWN_DIFFERENCES in
test_osv_agreement.py): each rule pinned on a small document, both ways, at the position of the node."""
from __future__ import annotations

import textwrap
from pathlib import Path

from apictl.config import Config
from apictl.lint.engine import lint_source
from apictl.source import open_spec


def lint(tmp_path: Path, text: str, name: str = "api.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return [f for source in open_spec(str(path)) for f in lint_source(source, Config()).findings]


def errors(findings) -> list[tuple[str, tuple[int, int], str]]:
    return [(f.rule, f.position, f.message) for f in findings if f.level == "error"]


SWAGGER = """
    swagger: '2.0'
    info: {title: t, version: '1'}
    paths:
      /a:
        get:
          operationId: a
          responses:
            '200': {description: ok, schema: {$ref: '#/definitions/B'}}
    definitions:
      B:
        type: object
        properties:
"""


def test_swagger_schema_type_arrays_and_item_lists_are_draft_4(tmp_path):
    spec = SWAGGER + "          t: {type: [string, 'null']}\n          x: {items: [{type: string}, {type: 'null'}]}\n"
    assert errors(lint(tmp_path, spec)) == []


def test_openapi_3_item_lists_and_type_arrays_are_reported(tmp_path):
    found = errors(lint(tmp_path, """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths: {}
        components:
          schemas:
            A: {items: [{type: string}]}
            B: {type: [string, 'null']}
        """))
    assert [(rule, line) for rule, (line, _), _ in found] == [("oas-schema", 6), ("oas-schema", 7)]


def test_swagger_default_null_needs_x_nullable(tmp_path):
    nullable = SWAGGER + "          c: {type: array, default: null, x-nullable: true, items: {type: string}}\n"
    assert errors(lint(tmp_path, nullable)) == []
    plain = SWAGGER + "          c: {type: array, default: null, items: {type: string}}\n"
    assert errors(lint(tmp_path, plain)) == [
        ("default-invalid", (13, 24), 'default does not match its schema: null is not of type "array"')]
