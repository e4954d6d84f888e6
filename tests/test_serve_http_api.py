"""`apictl serve` on an HTTP API, end to end: route priority and $default, payload 1.0 and 2.0 events and
results, Lambda REQUEST authorizers with simple responses, JWT authorizers against a JWKS URL on 127.0.0.1,
IAM (SigV4), CORS, HTTP_PROXY parameter mapping, the fixed error bodies and apigw-requestid."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from tests.serve_helpers import serve

pytestmark = pytest.mark.e2e
FIXTURES = Path(__file__).with_name("serve_fixtures")
ISSUER_PATH = "/issuer"


def fn(name: str, version: str = "2.0", **extra) -> dict:
    return {"x-amazon-apigateway-integration": {
        "type": "aws_proxy", "httpMethod": "POST", "payloadFormatVersion": version,
        "uri": f"arn:aws:lambda:eu-west-1:123456789012:function:{name}"}, **extra}


def spec(backend: int) -> dict:
    return {
        "openapi": "3.0.1",
        "info": {"title": "Serve HTTP API tests", "version": "1"},
        "x-amazon-apigateway-cors": {"allowOrigins": ["https://app.example.com"], "allowMethods": ["GET", "POST"],
                                     "allowHeaders": ["content-type"], "maxAge": 600, "exposeHeaders": ["x-total"]},
        "paths": {
            "/pets/dog/1": {"get": fn("echo")},
            "/pets/dog/{id}": {"get": fn("echo")},
            "/pets/{proxy+}": {"get": fn("echo")},
            "/{proxy+}": {"x-amazon-apigateway-any-method": fn("echo")},
            "/$default": {"x-amazon-apigateway-any-method": fn("echo")},
            "/v1/{id}": {"get": fn("echo", "1.0")},
            "/result": {"get": fn("result")},
            "/result1": {"get": fn("result", "1.0")},
            "/boom": {"get": fn("boom")},
            "/slow": {"get": {"x-amazon-apigateway-integration": {
                "type": "aws_proxy", "payloadFormatVersion": "2.0", "timeoutInMillis": 700,
                "uri": "arn:aws:lambda:eu-west-1:123456789012:function:slow"}}},
            "/simple": {"get": fn("echo", security=[{"Simple": []}])},
            "/jwt": {"get": fn("echo", security=[{"Jwt": ["pets/read"]}])},
            "/iam": {"get": fn("echo", security=[{"Iam": []}])},
            "/backend/{proxy+}": {"x-amazon-apigateway-any-method": {"x-amazon-apigateway-integration": {
                "type": "http_proxy", "httpMethod": "ANY", "payloadFormatVersion": "1.0",
                "uri": f"http://127.0.0.1:{backend}/{{proxy}}",
                "requestParameters": {"append:header.x-added": "$request.header.x-in",
                                      "overwrite:querystring.q": "mapped-${request.path.proxy}",
                                      "remove:header.x-secret": "''"},
                "responseParameters": {"200": {"overwrite:header.x-status": "$response.header.x-backend",
                                               "overwrite:statuscode": "201"}}}}},
        },
        "components": {"securitySchemes": {
            "Simple": {"type": "apiKey", "name": "x-token", "in": "header", "x-amazon-apigateway-authorizer": {
                "type": "request", "identitySource": "$request.header.x-token",
                "authorizerUri": "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
                                 "arn:aws:lambda:eu-west-1:123456789012:function:simple-auth/invocations",
                "authorizerPayloadFormatVersion": "2.0", "enableSimpleResponses": True,
                "authorizerResultTtlInSeconds": 0}},
            "Jwt": {"type": "oauth2", "flows": {}, "x-amazon-apigateway-authorizer": {
                "type": "jwt", "identitySource": "$request.header.Authorization",
                "jwtConfiguration": {"issuer": f"http://127.0.0.1:{backend}{ISSUER_PATH}", "audience": ["my-app"]}}},
            "Iam": {"type": "apiKey", "name": "Authorization", "in": "header",
                    "x-amazon-apigateway-authtype": "awsSigv4"}}},
    }


@pytest.fixture(scope="module")
def keys():
    from cryptography.hazmat.primitives.asymmetric import rsa
    import jwt

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    public.update(kid="k1", alg="RS256")
    return key, {"keys": [public]}


@pytest.fixture(scope="module")
def backend(keys):
    jwks = json.dumps(keys[1]).encode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path == ISSUER_PATH + "/.well-known/jwks.json":
                body = jwks
            else:
                body = json.dumps({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("x-backend", "b2")
            self.send_header("Access-Control-Allow-Origin", "https://evil.example.com")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


@pytest.fixture(scope="module")
def api(tmp_path_factory, backend):
    folder = tmp_path_factory.mktemp("http")
    (folder / "api.json").write_text(json.dumps(spec(backend)), encoding="utf-8")
    fns = FIXTURES / "fns.py"
    lambdas = {name: f"{fns}:{f}" for name, f in {"echo": "echo", "result": "result", "boom": "boom",
                                                  "slow": "slow", "simple-auth": "simple_auth"}.items()}
    config = {"stages": {"$default": {"spec": "api.json", "variables": {"v": "1"},
                                      "defaultRouteSettings": {"throttlingBurstLimit": 1000,
                                                               "throttlingRateLimit": 1000}}},
              "serve": {"lambdas": lambdas, "credentials": [{"accessKeyId": "AKIDTEST", "secretAccessKey": "s3cr3t"}]}}
    (folder / "apictl.yaml").write_text(json.dumps(config), encoding="utf-8")
    with serve("--stage", "$default", cwd=folder) as served:
        yield served


def route_of(api, method: str, path: str) -> str:
    r = httpx.request(method, api.origin + path, timeout=30)
    assert r.status_code == 200, r.text
    assert "apigw-requestid" in r.headers
    return r.json()["event"]["routeKey"]


def test_route_priority_and_default_route(api):
    assert route_of(api, "GET", "/pets/dog/1") == "GET /pets/dog/1"
    assert route_of(api, "GET", "/pets/dog/2") == "GET /pets/dog/{id}"
    assert route_of(api, "GET", "/pets/cat/1") == "GET /pets/{proxy+}"
    assert route_of(api, "POST", "/test/5") == "ANY /{proxy+}"
    assert route_of(api, "POST", "/") == "$default"


def test_payload_2_0_event(api):
    r = httpx.get(api.origin + "/pets/dog/7?a=1&a=2&b=x", headers={"Cookie": "c1=v1; c2=v2", "X-Multi": "m"},
                  timeout=30)
    event = r.json()["event"]
    assert event["version"] == "2.0" and event["rawPath"] == "/pets/dog/7" and event["rawQueryString"] == "a=1&a=2&b=x"
    assert event["queryStringParameters"] == {"a": "1,2", "b": "x"} and event["pathParameters"] == {"id": "7"}
    assert event["cookies"] == ["c1=v1", "c2=v2"] and event["headers"]["x-multi"] == "m"
    assert "body" not in event and event["isBase64Encoded"] is False and event["stageVariables"] == {"v": "1"}
    ctx = event["requestContext"]
    assert ctx["http"]["method"] == "GET" and ctx["http"]["path"] == "/pets/dog/7" and ctx["stage"] == "$default"
    assert ctx["requestId"] == r.headers["apigw-requestid"]
    body = httpx.post(api.origin + "/x", content=b"\x00\x01", headers={"content-type": "application/octet-stream"},
                      timeout=30).json()["event"]
    assert body["isBase64Encoded"] is True and body["body"] == "AAE="


def test_payload_1_0_event(api):
    event = httpx.get(api.origin + "/v1/9?q=1", timeout=30).json()["event"]
    assert event["version"] == "1.0" and event["resource"] == "/v1/{id}" and event["path"] == "/v1/9"
    assert event["multiValueQueryStringParameters"] == {"q": ["1"]}
    assert event["requestContext"]["authorizer"] == {"claims": None, "scopes": None}


@pytest.mark.parametrize("result,status,body", [
    ("Hello from Lambda!", 200, b"Hello from Lambda!"),
    ({"message": "hi"}, 200, b'{"message": "hi"}'),
    ({"statusCode": 201, "body": "made", "cookies": ["a=1"]}, 201, b"made"),
])
def test_payload_2_0_results(api, result, status, body):
    r = httpx.get(api.origin + "/result", params={"r": json.dumps(result)}, timeout=30)
    assert (r.status_code, r.content) == (status, body)


def test_http_api_error_bodies(api):
    r = httpx.get(api.origin + "/result1", params={"r": json.dumps({"statusCode": "x"})}, timeout=30)
    assert (r.status_code, r.content) == (500, b'{"message":"Internal Server Error"}')
    assert httpx.get(api.origin + "/boom", timeout=30).content == b'{"message":"Internal Server Error"}'
    r = httpx.get(api.origin + "/slow", timeout=30)
    assert (r.status_code, r.content) == (503, b'{"message":"Service Unavailable"}')


def test_lambda_authorizer_simple_responses(api):
    r = httpx.get(api.origin + "/simple", timeout=30)
    assert (r.status_code, r.content) == (401, b'{"message":"Unauthorized"}')
    r = httpx.get(api.origin + "/simple", headers={"x-token": "no"}, timeout=30)
    assert (r.status_code, r.content) == (403, b'{"message":"Forbidden"}')
    event = httpx.get(api.origin + "/simple", headers={"x-token": "ok"}, timeout=30).json()["event"]
    assert event["requestContext"]["authorizer"] == {"lambda": {"who": "ok", "list": [1, 2]}}


def token(keys, **claims) -> str:
    import jwt

    now = int(time.time())
    body = {"iss": "", "aud": "my-app", "exp": now + 60, "iat": now, "scope": "pets/read", "sub": "u1", **claims}
    return jwt.encode(body, keys[0], algorithm="RS256", headers={"kid": "k1"})


def test_jwt_authorizer_checks_signature_issuer_audience_expiry_scopes(api, keys, backend):
    issuer = f"http://127.0.0.1:{backend}{ISSUER_PATH}"
    good = token(keys, iss=issuer)
    event = httpx.get(api.origin + "/jwt", headers={"Authorization": f"Bearer {good}"}, timeout=30).json()["event"]
    assert event["requestContext"]["authorizer"]["jwt"]["claims"]["sub"] == "u1"
    assert event["requestContext"]["authorizer"]["jwt"]["scopes"] == ["pets/read"]
    for bad, why in ((token(keys, iss=issuer, aud="other"), "audience"), (token(keys, iss="http://x"), "issuer"),
                     (token(keys, iss=issuer, exp=int(time.time()) - 10), "expired"), (good[:-4] + "AAAA", "invalid")):
        r = httpx.get(api.origin + "/jwt", headers={"Authorization": f"Bearer {bad}"}, timeout=30)
        assert (r.status_code, r.content) == (401, b'{"message":"Unauthorized"}'), why
        assert r.headers["www-authenticate"].startswith('Bearer scope="" error="invalid_token"')
    r = httpx.get(api.origin + "/jwt", headers={"Authorization": token(keys, iss=issuer, scope="other")}, timeout=30)
    assert r.status_code == 403


def test_iam_routes_verify_sigv4(api):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    def signed(secret: str) -> dict:
        request = AWSRequest(method="GET", url=api.origin + "/iam?x=1", data=b"")
        SigV4Auth(Credentials("AKIDTEST", secret), "execute-api", "eu-west-1").add_auth(request)
        return dict(request.headers)

    event = httpx.get(api.origin + "/iam?x=1", headers=signed("s3cr3t"), timeout=30).json()["event"]
    assert event["requestContext"]["authorizer"]["iam"]["accessKey"] == "AKIDTEST"
    assert httpx.get(api.origin + "/iam?x=1", headers=signed("wrong"), timeout=30).status_code == 403
    assert httpx.get(api.origin + "/iam?x=1", timeout=30).status_code == 403


def test_cors_preflight_and_headers(api):
    origin = "https://app.example.com"
    r = httpx.options(api.origin + "/anything", headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
                      timeout=30)
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == origin and r.headers["access-control-max-age"] == "600"
    assert r.headers["access-control-allow-methods"] == "GET,POST"
    r = httpx.options(api.origin + "/x", headers={"Origin": "https://evil.example.com",
                                                 "Access-Control-Request-Method": "GET"}, timeout=30)
    assert "access-control-allow-origin" not in r.headers
    r = httpx.get(api.origin + "/backend/a", headers={"Origin": origin}, timeout=30)
    assert r.headers["access-control-allow-origin"] == origin  # the backend's own CORS header is replaced
    assert r.headers["access-control-expose-headers"] == "x-total"


def test_http_proxy_parameter_mapping_and_not_found(api):
    r = httpx.get(api.origin + "/backend/a/b?q=orig&k=1", headers={"x-in": "v", "x-secret": "s"}, timeout=30)
    assert r.status_code == 201 and r.headers["x-status"] == "b2"
    seen = r.json()
    assert seen["path"] == "/a/b?k=1&q=mapped-a%2Fb" and seen["headers"]["x-added"] == "v"
    assert "x-secret" not in seen["headers"]
    r = httpx.get(api.origin.replace("127.0.0.1", "localhost") + "/nothing/here", timeout=30)
    assert r.status_code == 200  # ANY /{proxy+} catches everything here; a named stage prefix is tested in REST
