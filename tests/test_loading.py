"""Loading specs as users write them: several files, cycles, CloudFormation, merge keys, JSON, all OpenAPI
versions, git revisions, remote refs (off unless asked) and the root folder that refs may not leave."""
from __future__ import annotations

import http.server
import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

from conftest import run_apictl

INFO = "info: {title: t, version: '1'}\n"


def findings(*args: str, cwd: Path | None = None) -> tuple[int, list[dict]]:
    result = run_apictl("validate", "--format", "json", *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)["items"]


def ids(items: list[dict]) -> list[str]:
    return [i["id"] for i in items if i["id"] != "operation-id-missing"]


def test_relative_refs_across_files_report_positions_in_the_referenced_file(write, tmp_path):
    api = write("api.yaml", """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths:
          /pets:
            $ref: 'paths/pets.yaml'
    """)
    write("paths/pets.yaml", """
        get:
          operationId: listPets
          responses:
            '200':
              description: ok
              content:
                application/json:
                  schema: {$ref: '../schemas/pet.yaml#/Pet'}
    """)
    write("schemas/pet.yaml", """
        Pet:
          type: object
          properties:
            id: {type: integer}
            owner: {$ref: 'owner.yaml#/Owner'}
            toy: {$ref: '#/Toy'}
    """)
    write("schemas/owner.yaml", "Owner: {type: object}\n")
    code, items = findings(str(api), cwd=tmp_path)
    assert code == 1
    assert [(i["id"], i["file"], i["line"], i["column"]) for i in items] == [
        ("ref-unresolved", "schemas/pet.yaml", 6, 11)]  # line 6 of pet.yaml, at the $ref


def test_circular_refs_between_files_and_recursive_schemas(write):
    api = write("api.yaml", """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths:
          /tree:
            get:
              operationId: tree
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Node'}
                '400': {$ref: 'a.yaml#/A'}
        components:
          schemas:
            Node:
              type: object
              properties:
                children: {type: array, items: {$ref: '#/components/schemas/Node'}}
    """)
    write("a.yaml", "A: {$ref: 'b.yaml#/B'}\n")
    write("b.yaml", "B: {$ref: 'a.yaml#/A'}\n")
    code, items = findings(str(api))
    # The recursive schema is fine; the two files that only point at each other are a cycle.
    assert [(i["id"], i["file"].rsplit("/", 1)[-1], i["line"]) for i in items] == [
        ("ref-cycle", "a.yaml", 1), ("ref-cycle", "api.yaml", 13), ("ref-cycle", "b.yaml", 1)]


def test_cloudformation_tags_and_intrinsics_are_opaque_values(write):
    spec = write("api.yaml", """
        openapi: 3.0.1
        info:
          title: !Sub '${AWS::StackName}-api'
          version: '1'
        paths:
          /orders:
            post:
              operationId: createOrder
              responses:
                '200': {description: ok}
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations'
                credentials: {'Fn::GetAtt': [Role, Arn]}
                timeoutInMillis: !Ref Timeout
    """)
    code, items = findings(str(spec))
    assert (code, items) == (0, [])


def test_sam_template_positions_point_into_the_template(write):
    template = write("template.yaml", """
        AWSTemplateFormatVersion: '2010-09-09'
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Api:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              DefinitionBody:
                openapi: 3.0.1
                info: {title: !Ref AWS::StackName, version: '1'}
                paths:
                  /items/{id}:
                    get:
                      operationId: getItem
                      responses:
                        '200': {description: ok}
    """)
    code, items = findings(str(template))
    assert code == 1
    assert [(i["id"], i["line"], i["pointer"]) for i in items] == [  # no SAM event adds an integration either
        ("apigw-integration-missing", 13, "/paths/~1items~1{id}/get"),
        ("path-param-undeclared", 13, "/paths/~1items~1{id}/get")]


def test_merge_keys_are_applied(write):
    spec = write("api.yaml", """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        x-common: &common
          operationId: shared
          responses:
            '200': {description: ok}
        paths:
          /a:
            get:
              <<: *common
              summary: a
          /b:
            get:
              <<: *common
    """)
    code, items = findings(str(spec))
    assert code == 1
    assert [(i["id"], i["pointer"]) for i in items] == [("operation-id-duplicate", "/paths/~1b/get/operationId")]


def test_numeric_response_codes_are_accepted(write):
    spec = write("api.yaml", """
        swagger: '2.0'
        info: {title: t, version: '1'}
        paths:
          /a:
            get:
              operationId: a
              responses:
                200: {description: ok}
                404: {description: missing}
    """)
    assert findings(str(spec)) == (0, [])


