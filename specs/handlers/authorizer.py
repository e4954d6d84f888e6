"""customer-authorizer-{env}: the REQUEST authorizer of /cart and /orders (identity: Authorization and
X-Customer-Id). For local development it accepts the token ``dev-token`` (or ``Bearer dev-token``) for
any customer id; the policy allows every method of the stage, as a cached policy must."""
from __future__ import annotations

import os

TOKEN = os.environ.get("EXAMPLE_CUSTOMER_TOKEN", "dev-token")


def handler(event: dict, context) -> dict:
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    token = headers.get("authorization", "")
    if token.lower().startswith("bearer "):
        token = token[7:]
    customer = headers.get("x-customer-id", "")
    if token != TOKEN or not customer:
        raise Exception("Unauthorized")
    api_arn = event["methodArn"].split("/", 2)
    return {
        "principalId": customer,
        "policyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": f"{api_arn[0]}/{api_arn[1]}/*"}]},
        "context": {"customerId": customer},
    }
