"""One access-log line per request in the stage's ``accessLogSettings.format`` (``$context`` variables
only; a missing value prints ``-``), gateway-runtime.md 19."""
from __future__ import annotations

import json
import re
from typing import Any

from .context import lookup

VARIABLE = re.compile(r"\$(?:\{context\.([A-Za-z0-9_.\-]+)\}|context\.([A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)*))")
REST_DEFAULT = ('$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.resourcePath '
                '$context.protocol" $context.status $context.responseLength $context.requestId')
HTTP_DEFAULT = ('$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.routeKey '
                '$context.protocol" $context.status $context.responseLength $context.requestId')


def log_format(definition: Any) -> str:
    settings = definition.stage_settings.get("accessLogSettings") or {}
    fmt = settings.get("format") if isinstance(settings, dict) else None
    if isinstance(fmt, str) and fmt.strip():
        return fmt.strip()
    return REST_DEFAULT if definition.is_rest else HTTP_DEFAULT


def render_line(fmt: str, ctx: dict) -> str:
    def replace(m: re.Match) -> str:
        value = lookup(ctx, m.group(1) or m.group(2))
        if value is None or value == "":
            return "-"
        if isinstance(value, (dict, list)):
            return json.dumps(value, separators=(",", ":"))
        return str(value)

    return VARIABLE.sub(replace, fmt)
