"""``AWS_IAM`` methods and routes: the request's SigV4 signature, checked with the credentials given
to serve (gateway-runtime.md 8.7)."""
from __future__ import annotations

from typing import Any

from ..gateway_errors import GatewayFailure
from ..request import GatewayRequest
from ..sigv4 import SignatureError, verify


def authorize(gw: Any, req: GatewayRequest) -> None:
    definition = gw.definition
    try:
        verified = verify(req.method, req.raw_path, req.raw_query, req.headers, req.body,
                          definition.settings.credentials)
    except SignatureError as exc:
        kind = exc.type if exc.type in ("MISSING_AUTHENTICATION_TOKEN", "EXPIRED_TOKEN") else "INVALID_SIGNATURE"
        if not definition.is_rest:
            kind = "ACCESS_DENIED"  # HTTP APIs answer every IAM failure 403 {"message":"Forbidden"}
        raise GatewayFailure(kind, message=exc.message, log=f"SigV4: {exc.message}") from None
    account = definition.account_id
    user_arn = f"arn:aws:iam::{account}:user/{verified.access_key}"
    identity = {"accessKey": verified.access_key, "accountId": account, "caller": verified.access_key,
                "user": verified.access_key, "userArn": user_arn}
    if definition.is_rest:
        req.identity.update(identity)
    else:
        req.authorizer = {"iam": {"accessKey": verified.access_key, "accountId": account,
                                  "callerId": verified.access_key, "cognitoIdentity": None,
                                  "principalOrgId": None, "userArn": user_arn, "userId": verified.access_key}}
