"""`apictl lsp` as an editor uses it: a JSON-RPC client (pygls' LanguageClient) on the server's stdio."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="pygls is not installed (pip install -e '.[test]')")

from lsprotocol import types  # noqa: E402

from conftest import ROOT, run_apictl  # noqa: E402
from lsp_client import Editor, apply_edits, run  # noqa: E402

API = """\
openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'schemas.yaml#/Pet'}
  /pets:
    get:
      operationId: getPet
      responses:
        '200': {description: ok}
"""

SCHEMAS = """\
Pet:
  type: object
  properties:
    id: {type: integer}
    owner: {$ref: '#/Owner'}
Person:
  type: object
"""


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / ".git").mkdir()  # the config search stops here, as in a repository
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def codes(diagnostics) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


def test_diagnostics_are_the_findings_of_validate_with_rule_level_and_link(tmp_path):
    root = project(tmp_path, {"api.yaml": API, "schemas.yaml": SCHEMAS})
    cli = json.loads(run_apictl("validate", "api.yaml", "-f", "json", cwd=root).stdout)["items"]
    assert {i["id"] for i in cli} == {"path-param-undeclared", "operation-id-duplicate", "ref-unresolved"}

    async def scenario():
        editor = Editor()
        await editor.start(root)
        try:
            uri = editor.open(root / "api.yaml")
            diagnostics = await editor.wait_for(uri, lambda d: len(d) == 2)
            # the fragment the spec's $ref reaches gets its findings too, without being opened
            fragment = await editor.wait_for((root / "schemas.yaml").as_uri(), lambda d: len(d) == 1)
        finally:
            await editor.stop()
        by_file = {"api.yaml": diagnostics, "schemas.yaml": fragment}
        seen = {(name, d.code, d.range.start.line + 1, d.range.start.character + 1)
                for name, ds in by_file.items() for d in ds}
        assert seen == {(Path(i["file"]).name, i["id"], i["line"], i["column"]) for i in cli}
        for d in diagnostics + fragment:
            assert d.source == "apictl"
            assert d.severity == types.DiagnosticSeverity.Error
            assert d.code_description.href.endswith(f"/docs/rules.md#{d.code}")
        duplicate = next(d for d in diagnostics if d.code == "operation-id-duplicate")
        assert (duplicate.range.start.line, duplicate.range.start.character, duplicate.range.end.character) == (14, 6, 17)
        assert "'getPet' is also used by GET /pets/{petId}" in duplicate.message
        unresolved = fragment[0]
        assert unresolved.code == "ref-unresolved" and unresolved.range.start.line == 4

    run(scenario)
    catalogue = (ROOT / "docs" / "rules.md").read_text()
    assert '<a id="operation-id-duplicate"></a>' in catalogue  # the link's anchor exists


def test_changes_are_linted_debounced_and_unsaved_fragments_count(tmp_path):
    root = project(tmp_path, {"api.yaml": API, "schemas.yaml": SCHEMAS})

    async def scenario():
        editor = Editor()
        await editor.start(root, debounce_ms=250)
        try:
            uri = editor.open(root / "api.yaml")
            await editor.wait_for(uri, lambda d: codes(d) == ["operation-id-duplicate", "path-param-undeclared"])
            before = len(editor.publications)
            # three quick edits: only the last text is linted
            editor.change(uri, API.replace("operationId: getPet\n      responses:\n        '200': {",
                                           "operationId: listPets\n      responses:\n        '200': {"))
            editor.change(uri, API.replace("/pets/{petId}:", "/pets/{id}:"))
            fixed = API.replace("operationId: getPet\n      responses:\n        '200': {",
                                "operationId: listPets\n      responses:\n        '200': {") \
                .replace("    get:\n      operationId: getPet", "    get:\n      operationId: getPet\n"
                         "      parameters:\n        - {name: petId, in: path, required: true, schema: {type: string}}", 1)
            editor.change(uri, fixed)
            await editor.wait_for(uri, lambda d: d == [])
            assert editor.publications[before:].count(uri) == 1, editor.publications[before:]

            # an unsaved edit of the fragment is what the spec's lint reads
            schemas_uri = editor.open(root / "schemas.yaml")
            await editor.wait_for(schemas_uri, lambda d: codes(d) == ["ref-unresolved"])
            editor.change(schemas_uri, SCHEMAS.replace("'#/Owner'", "'#/Person'"))
            await editor.wait_for(schemas_uri, lambda d: d == [])
            # a syntax error in the fragment: reported on it (and on the spec's $ref); fixing it re-lints both
            editor.change(schemas_uri, SCHEMAS + "Broken: [\n")
            await editor.wait_for(schemas_uri, lambda d: len(d) == 1 and d[0].code is None)
            await editor.wait_for(uri, lambda d: codes(d) == ["ref-target-unreadable"])
            editor.change(schemas_uri, SCHEMAS.replace("'#/Owner'", "'#/Person'"))
            await editor.wait_for(schemas_uri, lambda d: d == [])
            await editor.wait_for(uri, lambda d: d == [])
            editor.change(schemas_uri, SCHEMAS.replace("Pet:", "Animal:"))  # the spec's $ref now dangles
            api = await editor.wait_for(uri, lambda d: codes(d) == ["ref-unresolved"])
            assert api[0].range.start.line == 13 and "schemas.yaml#/Pet" in api[0].message

            # broken YAML: one diagnostic where the parser stopped, no code
            editor.change(uri, fixed + "  /broken: [\n")
            broken = await editor.wait_for(uri, lambda d: len(d) == 1 and d[0].code is None)
            assert broken[0].severity == types.DiagnosticSeverity.Error and broken[0].range.start.line >= 17

            editor.close(uri)  # closing the spec clears what it reported
            await editor.wait_for(uri, lambda d: d == [])
        finally:
            await editor.stop()

    run(scenario)


def test_config_levels_ignores_templates_and_files_that_are_not_apis(tmp_path):
    root = project(tmp_path, {
        "apictl.yaml": "rules:\n  operation-id-duplicate: warning\nignore:\n  - rule: ref-unresolved\n",
        "api.yaml": API, "schemas.yaml": SCHEMAS,
        "notes.yaml": "just: [some, yaml]\n",
        "broken-notes.yaml": "not: [an, api\n",
        "template.yaml": """\
            AWSTemplateFormatVersion: '2010-09-09'
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Api:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: prod
                  DefinitionBody:
                    openapi: 3.0.1
                    info: {title: t, version: '1'}
                    paths:
                      /orders/{orderId}:
                        get:
                          responses: {'200': {description: ok}}
            """,
    })

    async def scenario():
        editor = Editor()
        await editor.start(root)
        try:
            uri = editor.open(root / "api.yaml")
            diagnostics = await editor.wait_for(uri, lambda d: len(d) == 2)
            levels = {d.code: d.severity for d in diagnostics}
            assert levels == {"operation-id-duplicate": types.DiagnosticSeverity.Warning,
                              "path-param-undeclared": types.DiagnosticSeverity.Error}
            notes = editor.open(root / "notes.yaml")
            broken = editor.open(root / "broken-notes.yaml")
            editor.change(uri, API.replace("/pets/{petId}:", "/pets/mine:"))  # a marker: lints after the others
            await editor.wait_for(uri, lambda d: codes(d) == ["operation-id-duplicate"])
            assert notes not in editor.diagnostics and broken not in editor.diagnostics
            assert editor.diagnostics.get((root / "schemas.yaml").as_uri(), []) == []  # ignored in apictl.yaml

            # the API inside a SAM template, linted in place
            template = editor.open(root / "template.yaml")
            found = await editor.wait_for(template, lambda d: "path-param-undeclared" in codes(d))
            undeclared = next(d for d in found if d.code == "path-param-undeclared")
            assert undeclared.range.start.line == 12 and undeclared.data["bodyDepth"] == 4
            cli = json.loads(run_apictl("validate", "template.yaml", "-f", "json", cwd=root).stdout)["items"]
            assert sorted((i["id"], i["line"], i["column"]) for i in cli) == \
                sorted((d.code, d.range.start.line + 1, d.range.start.character + 1) for d in found)
            action = (await editor.code_actions(template, [undeclared]))[0]
            fixed = apply_edits((root / "template.yaml").read_text(), action.edit.changes[template])
            assert "get:\n              x-apictl-ignore: [path-param-undeclared]\n              responses:" in fixed

            # apictl.yaml is read again when it changes; a broken one is reported, and linting goes on
            (root / "apictl.yaml").write_text("rules:\n  no-such-rule: off\n")
            editor.change(uri, API)
            found = await editor.wait_for(uri, lambda d: any(x.code is None for x in d))
            problem = next(x for x in found if x.code is None)
            assert "apictl.yaml" in problem.message and "unknown rule id 'no-such-rule'" in problem.message
            assert "operation-id-duplicate" in codes(found)
        finally:
            await editor.stop()

    run(scenario)


def test_hover_explains_findings_and_shows_ref_targets_and_definition_crosses_files(tmp_path):
    root = project(tmp_path, {"api.yaml": API, "schemas.yaml": SCHEMAS})

    async def scenario():
        editor = Editor()
        await editor.start(root)
        try:
            uri = editor.open(root / "api.yaml")
            await editor.wait_for(uri, lambda d: len(d) == 2)
            hover = await editor.hover(uri, 14, 9)  # on the duplicated operationId
            text = hover.contents.value
            explained = run_apictl("rules", "operation-id-duplicate").stdout
            summary = explained.splitlines()[2]
            assert "**operation-id-duplicate** (error" in text and summary in text
            assert "**Fix:**" in text and explained.split("Fix: ")[1].splitlines()[0] in text
            assert "docs/rules.md#operation-id-duplicate" in text
            assert await editor.hover(uri, 1, 3) is None  # nothing to say about `info`

            ref_hover = (await editor.hover(uri, 11, 30)).contents.value
            assert "schemas.yaml#/Pet" in ref_hover and "schemas.yaml:1" in ref_hover
            assert "owner: {$ref: '#/Owner'}" in ref_hover  # the target's text

            location = await editor.definition(uri, 11, 30)
            assert location.uri == (root / "schemas.yaml").as_uri()
            assert (location.range.start.line, location.range.start.character) == (0, 0)

            schemas_uri = editor.open(root / "schemas.yaml")
            local = await editor.definition(schemas_uri, 4, 20)  # '#/Owner' does not exist
            assert local is None
            editor.change(schemas_uri, SCHEMAS.replace("'#/Owner'", "'#/Person'"))  # unsaved text is used
            local = await editor.definition(schemas_uri, 4, 20)
            assert local.uri == schemas_uri and local.range.start.line == 5
            assert await editor.definition(uri, 2, 3) is None  # not on a $ref
        finally:
            await editor.stop()

    run(scenario)


def _labels(items) -> list[str]:
    return [i.label for i in items]


def test_completion_of_extensions_fields_and_values(tmp_path):
    root = project(tmp_path, {})
    yaml_text = textwrap.dedent("""\
        openapi: 3.0.3
        info: {title: t, version: '1'}
        x-amazon-apigateway-api-key-source: 
        paths:
          /pets:
            x-amazon
            get:
              x-amazon-apigateway-integration:
                type: AW
                passthroughBehavior: 
                responses:
                  default:
                    st
              x-amazon-apigateway-
        components:
          securitySchemes:
            auth:
              x-amazon-apigateway-authorizer:
                authorizerPayloadFormatVersion: 
        """)
    json_text = '{"openapi": "3.0.3", "paths": {"/a": {"get": {"x-amazon-apigateway-integration": {"type": "AW'
    template = textwrap.dedent("""\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Api:
            Type: AWS::Serverless::Api
            Properties:
              DefinitionBody:
                openapi: 3.0.1
                paths:
                  /a:
                    get:
                      x-amazon-apigateway-i
        """)

    async def scenario():
        editor = Editor()
        await editor.start(root)
        try:
            uri = editor.open(root / "api.yaml", yaml_text)
            operation = await editor.complete(uri, 13, 26)
            assert _labels(operation) == ["x-amazon-apigateway-auth", "x-amazon-apigateway-integration",
                                          "x-amazon-apigateway-request-validator"]
            integration = next(i for i in operation if i.label == "x-amazon-apigateway-integration")
            assert integration.text_edit.new_text == "x-amazon-apigateway-integration: "
            assert (integration.text_edit.range.start.character, integration.text_edit.range.end.character) == (6, 26)
            assert "REST and HTTP" in integration.detail

            path_item = _labels(await editor.complete(uri, 5, 12))
            assert path_item == ["x-amazon-apigateway-any-method"]
            types_ = _labels(await editor.complete(uri, 8, 16))
            assert "AWS_PROXY" in types_ and "MOCK" in types_ and "HTTP_PROXY" in types_
            passthrough = _labels(await editor.complete(uri, 9, 29))
            assert "WHEN_NO_MATCH" in passthrough and "NEVER" in passthrough
            response_fields = _labels(await editor.complete(uri, 12, 14))
            assert "statusCode" in response_fields and "responseTemplates" in response_fields
            root_values = _labels(await editor.complete(uri, 2, 36))
            assert root_values == ["HEADER", "AUTHORIZER"]
            versions = await editor.complete(uri, 18, 40)
            assert [(i.label, i.text_edit.new_text) for i in versions] == [("1.0", "'1.0'"), ("2.0", "'2.0'")]

            json_uri = editor.open(root / "api.json", json_text)
            json_items = await editor.complete(json_uri, 0, len(json_text))
            aws_proxy = next(i for i in json_items if i.label == "AWS_PROXY")
            assert aws_proxy.text_edit.new_text == '"AWS_PROXY"' and aws_proxy.filter_text == '"AWS_PROXY'  # what is typed starts with the quote

            template_uri = editor.open(root / "template.yaml", template)
            in_body = _labels(await editor.complete(template_uri, 10, 31))
            assert in_body == ["x-amazon-apigateway-auth", "x-amazon-apigateway-integration",
                               "x-amazon-apigateway-request-validator"]
            assert await editor.complete(template_uri, 3, 10) == []  # outside the API body
        finally:
            await editor.stop()

    run(scenario)


def test_quick_fix_adds_x_apictl_ignore_and_the_finding_goes_away(tmp_path):
    root = project(tmp_path, {"api.yaml": API, "schemas.yaml": SCHEMAS.replace("'#/Owner'", "'#/Person'"),
                              "api.json": json.dumps({
                                  "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                                  "paths": {"/a/{id}": {"get": {"operationId": "a", "responses": {
                                      "200": {"description": "ok"}}}}}}, indent=2)})

    async def scenario():
        editor = Editor()
        await editor.start(root)
        try:
            uri = editor.open(root / "api.yaml")
            await editor.wait_for(uri, lambda d: len(d) == 2)
            text = API
            for rule in ("operation-id-duplicate", "path-param-undeclared"):
                diagnostic = next(d for d in editor.diagnostics[uri] if d.code == rule)
                actions = await editor.code_actions(uri, [diagnostic])
                assert [a.title for a in actions] == [f"Ignore {rule} here (x-apictl-ignore)"]
                assert actions[0].kind == types.CodeActionKind.QuickFix
                text = apply_edits(text, actions[0].edit.changes[uri])
                editor.change(uri, text)
                await editor.wait_for(uri, lambda d: rule not in codes(d))
            assert editor.diagnostics[uri] == []
            assert "    get:\n      x-apictl-ignore: [path-param-undeclared]\n      operationId: getPet\n" in text
            assert "      x-apictl-ignore: [operation-id-duplicate]\n      operationId: getPet\n" in text
            (root / "api.yaml").write_text(text)
            assert run_apictl("validate", "api.yaml", cwd=root).returncode == 0  # the CLI agrees

            json_uri = editor.open(root / "api.json")
            diagnostic = (await editor.wait_for(json_uri, lambda d: len(d) == 1))[0]
            action = (await editor.code_actions(json_uri, [diagnostic]))[0]
            fixed = apply_edits((root / "api.json").read_text(), action.edit.changes[json_uri])
            assert json.loads(fixed)["paths"]["/a/{id}"]["get"]["x-apictl-ignore"] == ["path-param-undeclared"]
            editor.change(json_uri, fixed)
            await editor.wait_for(json_uri, lambda d: d == [])
            assert await editor.code_actions(json_uri, []) == []
        finally:
            await editor.stop()

    run(scenario)


def test_positions_count_in_the_units_the_client_asked_for(tmp_path):
    spec = API.replace("""  /pets:
    get:
      operationId: getPet
      responses:
        '200': {description: ok}
