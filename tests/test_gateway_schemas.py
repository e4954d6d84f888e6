"""The extension schemas (apictl/lint/schemas/) are data: every $ref in them resolves, every extension's
validator compiles, and a schema that refers into another file's $defs validates (it once crashed)."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from apictl.config import Config
from apictl.lint.engine import LintOptions, lint_source
from apictl.lint.gateway import SCHEMA_FOLDER, extension_index, extension_validator
from apictl.source import open_spec
from apictl.source.workspace import parse_pointer

SCHEMA_FILES = sorted(p.name for p in SCHEMA_FOLDER.glob("*.json") if p.name != "index.json")


def refs_in(node, pointer=()):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield pointer, value
            else:
                yield from refs_in(value, pointer + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from refs_in(value, pointer + (i,))


@pytest.mark.parametrize("file_name", SCHEMA_FILES)
def test_every_ref_in_an_extension_schema_resolves(file_name):
    schema = json.loads((SCHEMA_FOLDER / file_name).read_text(encoding="utf-8"))
    for pointer, ref in refs_in(schema):
        target_file, _, fragment = ref.partition("#")
        target_file = target_file or file_name
        assert (SCHEMA_FOLDER / target_file).is_file(), f"{file_name} {pointer}: {ref} names no schema file"
        node = json.loads((SCHEMA_FOLDER / target_file).read_text(encoding="utf-8"))
        for seg in parse_pointer(fragment) or ():
            assert isinstance(node, dict) and seg in node, f"{file_name} {pointer}: {ref} does not resolve"
            node = node[seg]


def test_every_indexed_extension_has_a_schema_that_compiles():
    for name, info in extension_index().items():
        assert info.schema_file in SCHEMA_FILES, name
        list(extension_validator(name).iter_errors({}))  # compiles and runs


def test_shared_http_integrations_validate_through_the_integration_schema(tmp_path: Path):
    spec = tmp_path / "api.yaml"
    spec.write_text(textwrap.dedent("""
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths:
          /a:
            get:
              operationId: a
              responses: {'200': {description: ok}}
              x-amazon-apigateway-integration: {$ref: '#/components/x-amazon-apigateway-integrations/fn'}
        components:
          x-amazon-apigateway-integrations:
            fn:
              type: AWS_PROXY
              httpMethod: POST
              uri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:f/invocations
              payloadFormatVersion: '2.0'
              timeoutInMillis: fast
        """).lstrip(), encoding="utf-8")
    findings = [f for s in open_spec(str(spec)) for f in lint_source(s, Config(), LintOptions()).findings]
    invalid = [(f.rule, f.position[0]) for f in findings if f.rule == "apigw-extension-invalid"]
    assert invalid == [("apigw-extension-invalid", 16)]
