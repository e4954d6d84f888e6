"""Lambda handlers used by the serve tests (loaded by `apictl serve` in worker processes)."""
from __future__ import annotations

import json
import os
import time

COUNT = 0


def echo(event, context):
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"},
            "body": json.dumps({"event": event, "context": {
                "function_name": context.function_name, "aws_request_id": context.aws_request_id,
                "remaining": context.get_remaining_time_in_millis(),
                "arn": context.invoked_function_arn, "memory": context.memory_limit_in_mb}})}


def result(event, context):
    return json.loads(event["queryStringParameters"]["r"])


def boom(event, context):
    raise ValueError("boom")


def slow(event, context):
    time.sleep(5)
    return {"statusCode": 200}


def crash(event, context):
    os._exit(3)


def counter(event, context):
    global COUNT
    COUNT += 1
    return {"statusCode": 200, "body": json.dumps({"n": COUNT, "pid": os.getpid()})}


def custom(event, context):
    if event.get("fail"):
        raise Exception(event["fail"])
    return {"echo": event, "function": context.function_name}


def token_auth(event, context):
    global COUNT
    COUNT += 1
    token = event.get("authorizationToken") or (event.get("headers") or {}).get("x-token", "")
    arn = event["methodArn"]
    if token == "unauthorized":
        raise Exception("Unauthorized")
    if token == "error":
        raise ValueError("authorizer broke")
    if token == "bad-context":
        return {"principalId": "u", "policyDocument": _policy("Allow", "*"), "context": {"nested": {"a": 1}}}
    effect = "Deny" if token == "deny" else "Allow"
    resource = arn if token.startswith("first-only") else arn.split("/", 1)[0] + "/*"
    return {"principalId": f"user-{token}", "policyDocument": _policy(effect, resource),
            "context": {"user": token, "calls": COUNT, "admin": True}, "usageIdentifierKey": "authorizer-key-value"}


def simple_auth(event, context):
    token = event["headers"].get("x-token", "")
    return {"isAuthorized": token == "ok", "context": {"who": token, "list": [1, 2]}}


def _policy(effect, resource):
    return {"Version": "2012-10-17", "Statement": [{"Effect": effect, "Action": "execute-api:Invoke",
                                                    "Resource": resource}]}
