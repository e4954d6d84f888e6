"""DynamoDB access shared by the example handlers (boto3; AWS_ENDPOINT_URL points it at moto_server locally).

Tables are named after the stage variable ``env`` (``products-dev``...) and created on first use, so a
fresh moto_server needs no setup. Items use DynamoDB's typed attributes so that the API's own DynamoDB
integration (GET /products/{productId}) reads the same items.
"""
from __future__ import annotations

import base64
import json
import os
from decimal import Decimal

import boto3
from botocore.exceptions import ClientError

TABLE_KEYS = {"products": [("productId", "S")], "carts": [("customerId", "S")],
              "orders": [("customerId", "S"), ("orderId", "S")]}
_client = None
_ready: set[str] = set()


def client():
    global _client
    if _client is None:
        _client = boto3.client("dynamodb", region_name=os.environ.get("AWS_REGION", "eu-west-1"))
    return _client


def table(kind: str, event: dict) -> str:
    """The table for this stage, created if it does not exist yet."""
    env = (event.get("stageVariables") or {}).get("env", "dev")
    name = f"{kind}-{env}"
    if name not in _ready:
        keys = TABLE_KEYS[kind]
        try:
            client().create_table(
                TableName=name, BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[{"AttributeName": k, "AttributeType": t} for k, t in keys],
                KeySchema=[{"AttributeName": k, "KeyType": "HASH" if i == 0 else "RANGE"} for i, (k, _) in enumerate(keys)])
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ResourceInUseException":
                raise
        _ready.add(name)
    return name


def response(status: int, body=None, headers: dict | None = None) -> dict:
    out = {"statusCode": status, "headers": {"Content-Type": "application/json", **(headers or {})}}
    if body is not None:
        out["body"] = json.dumps(body, default=lambda v: float(v) if isinstance(v, Decimal) else str(v))
    return out


def error(status: int, message: str, event: dict) -> dict:
    return response(status, {"message": message, "requestId": event["requestContext"]["requestId"]})


def json_body(event: dict):
    body = event.get("body")
    if body is None:
        return None
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8")
    try:
        return json.loads(body)
    except ValueError:
        return None


def customer_id(event: dict) -> str:
    return event["requestContext"]["authorizer"]["customerId"]


def encode_token(key: dict | None) -> str | None:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode() if key else None


def decode_token(token: str | None) -> dict | None:
    if not token:
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(token.encode()))
    except ValueError:
        return None
