"""Binary media types and content handling (gateway-runtime.md 14)."""
from __future__ import annotations

import base64
import binascii

from .gateway_errors import GatewayFailure


def _matches(media: str, pattern: str) -> bool:
    pattern = pattern.strip().lower()
    if pattern == "*/*":
        return True
    if pattern.endswith("/*") and not pattern.startswith("*"):
        return media.split("/", 1)[0] == pattern[:-2]
    return media == pattern


def is_binary_request(content_type: str | None, binary_types: list[str]) -> bool:
    if not content_type or not binary_types:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return any(_matches(media, t) for t in binary_types)


def first_accept(accept: str | None) -> str | None:
    if not accept:
        return None
    return accept.split(",", 1)[0].split(";", 1)[0].strip().lower() or None


def accept_is_binary(accept: str | None, binary_types: list[str]) -> bool:
    """The first ``Accept`` type, taken literally (a wildcard on the Accept side never matches)."""
    media = first_accept(accept)
    if not media or "*" in media:
        return False
    return any(_matches(media, t) for t in binary_types)


def convert_request_body(body: bytes, content_type: str | None, binary_types: list[str],
                         handling: str | None) -> bytes:
    """The integration request payload after ``contentHandling`` (table in 14)."""
    binary = is_binary_request(content_type, binary_types)
    handling = (handling or "").upper()
    if not binary and handling == "CONVERT_TO_BINARY":
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise GatewayFailure("API_CONFIGURATION_ERROR", log="request body is not base64 (CONVERT_TO_BINARY)")
    if binary and handling == "CONVERT_TO_TEXT":
        return base64.b64encode(body)
    return body


def convert_response_body(body: bytes, response_type: str | None, accept: str | None, binary_types: list[str],
                          handling: str | None) -> bytes:
    """The method response payload after the integration response's ``contentHandling``."""
    if not binary_types and not handling:
        return body
    payload_binary = is_binary_request(response_type, binary_types)
    accept_binary = accept_is_binary(accept, binary_types)
    handling = (handling or "").upper()
    if not payload_binary:
        if handling == "CONVERT_TO_BINARY" or (accept_binary and handling != "CONVERT_TO_TEXT"):
            try:
                return base64.b64decode(body, validate=True)
            except (binascii.Error, ValueError):
                raise GatewayFailure("API_CONFIGURATION_ERROR", log="response body is not base64")
        return body
    if handling == "CONVERT_TO_TEXT" or (not accept_binary and handling != "CONVERT_TO_BINARY"):
        return base64.b64encode(body)
    return body
