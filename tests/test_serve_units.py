"""Small units of apictl serve: IAM policy wildcards, SigV4 sign/verify against botocore, HTTP API route
priority, the parameter-mapping sources."""
from __future__ import annotations

import datetime

import pytest

from apictl.serve.authorizers.policy import MalformedPolicy, evaluate
from apictl.serve.sigv4 import SignatureError, sign, verify

ARN = "arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/GET/pets/7"


def policy(effect: str, resource, action="execute-api:Invoke") -> dict:
    return {"Version": "2012-10-17", "Statement": [{"Effect": effect, "Action": action, "Resource": resource}]}


@pytest.mark.parametrize("resource,allowed", [
    ("arn:aws:execute-api:*:*:*", True), ("arn:aws:execute-api:eu-west-1:123456789012:abc123/*", True),
    ("arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/GET/pets/*", True),
    ("arn:aws:execute-api:eu-west-1:123456789012:abc123/*/GET/pets/?", True),
    ("arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/*", False),
    ("arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/get/pets/7", False),  # case-sensitive
    (["arn:aws:execute-api:eu-west-1:123456789012:other/*", ARN], True),
])
def test_policy_resources_use_iam_wildcards(resource, allowed):
    assert evaluate(policy("Allow", resource), ARN) is allowed


def test_explicit_deny_wins_and_malformed_policies_are_errors():
    doc = policy("Allow", "*")
    doc["Statement"].append({"Effect": "Deny", "Action": "execute-api:*", "Resource": ARN})
    assert evaluate(doc, ARN) is False
    assert evaluate(policy("Allow", "*", action="s3:GetObject"), ARN) is False
    for bad in (None, {"Statement": "x"}, policy("Maybe", "*")):
        with pytest.raises(MalformedPolicy):
            evaluate(bad, ARN)


def test_sigv4_matches_botocore_and_verifies():
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    now = datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.timezone.utc)
    url = "https://abc.execute-api.eu-west-1.amazonaws.com/dev/pets/a%20b?x=1&a=2"
    ours = sign("POST", url, {"Content-Type": "application/json"}, b'{"a":1}', service="execute-api",
                region="eu-west-1", access_key="AKID", secret_key="secret", session_token="tok", now=now)
    from unittest import mock

    pinned = AWSRequest(method="POST", url=url, data=b'{"a":1}', headers={"Content-Type": "application/json"})
    with mock.patch("botocore.auth.get_current_datetime", lambda: now.replace(tzinfo=None)):
        SigV4Auth(Credentials("AKID", "secret", "tok"), "execute-api", "eu-west-1").add_auth(pinned)
    assert ours["Authorization"] == pinned.headers["Authorization"]  # same signature as botocore's
    request = AWSRequest(method="POST", url=url, data=b'{"a":1}', headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials("AKID", "secret", "tok"), "execute-api", "eu-west-1").add_auth(request)
    botocore_headers = [(k, v) for k, v in request.headers.items()] + [("Host", "abc.execute-api.eu-west-1.amazonaws.com")]
    assert verify("POST", "/dev/pets/a%20b", "x=1&a=2", botocore_headers, b'{"a":1}', {"AKID": "secret"})
    headers = list(ours.items())
    verified = verify("POST", "/dev/pets/a%20b", "x=1&a=2", headers, b'{"a":1}', {"AKID": "secret"}, now=now)
    assert verified.access_key == "AKID"
    with pytest.raises(SignatureError) as info:
        verify("POST", "/dev/pets/a%20b", "x=1&a=2", headers, b'{"a":2}', {"AKID": "secret"}, now=now)
    assert info.value.type == "INVALID_SIGNATURE"
    with pytest.raises(SignatureError) as info:
        verify("POST", "/dev/pets/a%20b", "x=1&a=2", headers, b'{"a":1}', {"AKID": "secret"},
               now=now + datetime.timedelta(minutes=20))
    assert info.value.type == "EXPIRED_TOKEN"
    with pytest.raises(SignatureError) as info:
        verify("GET", "/", "", [], b"", {"AKID": "secret"})
    assert info.value.type == "MISSING_AUTHENTICATION_TOKEN"


def test_http_api_full_match_beats_a_more_literal_greedy_route(tmp_path):
    import json

    from apictl.model.api import build_api
    from apictl.serve.definition import build_definition
    from apictl.serve.routing import Router
    from apictl.serve.settings import ServeSettings
    from apictl.source import open_spec

    def route():
        return {"get": {"responses": {"200": {"description": "ok"}}, "x-amazon-apigateway-integration": {
            "type": "http_proxy", "httpMethod": "GET", "uri": "http://127.0.0.1:9/x", "payloadFormatVersion": "1.0"}}}

    spec = {"openapi": "3.0.1", "info": {"title": "t", "version": "1"},
            "paths": {"/{a}/{b}": route(), "/pets/{proxy+}": route(), "/pets/x": route()}}
    (tmp_path / "api.json").write_text(json.dumps(spec))
    api = build_api(open_spec(str(tmp_path / "api.json"))[0].workspace, "http")
    router = Router(build_definition(api, "$default", {}, ServeSettings()))
    assert router.route("/pets/x", "GET").method.resource_path == "/pets/x"
    assert router.route("/pets/y", "GET").method.resource_path == "/{a}/{b}"
    assert router.route("/pets/y/z", "GET").method.resource_path == "/pets/{proxy+}"
    assert router.route("/pets/y", "POST") is None
