"""Authorization of a routed request by the method's authorizer (IAM, Lambda, Cognito, JWT)."""
from __future__ import annotations

from typing import Any

from ..request import GatewayRequest


async def authorize(gw: Any, req: GatewayRequest) -> None:
    method = req.method_def
    auth = method.authorizer
    if auth is None:
        return
    if auth.type == "iam":
        from .iam import authorize as iam

        iam(gw, req)
    elif auth.type in ("token", "request"):
        from .lambda_auth import authorize_http, authorize_rest

        await (authorize_rest(gw, req, auth) if gw.definition.is_rest else authorize_http(gw, req, auth))
    elif auth.type in ("cognito_user_pools", "jwt"):
        from .jwt_auth import authorize as jwt_authorize

        await jwt_authorize(gw, req, auth, method.scopes)
