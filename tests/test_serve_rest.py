"""`apictl serve` on a REST API, end to end on 127.0.0.1: routing, gateway responses, request validation,
API keys and usage plans, Lambda proxy and non-proxy integrations, HTTP integrations, MOCK and mapping
templates, content handling, the headers API Gateway adds and the access log (gateway-runtime.md)."""
from __future__ import annotations

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.serve_helpers import serve

pytestmark = pytest.mark.e2e
FIXTURES = Path(__file__).with_name("serve_fixtures")
LAMBDA = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:{}/invocations"


def mock(template: str, *, status: str = "200", request: str = '{"statusCode": 200}', params: dict | None = None,
         **extra) -> dict:
    response = {"statusCode": status, "responseTemplates": {"application/json": template}}
    if params:
        response["responseParameters"] = params
    return {"type": "mock", "requestTemplates": {"application/json": request},
            "responses": {"default": response}, **extra}


def proxy(function: str, **extra) -> dict:
    return {"type": "aws_proxy", "httpMethod": "POST", "uri": LAMBDA.format(function), **extra}


def op(integration: dict, **extra) -> dict:
    return {"responses": {"200": {"description": "ok"}}, "x-amazon-apigateway-integration": integration, **extra}


WHERE = mock('{"resource": "$context.resourcePath", "path": "$context.path", "params": "$input.params()"}')

