"""What whole-document validation cannot see: nodes in other files named by a $ref are validated as the kind
of object their place expects, with positions in those files; the branches of Fn::If likewise. And one clear
message per problem, naming the real problem instead of another oneOf branch's mismatch."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from apictl.config import Config
from apictl.lint.engine import lint_source
from apictl.source import open_spec


def lint(folder: Path, files: dict[str, str], root: str = "api.yaml"):
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return [f for s in open_spec(str(folder / root)) for f in lint_source(s, Config()).findings]


def schema_errors(findings) -> list[tuple[str, int, str]]:
    return sorted((Path(f.document.display).name, f.position[0], f.message) for f in findings if f.rule == "oas-schema")


BAD_PARAMETER = """
    name: limit
    in: querry
    required: maybe
    schema: {type: strin}
"""
VIA = " (checked as the parameter its $ref in {} stands for)"


def test_a_referenced_parameter_is_checked_like_an_inline_one(tmp_path):
    found = schema_errors(lint(tmp_path, {
        "api.yaml": """
            openapi: 3.0.3
            info: {title: t, version: '1'}
            paths:
              /a:
                get:
                  operationId: a
                  parameters: [{$ref: 'params.yaml#/Limit'}]
                  responses: {'200': {description: ok}}
              /b:
                get:
                  operationId: b
                  parameters:
                    - name: limit
                      in: querry
                      required: maybe
                      schema: {type: strin}
                  responses: {'200': {description: ok}}
            """,
        "params.yaml": "Limit:\n" + textwrap.indent(textwrap.dedent(BAD_PARAMETER).lstrip("\n"), "  "),
    }))
    problems = ['"querry" is not one of "path", "query", "header" or "cookie"', '"maybe" is not of type "boolean"',
                '"strin" is not one of "array", "boolean", "integer", "number", "object" or "string"']
    assert found == [("api.yaml", line, message) for line, message in zip((14, 15, 16), problems)] + [
        ("params.yaml", line, message + VIA.format("api.yaml")) for line, message in zip((3, 4, 5), problems)]


@pytest.mark.parametrize("kind, place, node, line, message", [
    ("schema", "components: {schemas: {A: {$ref: 'frag.yaml#/X'}}}", "X: {type: object, minProperties: many}", 1,
     '"many" is not of type "integer"'),
    ("response", "paths: {/a: {get: {operationId: a, responses: {'200': {$ref: 'frag.yaml#/X'}}}}}",
     "X:\n  descripton: ok", 1, '"description" is a required property; Additional properties are not allowed '
                                "('descripton' was unexpected)"),
    ("request body", "paths: {/a: {post: {operationId: a, responses: {'200': {description: ok}}, "
                     "requestBody: {$ref: 'frag.yaml#/X'}}}}", "X:\n  required: true\n  content: []", 3,
     '[] is not of type "object"'),
    ("header", "paths: {/a: {get: {operationId: a, responses: {'200': {description: ok, headers: {X-A: "
               "{$ref: 'frag.yaml#/X'}}}}}}}", "X:\n  description: no schema", 1,
     "header has neither `schema` nor `content`"),
    ("path item", "paths: {/a: {$ref: 'frag.yaml'}}", "get:\n  operationId: a\n  responses: {'200': {description: ok}}\n  bogus: 1", 1,
     "Additional properties are not allowed ('bogus' was unexpected)"),
], ids=lambda v: v if v in ("schema", "response", "request body", "header", "path item") else "")
def test_every_referenced_kind_is_checked_in_its_own_file(tmp_path, kind, place, node, line, message):
    found = schema_errors(lint(tmp_path, {"api.yaml": "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n" + (
        "paths: {}\n" if not place.startswith("paths") else "") + place + "\n", "frag.yaml": node + "\n"}))
    assert [(name, at) for name, at, _ in found] == [("frag.yaml", line)], found
    assert found[0][2].startswith(message) and f"checked as the {kind}" in found[0][2]


def test_refs_inside_referenced_files_are_followed_and_typed_by_their_place(tmp_path):
    found = schema_errors(lint(tmp_path, {
        "api.yaml": "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {/a: {$ref: 'paths/a.yaml'}}\n",
        "paths/a.yaml": "get:\n  operationId: a\n  responses:\n    '200':\n      description: ok\n      content:\n"
                        "        application/json: {schema: {$ref: '../schemas.yaml#/Thing'}}\n",
        "schemas.yaml": "Thing:\n  type: object\n  properties:\n    n: {type: integer, minimum: low}\n",
    }))
    assert found == [("schemas.yaml", 4, '"low" is not of type "number" (checked as the schema its $ref in '
                                         "paths/a.yaml stands for)")]


def test_a_ref_where_openapi_allows_none_stands_for_its_target(tmp_path):
    """JSON Reference semantics (as osv and bundlers read it): `content: {$ref: ...}` is the map it names, and
    each media type of that map is checked."""
    found = schema_errors(lint(tmp_path, {
        "api.yaml": "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n"
                    "      responses:\n        '200':\n          description: ok\n          content: {$ref: 'c.yaml'}\n",
        "c.yaml": "application/json:\n  schema: {type: object}\ntext/plain:\n  schemma: {type: string}\n",
    }))
    assert [(name, line) for name, line, _ in found] == [("c.yaml", 3)]
    assert "Additional properties are not allowed ('schemma' was unexpected)" in found[0][2]


def test_branches_of_fn_if_are_checked_as_the_object_they_stand_for(tmp_path):
    found = schema_errors(lint(tmp_path, {"template.yaml": """
        Resources:
          Api:
            Type: AWS::ApiGateway::RestApi
            Properties:
              Body:
                openapi: 3.0.1
                info: {title: t, version: '1'}
                paths:
                  /a: !If
                    - IsProd
                    - get:
                        operationId: a
                        responses: {'200': {descripton: ok}}
                    - !Ref AWS::NoValue
        """}, root="template.yaml"))
    assert found == [("template.yaml", 13, '"description" is a required property; Additional properties are not '
                      "allowed ('descripton' was unexpected) (checked as the path item of the Fn::If IsProd: true "
                      "branch)")]


@pytest.mark.parametrize("parameter, message", [
    ("{name: x, in: header}", "parameter is missing `type` (string, number, integer, boolean, array or file)"),
    ("{name: x, in: header, type: strin}", '"strin" is not one of "string", "number", "boolean", "integer", '
                                            '"array" or "file"'),
    ("{name: x, in: quer, type: string}", '"quer" is not one of "body", "header", "formData", "query" or "path"'),
    ("{name: x, in: body}", '"schema" is a required property'),
], ids=["no-type", "bad-type", "bad-in", "body-without-schema"])
def test_swagger_parameter_messages_name_the_real_problem(tmp_path, parameter, message):
    found = schema_errors(lint(tmp_path, {"api.yaml": f"""
        swagger: '2.0'
        info: {{title: t, version: '1'}}
        paths:
          /a:
            get:
              operationId: a
              parameters: [{parameter}]
              responses: {{'200': {{description: ok}}}}
        """}))
    assert [m for _, _, m in found] == [message]


def test_openapi_3_parameter_without_schema_or_content(tmp_path):
    found = schema_errors(lint(tmp_path, {"api.yaml": """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths:
          /a:
            get:
              operationId: a
              parameters: [{name: x, in: query, type: string}]
              responses: {'200': {description: ok}}
        """}))
    assert [m for _, _, m in found] == ["parameter has neither `schema` nor `content`; Additional properties are not "
                                        "allowed ('type' was unexpected)"]


def test_one_problem_one_finding_and_no_long_echo(tmp_path):
    long = "x" * 5000
    findings = lint(tmp_path, {"api.yaml": f"""
        openapi: {{version: '{long}'}}
        info: {{title: t, version: '1'}}
        paths: {{}}
        """})
    assert len(findings) == 1 and len(findings[0].message) < 250 and "x" * 121 not in findings[0].message
