"""Request validators (REST only, gateway-runtime.md 6): required parameters first (present and not
blank), then the body against the model of its content type; an empty body is validated as ``{}``."""
from __future__ import annotations

import json
from typing import Any

from ..model.jsonschema import InstanceValidator
from .gateway_errors import GatewayFailure
from .request import GatewayRequest


class RequestValidator:
    def __init__(self, definition: Any):
        api = definition.api
        self.validator = InstanceValidator(api.data, api.major or "3.0")

    def check(self, req: GatewayRequest) -> None:
        method = req.method_def
        if method.validate_params and method.required_params:
            missing = []
            for key in sorted(method.required_params):
                _, _, where, name = key.split(".", 3)
                if where == "header":
                    value = req.header(name)
                elif where == "querystring":
                    value = req.query_last().get(name)
                else:
                    value = req.path_parameters.get(name)
                if value is None or not value.strip():
                    missing.append(name)
            if missing:
                raise GatewayFailure("BAD_REQUEST_PARAMETERS",
                                     message=f"Missing required request parameters: [{', '.join(missing)}]")
        if method.validate_body and method.body_models:
            media = req.content_type or "application/json"
            schema = method.body_models.get(media) or method.body_models.get("*/*")
            if schema is None:
                return
            text = req.body.decode("utf-8", errors="replace").strip() or "{}"
            try:
                value = json.loads(text)
            except ValueError as exc:
                raise GatewayFailure("BAD_REQUEST_BODY", validation_error=f"[Invalid JSON: {exc}]") from None
            errors = self.validator.errors(schema, value)
            if errors:
                raise GatewayFailure("BAD_REQUEST_BODY", validation_error="[" + ", ".join(errors) + "]",
                                     log=f"request body: {'; '.join(errors)}")
