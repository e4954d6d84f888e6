"""`apictl serve` as a command: what it cannot run is listed at start-up with positions (exit 2), bad
flags are one line, --watch reloads the definition and the handlers, HTTP API stages, lazy import."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import httpx
import pytest

from tests.conftest import ROOT, run_apictl
from tests.serve_helpers import serve, write_files

pytestmark = pytest.mark.e2e

BROKEN = """
openapi: 3.0.1
info: {title: broken, version: "1"}
paths:
  /a:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:orders/invocations
  /b:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: vpc_thing
  /c:
    get:
      responses: {"200": {description: ok}}
"""


def test_definition_problems_are_listed_with_positions(tmp_path):
    write_files(tmp_path, {"api.yaml": BROKEN})
    result = run_apictl("serve", str(tmp_path / "api.yaml"), "--port", "0", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert any("api.yaml:10:9: error: GET /a: Lambda function 'orders' has no handler" in line for line in lines), lines
    assert any("api.yaml:15:9: error: GET /b: integration type 'vpc_thing' is not supported" in line for line in lines)
    assert any("api.yaml:17:5: error: GET /c: no x-amazon-apigateway-integration" in line for line in lines)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args,message", [
    (["--lambda", "nonsense"], "--lambda expects NAME=module:function"),
    (["--lambda", "orders=not a handler"], "must be module:function"),
    (["--jwks", "x"], "--jwks expects NAME=VALUE"),
    (["--credentials", "nocolon"], "--credentials expects ACCESS_KEY_ID:SECRET_ACCESS_KEY"),
    (["--api-type", "soap"], "--api-type must be one of rest, http"),
])
def test_bad_flags_are_one_line(tmp_path, args, message):
    write_files(tmp_path, {"api.yaml": BROKEN})
    result = run_apictl("serve", str(tmp_path / "api.yaml"), "--port", "0", *args, cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_stage_and_bad_serve_config(tmp_path):
    write_files(tmp_path, {"api.yaml": BROKEN, "apictl.yaml": "stages:\n  dev: {spec: api.yaml}\nserve:\n  lambda: {}\n"})
    result = run_apictl("serve", "--stage", "dev", "--port", "0", cwd=tmp_path)
    assert result.returncode == 2 and "apictl.yaml:4:1: error: serve: unknown setting(s) lambda" in result.stderr
    write_files(tmp_path, {"apictl.yaml": "stages:\n  dev: {spec: api.yaml}\n"})
    result = run_apictl("serve", "--stage", "prod", "--port", "0", cwd=tmp_path)
    assert result.returncode == 2 and "unknown stage 'prod' (stages: dev)" in result.stderr


WATCHED = """
openapi: 3.0.1
info: {title: watched, version: "1"}
paths:
  /hello:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses: {default: {statusCode: "200", responseTemplates: {application/json: '{"v": "ONE"}'}}}
  /fn:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: "arn:aws:lambda:us-east-1:123456789012:function:fn"}
"""
HANDLER = "def handler(event, context):\n    return {'statusCode': 200, 'body': 'handler ONE'}\n"


def _wait_for(url: str, expected: bytes, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    last = b""
    while time.monotonic() < deadline:
        last = httpx.get(url, timeout=10).content
        if expected in last:
            return
        time.sleep(0.2)
    raise AssertionError(f"{expected!r} never served (last: {last!r})")


def test_watch_reloads_the_definition_and_the_handlers(tmp_path):
    write_files(tmp_path, {"api.yaml": WATCHED, "handlers.py": HANDLER})
    with serve(str(tmp_path / "api.yaml"), "--watch", "--lambda", "fn=handlers:handler", cwd=tmp_path) as api:
        assert httpx.get(api.url + "hello").json() == {"v": "ONE"}
        assert httpx.get(api.url + "fn").content == b"handler ONE"
        time.sleep(1.1)  # a new modification time on every file system
        (tmp_path / "api.yaml").write_text(WATCHED.replace('"ONE"', '"TWO"'), encoding="utf-8")
        _wait_for(api.url + "hello", b"TWO")
        (tmp_path / "handlers.py").write_text(HANDLER.replace("ONE", "TWO"), encoding="utf-8")
        _wait_for(api.url + "fn", b"handler TWO")
        (tmp_path / "api.yaml").write_text("openapi: [broken", encoding="utf-8")
        api.wait_for_log("reload failed")
        assert httpx.get(api.url + "hello").json() == {"v": "TWO"}  # still serving the last good definition


def test_http_api_named_stage_and_not_found(tmp_path):
    spec = {"openapi": "3.0.1", "info": {"title": "h", "version": "1"}, "paths": {"/items/{id}": {"get": {
        "responses": {"200": {"description": "ok"}}, "x-amazon-apigateway-integration": {
            "type": "aws_proxy", "payloadFormatVersion": "2.0", "uri": "arn:aws:lambda:us-east-1:1:function:fn"}}}}}
    (tmp_path / "api.json").write_text(json.dumps(spec), encoding="utf-8")
    write_files(tmp_path, {"fns.py": "import json\ndef handler(e, c):\n    return {'path': e['rawPath'], 'key': e['routeKey']}\n"})
    with serve(str(tmp_path / "api.json"), "--api-type", "http", "--stage", "v1", "--lambda", "fn=fns:handler",
               cwd=tmp_path) as api:
        assert httpx.get(api.origin + "/v1/items/3").json() == {"path": "/v1/items/3", "key": "GET /items/{id}"}
        for path in ("/items/3", "/v1/other", "/v2/items/3"):
            r = httpx.get(api.origin + path)
            assert (r.status_code, r.content) == (404, b'{"message":"Not Found"}'), path
            assert r.headers["apigw-requestid"]


def test_serve_is_registered_lazily():
    code = "import sys, apictl.cli; print(any(m.startswith(('aiohttp', 'airspeed', 'jwt')) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert "serve" in run_apictl("--help").stdout


TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: Prod
      DefinitionBody:
        openapi: 3.0.1
        info: {title: from a template, version: "1"}
        paths:
          /hello:
            get:
              responses: {"200": {description: ok}}
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${HelloFunction.Arn}/invocations
          /backend:
            get:
              responses: {"200": {description: ok}}
              x-amazon-apigateway-integration:
                type: http_proxy
                httpMethod: GET
                uri: !Sub http://${BackendHost}/x
"""


def test_templates_run_with_intrinsics_resolved(tmp_path):
    write_files(tmp_path, {"template.yaml": TEMPLATE,
                           "fns.py": "def handler(e, c):\n    return {'statusCode': 200, 'body': c.function_name}\n"})
    result = run_apictl("serve", str(tmp_path / "template.yaml"), "--port", "0", cwd=tmp_path)
    assert result.returncode == 2 and "Lambda function 'HelloFunction' has no handler" in result.stderr
    with serve(str(tmp_path / "template.yaml"), "--stage", "Prod", "--lambda", "HelloFunction=fns:handler",
               "--param", "BackendHost=127.0.0.1:9", cwd=tmp_path) as api:
        assert httpx.get(api.url + "hello").content == b"HelloFunction"
        r = httpx.get(api.url + "backend")  # nothing listens on port 9: the integration fails like API Gateway's
        assert (r.status_code, r.json()) == (500, {"message": "Internal server error"})