""", """  /pets:
    get: {summary: \U0001F600\U0001F600, operationId: getPet, responses: {'200': {description: ok}}}
""")
    root = project(tmp_path, {"api.yaml": spec, "schemas.yaml": SCHEMAS})
    line_no, line = next((n, l) for n, l in enumerate(spec.split("\n")) if "operationId: getPet, responses" in l)
    code_points = line.index("operationId")

    async def scenario(encodings, expected):
        editor = Editor()
        result = await editor.start(root, encodings=encodings)
        try:
            uri = editor.open(root / "api.yaml")
            diagnostics = await editor.wait_for(uri, lambda d: "operation-id-duplicate" in codes(d))
            duplicate = next(d for d in diagnostics if d.code == "operation-id-duplicate")
            assert (duplicate.range.start.line, duplicate.range.start.character) == (line_no, expected)
            assert duplicate.range.end.character == expected + len("operationId")
        finally:
            await editor.stop()
        return result.capabilities.position_encoding

    assert run(lambda: scenario(None, code_points + 2)) == "utf-16"  # the default: each emoji is two units
    assert run(lambda: scenario([types.PositionEncodingKind.Utf32], code_points)) == "utf-32"


def test_lsp_is_not_imported_by_other_commands():
    probe = ("import sys; import apictl.cli; "
             "assert not any(m.split('.')[0] in ('pygls', 'lsprotocol', 'rich') or m.startswith('apictl.lsp') "
             "for m in sys.modules), sorted(m for m in sys.modules if 'pygls' in m or 'lsp' in m)")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "lsp" in run_apictl("--help").stdout
