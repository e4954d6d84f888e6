"""The one table of errors API Gateway itself answers with (gateway-runtime.md sections 5.1 and 5.3).

REST errors are *gateway responses*: a type with a default status, message and ``x-amzn-ErrorType``,
rendered through the API's ``x-amazon-apigateway-gateway-responses`` (see ``gateway_responses.py``).
HTTP APIs have fixed bodies. A few REST failures are not gateway responses but fixed bodies of their
own (the Lambda proxy 502 and the integration-side 500, both ``{"message": "Internal server error"}``
*with* a space, 36 bytes, as recorded).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GatewayError:
    type: str  # the gateway response type (REST), e.g. MISSING_AUTHENTICATION_TOKEN
    status: int | None  # None for DEFAULT_4XX / DEFAULT_5XX
    message: str | None  # $context.error.message; None renders as JSON null
    error_type: str | None  # the x-amzn-ErrorType header
    body_key: str = "message"  # ACCESS_DENIED answers {"Message": ...}


REST_ERRORS = {e.type: e for e in (
    GatewayError("ACCESS_DENIED", 403, "User is not authorized to access this resource", "AccessDeniedException",
                 "Message"),
    GatewayError("API_CONFIGURATION_ERROR", 500, "Internal server error", "InternalServerErrorException"),
    GatewayError("AUTHORIZER_CONFIGURATION_ERROR", 500, None, "AuthorizerConfigurationException"),
    GatewayError("AUTHORIZER_FAILURE", 500, "Internal server error", "AuthorizerFailureException"),
    GatewayError("BAD_REQUEST_PARAMETERS", 400, "Missing required request parameters", "BadRequestException"),
    GatewayError("BAD_REQUEST_BODY", 400, "Invalid request body", "BadRequestException"),
    GatewayError("DEFAULT_4XX", None, None, None),
    GatewayError("DEFAULT_5XX", None, None, None),
    GatewayError("EXPIRED_TOKEN", 403, "Signature expired", "ExpiredTokenException"),
    GatewayError("INTEGRATION_FAILURE", 500, "Internal server error", "InternalServerErrorException"),
    GatewayError("INTEGRATION_TIMEOUT", 504, "Endpoint request timed out", "InternalServerErrorException"),
    GatewayError("INVALID_API_KEY", 403, "Forbidden", "ForbiddenException"),
    GatewayError("INVALID_SIGNATURE", 403, "The request signature we calculated does not match the signature you "
                 "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation "
                 "for details.", "InvalidSignatureException"),
    GatewayError("MISSING_AUTHENTICATION_TOKEN", 403, "Missing Authentication Token",
                 "MissingAuthenticationTokenException"),
    GatewayError("QUOTA_EXCEEDED", 429, "Limit Exceeded", "LimitExceededException"),
    GatewayError("REQUEST_TOO_LARGE", 413, "Request Too Long", "RequestTooLargeException"),
    GatewayError("RESOURCE_NOT_FOUND", 404, "Not Found", "ResourceNotFoundException"),
    GatewayError("THROTTLED", 429, "Too Many Requests", "TooManyRequestsException"),
    GatewayError("UNAUTHORIZED", 401, "Unauthorized", "UnauthorizedException"),
    GatewayError("UNSUPPORTED_MEDIA_TYPE", 415, "Unsupported Media Type", "BadRequestException"),
    GatewayError("WAF_FILTERED", 403, "Forbidden", "WAFFilteredException"),
)}

# Failures that REST answers with a fixed body outside the gateway-response machinery (5.1, 9.4).
REST_LAMBDA_PROXY_ERROR = (502, b'{"message": "Internal server error"}')
REST_INTEGRATION_ERROR = (500, b'{"message": "Internal server error"}')
REST_UNKNOWN_STAGE = (403, b'{"message":"Forbidden"}')

# HTTP APIs: fixed bodies, no customisation (5.3).
HTTP_ERRORS = {
    "NOT_FOUND": (404, b'{"message":"Not Found"}'),
    "UNAUTHORIZED": (401, b'{"message":"Unauthorized"}'),
    "FORBIDDEN": (403, b'{"message":"Forbidden"}'),
    "THROTTLED": (429, b'{"message":"Too Many Requests"}'),
    "INTERNAL": (500, b'{"message":"Internal Server Error"}'),
    "TIMEOUT": (503, b'{"message":"Service Unavailable"}'),
    "TOO_LARGE": (413, b'{"message":"Request Entity Too Large"}'),
}
# The gateway response type each HTTP API failure corresponds to (for $context.error.responseType in logs).
HTTP_ERROR_FOR_TYPE = {
    "MISSING_AUTHENTICATION_TOKEN": "NOT_FOUND", "RESOURCE_NOT_FOUND": "NOT_FOUND",
    "UNAUTHORIZED": "UNAUTHORIZED", "ACCESS_DENIED": "FORBIDDEN", "INVALID_SIGNATURE": "FORBIDDEN",
    "EXPIRED_TOKEN": "FORBIDDEN", "INVALID_API_KEY": "FORBIDDEN", "THROTTLED": "THROTTLED",
    "QUOTA_EXCEEDED": "THROTTLED", "INTEGRATION_TIMEOUT": "TIMEOUT", "REQUEST_TOO_LARGE": "TOO_LARGE",
}

MAX_PAYLOAD_BYTES = 10 * 1024 * 1024
REST_DEFAULT_TIMEOUT_MS = 29000
HTTP_DEFAULT_TIMEOUT_MS = 30000
HTTP_AUTHORIZER_TIMEOUT_MS = 10000


class GatewayFailure(Exception):
    """Raised anywhere in request processing; the app turns it into the gateway's answer.

    ``type`` names a REST gateway response type (also used to pick the HTTP API body); ``fixed``
    overrides with a (status, body) that does not go through gateway responses; ``log`` is what the
    emulator prints about the cause (a VTL error, a handler traceback...)."""

    def __init__(self, type: str, *, message: str | None = None, fixed: tuple[int, bytes] | None = None,
                 log: str = "", headers: dict[str, str] | None = None, validation_error: str = ""):
        super().__init__(type)
        self.type = type
        self.message = message
        self.fixed = fixed
        self.log = log
        self.headers = headers or {}
        self.validation_error = validation_error