SPEC = {
    "openapi": "3.0.1",
    "info": {"title": "Serve REST tests", "version": "1"},
    "x-amazon-apigateway-binary-media-types": ["image/png"],
    "x-amazon-apigateway-request-validators": {"all": {"validateRequestBody": True, "validateRequestParameters": True}},
    "x-amazon-apigateway-gateway-responses": {
        "DEFAULT_4XX": {"responseParameters": {"gatewayresponse.header.x-default-4xx": "'yes'"}},
        "BAD_REQUEST_BODY": {"responseTemplates": {"application/json":
                             '{"message": $context.error.messageString, "details": "$context.error.validationErrorString"}'}},
    },
    "paths": {
        "/part1": {"get": op(WHERE)},
        "/part1/hardcoded-value": {"get": op(WHERE)},
        "/{param+}": {"get": op(WHERE), "options": op(WHERE)},
        "/test": {"post": op(WHERE)},
        "/test/any": {"x-amazon-apigateway-any-method": op(WHERE), "get": op(mock('{"explicit": true}'))},
        "/pets/{id}": {"get": op(WHERE)},
        "/validated": {"post": op(mock('{"ok": true}'), **{
            "x-amazon-apigateway-request-validator": "all",
            "parameters": [{"name": "x-header-param", "in": "header", "required": True, "schema": {"type": "string"}},
                           {"name": "qs1", "in": "query", "required": True, "schema": {"type": "string"}}],
            "requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "required": ["a", "b"], "properties": {"a": {"type": "integer"}}}}}}})},
        "/not-validated": {"get": op(mock('{"ok": true}'), parameters=[
            {"name": "needed", "in": "query", "required": True, "schema": {"type": "string"}}])},
        "/keyed": {"get": op(mock('{"key": "$context.identity.apiKey"}'), security=[{"ApiKey": []}])},
        "/quota": {"get": op(mock('{}'), security=[{"ApiKey": []}])},
        "/mock-status": {"get": op({
            "type": "mock", "requestTemplates": {"application/json": '{"statusCode": $input.params("code")}'},
            "responses": {"default": {"statusCode": "200", "responseTemplates": {"application/json": '{"found": true}'}},
                          "404": {"statusCode": "404", "responseTemplates": {"application/json": '{"found": false}'},
                                  "responseParameters": {"method.response.header.x-why": "'not here'"}}}})},
        "/override": {"get": op(mock(
            '#set($context.responseOverride.status = 444)#set($context.responseOverride.header.foo = "bar"){"o": 1}'))},
        "/vtl-error": {"get": op(mock('#foreach($x in $input.path("$.a"))oops'))},
        "/never": {"post": op(mock('{}', passthroughBehavior="never"))},
        "/when-no-templates": {"post": op(mock('{}', passthroughBehavior="when_no_templates"))},
        "/lambda/{proxy+}": {"x-amazon-apigateway-any-method": op(proxy("echo"))},
        "/hardcoded": {"get": op(proxy("echo"))},
        "/result": {"get": op(proxy("result"))},
        "/boom": {"get": op(proxy("boom"))},
        "/slow": {"get": op(proxy("slow", timeoutInMillis=800))},
        "/crash": {"get": op(proxy("crash"))},
        "/counter": {"get": op(proxy("counter"))},
        "/other-counter": {"get": op(proxy("other-counter"))},
        "/command/{x}": {"get": op(proxy("cmd"))},
        "/not-post": {"get": op(proxy("echo", httpMethod="GET"))},
        "/custom": {"post": op({
            "type": "aws", "httpMethod": "POST", "uri": LAMBDA.format("custom"),
            "requestTemplates": {"application/json":
                                 '{"name": $input.json("$.name"), "fail": $input.json("$.fail"), "stage": "$stageVariables.env"}'},
            "responses": {
                "default": {"statusCode": "200", "responseTemplates": {"application/json":
                            '{"greeting": "hello $input.path(\'$.echo.name\')", "fn": "$input.path(\'$.function\')"}'}},
                ".*not found.*": {"statusCode": "404", "responseTemplates": {"application/json":
                                  '{"error": "$input.path(\'$.errorMessage\')"}'}},
                "Invalid.+": {"statusCode": "400"}}})},
        "/http/{id}": {"get": op({
            "type": "http", "httpMethod": "GET", "uri": "http://127.0.0.1:${stageVariables.backendPort}/items/{id}",
            "requestParameters": {"integration.request.path.id": "method.request.path.id",
                                  "integration.request.querystring.from": "'apigw'",
                                  "integration.request.header.x-mapped": "method.request.header.x-in"},
            "responses": {"default": {"statusCode": "200", "responseParameters": {
                "method.response.header.x-backend": "integration.response.header.x-backend"}},
                "4\\d{2}": {"statusCode": "400", "responseTemplates": {"application/json": '{"bad": true}'}}}})},
        "/proxy/{proxy+}": {"x-amazon-apigateway-any-method": op({
            "type": "http_proxy", "httpMethod": "ANY", "uri": "http://127.0.0.1:${stageVariables.backendPort}/{proxy}",
            "requestParameters": {"integration.request.path.proxy": "method.request.path.proxy",
                                  "integration.request.header.x-mapped": "'static-value'"}})},
        "/http-slow": {"get": op({"type": "http_proxy", "httpMethod": "GET", "timeoutInMillis": 500,
                                  "uri": "http://127.0.0.1:${stageVariables.backendPort}/slow"})},
        "/authz/a": {"get": op(mock('{"user": "$context.authorizer.user", "principal": "$context.authorizer.principalId", '
                                    '"calls": "$context.authorizer.calls"}'), security=[{"TokenAuth": []}])},
        "/authz/b": {"get": op(mock('{"b": "$context.authorizer.user"}'), security=[{"TokenAuth": []}])},
        "/authz/event": {"get": op(proxy("echo"), security=[{"TokenAuth": []}])},
    },
    "components": {"securitySchemes": {
        "ApiKey": {"type": "apiKey", "name": "x-api-key", "in": "header"},
        "TokenAuth": {"type": "apiKey", "name": "Authorization", "in": "header",
                      "x-amazon-apigateway-authtype": "custom",
                      "x-amazon-apigateway-authorizer": {"type": "token", "authorizerUri": LAMBDA.format("token-auth"),
                                                         "identityValidationExpression": "^[a-z-]+$",
                                                         "authorizerResultTtlInSeconds": 300}}}},
}


class Backend(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path.startswith("/slow"):
            time.sleep(2)
        status = 400 if "/items/bad" in self.path else 200
        body = json.dumps({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("x-backend", "b1")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET


@pytest.fixture(scope="module")
def backend():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Backend)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


@pytest.fixture(scope="module")
def api(tmp_path_factory, backend):
    folder = tmp_path_factory.mktemp("rest")
    (folder / "api.json").write_text(json.dumps(SPEC), encoding="utf-8")
    fns = FIXTURES / "fns.py"
    config = {
        "stages": {"dev": {"spec": "api.json", "variables": {"backendPort": str(backend), "env": "dev"},
                           "accessLogSettings": {"destinationArn": "arn:aws:logs:eu-west-1:123456789012:log-group:x",
                                                 "format": '{"rid":"$context.requestId","status":"$context.status",'
                                                           '"route":"$context.resourcePath","err":"$context.error.responseType"}'},
                           "usagePlans": [{"name": "p1", "throttle": {"burstLimit": 2, "rateLimit": 0.001},
                                           "apiKeys": ["throttled-key"]},
                                          {"name": "p2", "quota": {"limit": 2, "period": "DAY"},
                                           "apiKeys": ["quota-key", "other-key"]}]}},
        "serve": {"lambdas": {name: f"{fns}:{fn}" for name, fn in {
            "echo": "echo", "result": "result", "boom": "boom", "slow": "slow", "crash": "crash",
            "counter": "counter", "other-counter": "counter", "custom": "custom", "token-auth": "token_auth"}.items()},
                  "apiKeys": {"throttled-key": "throttled-key-value-0001"}},
    }
    config["serve"]["lambdas"]["cmd"] = f"-- python {FIXTURES / 'command_handler.py'}"
    (folder / "apictl.yaml").write_text(json.dumps(config), encoding="utf-8")
    with serve("--stage", "dev", cwd=folder) as served:
        yield served


def get(api, path, **kw):
    with api.client() as c:
        return c.get(path, **kw)


@pytest.mark.parametrize("method,path,resource", [
    ("GET", "part1", "/part1"), ("GET", "part1/hardcoded-value", "/part1/hardcoded-value"),
    ("GET", "part1/random-value", "/{param+}"),  # a greedy ancestor catches what the literal branch lacks
    ("OPTIONS", "test", "/{param+}"),  # ... and what it lacks the method for
    ("POST", "test", "/test"), ("OPTIONS", "test/any", "/test/any"), ("DELETE", "test/any", "/test/any"),
    ("GET", "pets/42/", "/pets/{id}"),  # trailing slash ignored
])
def test_rest_routing_follows_the_resource_tree(api, method, path, resource):
    with api.client() as c:
        r = c.request(method, path)
    assert r.status_code == 200, r.text
    assert r.json()["resource"] == resource


def test_explicit_method_beats_any_and_path_parameters_stay_encoded(api):
    assert get(api, "test/any").json() == {"explicit": True}
    r = get(api, "pets/a%2Bb")
    assert "id=a%2Bb" in r.json()["params"]


def test_unknown_route_method_and_stage_answer_like_api_gateway(api):
    c = api.client()
    for r in (c.delete("nope/nope"), c.post("pets/1"), c.put("part1")):
        assert r.status_code == 403
        assert r.content == b'{"message":"Missing Authentication Token"}'
        assert r.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
        assert r.headers["x-default-4xx"] == "yes"  # DEFAULT_4XX parameters apply, its template is the default
    r = api.client().get(api.origin + "/prod/part1")
    assert (r.status_code, r.content) == (403, b'{"message":"Forbidden"}')
    r = api.client().get(api.origin + "/dev")  # the stage without a slash reaches no resource
    assert r.status_code == 403 and r.json() == {"message": "Missing Authentication Token"}


def test_validator_checks_parameters_first_then_the_body(api):
    with api.client() as c:
        r = c.post("validated", content=b"not json")
        assert r.status_code == 400
        assert r.json() == {"message": "Missing required request parameters: [x-header-param, qs1]"}
        r = c.post("validated?qs1=", headers={"x-header-param": "h"})  # blank counts as missing
        assert r.json()["message"] == "Missing required request parameters: [qs1]"
        r = c.post("validated?qs1=q", headers={"x-header-param": "h"})  # no body = {} fails the required a, b
        assert r.status_code == 400 and r.headers["x-amzn-ErrorType"] == "BadRequestException"
        # the template quotes validationErrorString, whose own quotes break the JSON (as on AWS)
        assert r.text.startswith('{"message": "Invalid request body", "details": "[') and '"a"' in r.text
        r = c.post("validated?qs1=q", headers={"x-header-param": "h"}, json={"a": 1, "b": 2})
        assert r.status_code == 200 and r.json() == {"ok": True}
        assert c.get("not-validated").status_code == 200  # required flags without a validator are not enforced


def test_api_keys_throttling_and_quota(api):
    with api.client() as c:
        r = c.get("keyed")
        assert (r.status_code, r.content) == (403, b'{"message":"Forbidden"}')
        assert c.get("keyed", headers={"x-api-key": "unknown"}).status_code == 403
        key = {"X-API-Key": "throttled-key-value-0001"}
        assert c.get("keyed", headers=key).json() == {"key": "throttled-key-value-0001"}
        assert c.get("keyed", headers=key).status_code == 200
        r = c.get("keyed", headers=key)  # burst 2 spent, refill 0.001/s
        assert (r.status_code, r.content) == (429, b'{"message":"Too Many Requests"}')
        quota = {"x-api-key": "quota-key"}
        assert [c.get("quota", headers=quota).status_code for _ in range(3)] == [200, 200, 429]
        assert c.get("quota", headers=quota).content == b'{"message":"Limit Exceeded"}'
        assert c.get("quota", headers={"x-api-key": "other-key"}).status_code == 200  # quotas are per key


def test_mock_status_comes_from_the_request_template(api):
    r = get(api, "mock-status", params={"code": "404"})
    assert (r.status_code, r.json(), r.headers["x-why"]) == (404, {"found": False}, "not here")
    assert "x-amzn-trace-id" not in r.headers  # MOCK responses carry no trace header
    r = get(api, "mock-status", params={"code": "200"})
    assert (r.status_code, r.json()) == (200, {"found": True})
    r = get(api, "override")
    assert (r.status_code, r.headers["foo"], r.json()) == (444, "bar", {"o": 1})


def test_template_error_is_a_500_with_the_vtl_error_in_the_log(api):
    r = get(api, "vtl-error")
    assert (r.status_code, r.content) == (500, b'{"message": "Internal server error"}')
    api.wait_for_log("mapping template error")


def test_passthrough_behaviours_and_415(api):
    with api.client() as c:
        assert c.post("never", json={}).status_code == 200
        r = c.post("never", content=b"x", headers={"content-type": "text/plain"})
        assert (r.status_code, r.json()) == (415, {"message": "Unsupported Media Type"})
        assert c.post("when-no-templates", content=b"x", headers={"content-type": "text/plain"}).status_code == 415


def test_lambda_proxy_event_is_the_rest_1_0_event(api):
    r = get(api, "lambda/proxy-value/?a=1&a=2+3&b=x%2By",
            headers={"tEsT-HEADeR": "v", "aUThorization": "tok"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.headers["x-amzn-trace-id"].startswith("Root=1-")
    body = r.json()
    event, context = body["event"], body["context"]
    assert event["resource"] == "/lambda/{proxy+}"
    assert event["path"] == "/lambda/proxy-value/"
    assert event["pathParameters"] == {"proxy": "proxy-value"}
    assert event["queryStringParameters"] == {"a": "2 3", "b": "x+y"}
    assert event["multiValueQueryStringParameters"] == {"a": ["1", "2 3"], "b": ["x+y"]}
    assert event["headers"]["tEsT-HEADeR"] == "v" and event["headers"]["Authorization"] == "tok"
    assert "X-Forwarded-For" in event["headers"] and "Content-Length" not in event["headers"]
    assert event["body"] is None and event["isBase64Encoded"] is False
    assert event["stageVariables"]["env"] == "dev"
    ctx = event["requestContext"]
    assert ctx["path"] == "/dev/lambda/proxy-value/" and ctx["stage"] == "dev"
    assert ctx["resourcePath"] == "/lambda/{proxy+}" and ctx["httpMethod"] == "GET"
    assert ctx["identity"]["sourceIp"] == "127.0.0.1" and "authorizer" not in ctx
    assert ctx["requestId"] == r.headers["x-amzn-RequestId"]
    assert context["function_name"] == "echo" and context["aws_request_id"] == ctx["requestId"]
    assert 0 < context["remaining"] <= 29000 and context["arn"].endswith(":function:echo")
    event = get(api, "hardcoded").json()["event"]
    assert event["pathParameters"] is None and event["queryStringParameters"] is None


def test_lambda_proxy_binary_and_double_slashes(api):
    with api.client() as c:
        event = c.post("lambda/img", content=b"\x89PNG\x00", headers={"content-type": "image/png"}).json()["event"]
    assert event["isBase64Encoded"] is True and base64.b64decode(event["body"]) == b"\x89PNG\x00"
    event = get(api, api.origin + "/dev/lambda/a//b").json()["event"]
    assert event["pathParameters"] == {"proxy": "a//b"}


@pytest.mark.parametrize("result,status,body", [
    ({"statusCode": 200}, 200, b""), ({}, 200, b""), ({"statusCode": "201", "body": "x"}, 201, b"x"),
    ({"statusCode": "test"}, 502, b'{"message": "Internal server error"}'),
    ({"statusCode": 200, "wrongValue": 1}, 502, b'{"message": "Internal server error"}'),
    ({"statusCode": 200, "multiValueHeaders": {"x": "v"}}, 502, b'{"message": "Internal server error"}'),
    ("justAString", 502, b'{"message": "Internal server error"}'),
    ({"statusCode": 200, "headers": None, "body": "ok"}, 200, b"ok"),
    ({"statusCode": 200, "body": "dGVzdA==", "isBase64Encoded": True}, 200, b"dGVzdA=="),
])
def test_lambda_proxy_result_mapping(api, result, status, body):
    r = get(api, "result", params={"r": json.dumps(result)})
    assert (r.status_code, r.content) == (status, body)


def test_lambda_proxy_result_headers(api):
    result = {"statusCode": 200, "headers": {"test-multi": "value-solo", "header-bool": True},
              "multiValueHeaders": {"tesT-Multi": ["value-multi"]}}
    r = get(api, "result", params={"r": json.dumps(result)})
    assert r.headers.get_list("test-multi") == ["value-multi", "value-solo"] and r.headers["header-bool"] == "true"
    png = {"statusCode": 200, "body": base64.b64encode(b"\x89PNG").decode(), "isBase64Encoded": True,
           "headers": {"Content-Type": "image/png"}}
    assert get(api, "result", params={"r": json.dumps(png)}, headers={"Accept": "image/png"}).content == b"\x89PNG"
    assert get(api, "result", params={"r": json.dumps(png)}, headers={"Accept": "image/*"}).content != b"\x89PNG"


def test_handler_errors_timeouts_and_crashes_never_take_the_server_down(api):
    assert (get(api, "boom").status_code, get(api, "boom").content) == (502, b'{"message": "Internal server error"}')
    started = time.monotonic()
    r = get(api, "slow")
    assert r.status_code == 504 and r.json() == {"message": "Endpoint request timed out"}
    assert time.monotonic() - started < 4
    assert get(api, "crash").status_code == 502
    assert get(api, "hardcoded").status_code == 200
    assert get(api, "not-post").status_code == 500


def test_workers_are_reused_per_function_and_isolated(api):
    first, second = get(api, "counter").json(), get(api, "counter").json()
    assert second["n"] == first["n"] + 1 and second["pid"] == first["pid"]
    other = get(api, "other-counter").json()
    assert other["pid"] != first["pid"] and other["n"] == 1


def test_command_handler_gets_the_event_on_stdin(api):
    r = get(api, "command/abc")
    assert r.status_code == 200
    assert r.json() == {"path": "/command/abc", "function": "cmd", "requestId": r.headers["x-amzn-RequestId"]}
    assert get(api, "command/abc", params={"fail": "1"}).status_code == 502


def test_lambda_non_proxy_templates_and_selection_on_error_message(api):
    with api.client() as c:
        r = c.post("custom", json={"name": "Ada"})
        assert (r.status_code, r.json()) == (200, {"greeting": "hello Ada", "fn": "custom"})
        r = c.post("custom", json={"name": "x", "fail": "Item not found here"})
        assert (r.status_code, r.json()) == (404, {"error": "Item not found here"})
        r = c.post("custom", json={"name": "x", "fail": "Invalid input"})
        assert r.status_code == 400
        r = c.post("custom", json={"name": "x", "fail": "Something else\nwith a newline"})
        assert r.status_code == 200  # no pattern matches the whole message: the default response


def test_http_integration_maps_parameters_and_statuses(api):
    r = get(api, "http/42", headers={"x-in": "mapped", "x-not-forwarded": "1", "Accept": "application/xml"})
    assert r.status_code == 200 and r.headers["x-backend"] == "b1"
    seen = r.json()
    assert seen["path"] == "/items/42?from=apigw"
    assert seen["headers"]["x-mapped"] == "mapped" and "x-not-forwarded" not in seen["headers"]
    assert seen["headers"]["accept"] == "application/json"
    assert seen["headers"]["user-agent"].startswith("AmazonAPIGateway_")
    r = get(api, "http/bad")
    assert (r.status_code, r.json()) == (400, {"bad": True})


def test_http_proxy_passes_everything_and_times_out_with_504(api):
    r = get(api, "proxy/x/y", params={"q": "1"}, headers={"x-client": "c"})
    seen = r.json()
    assert seen["path"] == "/x/y?q=1" and seen["headers"]["x-client"] == "c"
    assert seen["headers"]["x-mapped"] == "static-value"
    assert get(api, "proxy/items/bad").status_code == 400  # HTTP_PROXY keeps the backend status
    r = get(api, "http-slow")
    assert (r.status_code, r.json()) == (504, {"message": "Endpoint request timed out"})


def test_token_authorizer_regex_errors_policy_context_and_cache(api):
    with api.client() as c:
        r = c.get("authz/a")
        assert (r.status_code, r.content) == (401, b'{"message":"Unauthorized"}')
        assert c.get("authz/a", headers={"Authorization": "NOT VALID"}).status_code == 401  # regex, Lambda not called
        assert c.get("authz/a", headers={"Authorization": "unauthorized"}).status_code == 401
        r = c.get("authz/a", headers={"Authorization": "error"})
        assert (r.status_code, r.content) == (500, b'{"message":null}')
        assert r.headers["x-amzn-ErrorType"] == "AuthorizerConfigurationException"
        assert c.get("authz/a", headers={"Authorization": "bad-context"}).status_code == 500
        r = c.get("authz/a", headers={"Authorization": "deny"})
        assert (r.status_code, r.content) == (403, b'{"Message":"User is not authorized to access this resource"}')
        first = c.get("authz/a", headers={"Authorization": "alice"}).json()
        assert first["user"] == "alice" and first["principal"] == "user-alice"
        again = c.get("authz/a", headers={"Authorization": "alice"}).json()
        assert again["calls"] == first["calls"]  # cached for the TTL
        assert c.get("authz/b", headers={"Authorization": "alice"}).json() == {"b": "alice"}
        # a cached policy naming only the first method denies the others until it expires
        assert c.get("authz/a", headers={"Authorization": "first-only"}).status_code == 200
        assert c.get("authz/b", headers={"Authorization": "first-only"}).status_code == 403
        event = c.get("authz/event", headers={"Authorization": "bob"}).json()["event"]
        assert event["requestContext"]["authorizer"]["user"] == "bob"
        assert event["requestContext"]["authorizer"]["admin"] == "true"  # context values arrive as strings


def test_access_log_line_per_request_in_the_stage_format(api):
    r = get(api, "part1")
    line = api.wait_for_log(r.headers["x-amzn-RequestId"], stream="lines")
    assert json.loads(line) == {"rid": r.headers["x-amzn-RequestId"], "status": "200", "route": "/part1", "err": "-"}
    r = api.client().delete("nowhere")
    line = json.loads(api.wait_for_log(r.headers["x-amzn-RequestId"], stream="lines"))
    assert line["status"] == "403" and line["err"] == "MISSING_AUTHENTICATION_TOKEN"
    assert r.headers["x-amz-apigw-id"].endswith("=")
