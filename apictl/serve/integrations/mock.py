"""MOCK integrations (REST): the rendered request template's ``statusCode`` picks the integration
response; there is no backend body (gateway-runtime.md 11.5)."""
from __future__ import annotations

import json
import re
from typing import Any

from ..gateway_errors import REST_INTEGRATION_ERROR, GatewayFailure
from ..request import GatewayRequest
from ..response import Response
from .transform import build_request, build_response

JS_STATUS = re.compile(r"""["']?statusCode["']?\s*:\s*["']?(\d{3})\b""")


def mock_status(body: bytes) -> int:
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        return 200
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if isinstance(value, dict) and "statusCode" in value:
        try:
            return int(str(value["statusCode"]))
        except ValueError:
            pass
    m = JS_STATUS.search(text)
    if m:
        return int(m.group(1))
    raise GatewayFailure("API_CONFIGURATION_ERROR", fixed=REST_INTEGRATION_ERROR,
                         log="MOCK integration: the request template gives no statusCode")


async def invoke(gw: Any, req: GatewayRequest, integration: dict, ctx: dict) -> Response:
    request = build_request(gw, req, integration, ctx)
    status = mock_status(request.body)
    req.integration_status = str(status)
    return build_response(gw, req, integration, str(status), status, [], b"", request, ctx, trace=False)