def test_json_files_have_json_positions(write):
    spec = write("api.json", """
        {
          "openapi": "3.0.3",
          "info": {"title": "t", "version": "1"},
          "paths": {
            "/a/{id}": {
              "get": {"operationId": "a", "responses": {"200": {"description": "ok"}}}
            }
          }
        }
    """)
    code, items = findings(str(spec))
    assert [(i["id"], i["line"], i["column"]) for i in items] == [("path-param-undeclared", 6, 7)]


@pytest.mark.parametrize("header, broken", [
    ("swagger: '2.0'", "parameters: [{name: id, in: path, required: true, type: strin}]"),
    ("openapi: 3.0.3", "parameters: [{name: id, in: path, required: true, schema: {type: string}, style: nope}]"),
    ("openapi: 3.1.0", "parameters: [{name: id, in: path, required: false, schema: {type: string}}]"),
])
def test_each_openapi_version_validates_against_its_own_schema(write, header, broken):
    good = f"{header}\n{INFO}paths:\n  /a/{{id}}:\n    get:\n      operationId: a\n      " \
           "parameters: [{name: id, in: path, required: true, " + \
           ("type: string}]" if "swagger" in header else "schema: {type: string}}]") + \
           "\n      responses: {'200': {description: ok}}\n"
    assert findings(str(write("good.yaml", good))) == (0, [])
    bad = good.replace(good.splitlines()[6].strip(), broken)
    code, items = findings(str(write("bad.yaml", bad)))
    assert code == 1 and ids(items) == ["oas-schema"] and items[0]["line"] == 7


def test_git_revision_specs_read_the_committed_version(tmp_path):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True, env=env)

    (tmp_path / "api.yaml").write_text("openapi: 3.0.3\n" + INFO + "paths:\n  /a/{id}:\n    $ref: 'items.yaml#/A'\n")
    good = "A: {parameters: [{name: id, in: path, required: true, schema: {type: string}}],\n" \
           "   get: {operationId: a, responses: {'200': {description: ok}}}}\n"
    (tmp_path / "items.yaml").write_text(good)
    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "v1")
    # The work tree breaks the referenced file; HEAD still has the good one.
    (tmp_path / "items.yaml").write_text(good.replace("name: id", "name: ident"))
    assert findings("git:HEAD:api.yaml", cwd=tmp_path) == (0, [])
    code, items = findings("api.yaml", cwd=tmp_path)
    assert code == 1 and {i["file"] for i in items} == {"items.yaml"}
    git("commit", "-q", "-am", "v2")
    code, items = findings("git:HEAD:api.yaml", cwd=tmp_path)
    assert code == 1 and {i["file"] for i in items} == {"git:HEAD:items.yaml"}
    assert findings("git:HEAD~1:api.yaml", cwd=tmp_path) == (0, [])
    missing = run_apictl("validate", "git:nope:api.yaml", cwd=tmp_path)
    assert missing.returncode == 2 and "unknown git revision 'nope'" in missing.stderr


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        _Recorder.requests.append(self.path)
        body = b"Ok: {description: fetched}\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_url_refs_are_not_fetched_unless_allowed(write):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/responses.yaml"
        spec = write("api.yaml", f"""
            openapi: 3.0.3
            info: {{title: t, version: '1'}}
            paths:
              /a:
                get:
                  operationId: a
                  responses:
                    '200': {{$ref: '{url}#/Ok'}}
        """)
        code, items = findings(str(spec))
        assert code == 0  # a warning: the spec may be fine, we just did not look
        assert [(i["id"], i["level"], i["line"]) for i in items] == [("ref-remote-not-fetched", "warning", 8)]
        assert _Recorder.requests == []
        assert findings(str(spec), "--allow-remote") == (0, [])
        assert _Recorder.requests == ["/responses.yaml"]
    finally:
        server.shutdown()


def test_refs_may_not_leave_the_root_unless_root_is_widened(tmp_path):
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "errors.yaml").write_text("Error: {description: error}\n")
    api_dir = tmp_path / "api"
    api_dir.mkdir()
    spec = api_dir / "api.yaml"
    spec.write_text("openapi: 3.0.3\n" + INFO + "paths:\n  /a:\n    get:\n      operationId: a\n      responses:\n"
                    "        '500': {$ref: '../shared/errors.yaml#/Error'}\n")
    code, items = findings(str(spec))
    assert code == 1
    assert [(i["id"], i["line"]) for i in items] == [("ref-outside-root", 8)]
    assert "leaves the spec's root folder" in items[0]["message"]
    assert findings(str(spec), "--root", str(tmp_path)) == (0, [])
    # A symlink inside the root that points outside it is followed to where it really is, and refused.
    (api_dir / "link.yaml").symlink_to(tmp_path / "shared" / "errors.yaml")
    spec.write_text(spec.read_text().replace("../shared/errors.yaml", "link.yaml"))
    code, items = findings(str(spec))
    assert [i["id"] for i in items] == ["ref-outside-root"]
