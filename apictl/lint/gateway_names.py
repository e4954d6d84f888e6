"""Names API Gateway knows in mapping expressions and templates (reference section 3.9)."""
from __future__ import annotations

# $context.X usable in mapping templates, parameter mapping (context.X) and authorizers
CONTEXT = frozenset({
    "accountId", "apiId", "awsEndpointRequestId", "deploymentId", "domainName", "domainPrefix",
    "extendedRequestId", "httpMethod", "isCanaryRequest", "path", "protocol", "requestId", "requestTime",
    "requestTimeEpoch", "resourceId", "resourcePath", "stage", "wafResponseCode", "webaclArn",
    # HTTP API / WebSocket context
    "routeKey", "connectionId", "connectedAt", "eventType", "messageId", "status",
})
CONTEXT_IDENTITY = frozenset({
    "accountId", "apiKey", "apiKeyId", "caller", "cognitoAuthenticationProvider", "cognitoAuthenticationType",
    "cognitoIdentityId", "cognitoIdentityPoolId", "principalOrgId", "sourceIp", "user", "userAgent", "userArn",
    "clientCert", "vpcId", "vpceId",
})
CLIENT_CERT = frozenset({"clientCertPem", "subjectDN", "issuerDN", "serialNumber", "validity"})
CONTEXT_ERROR = frozenset({"message", "messageString", "responseType", "validationErrorString"})
# only in access logs (section 3.9): reported with a hint when used in a template
ACCESS_LOG_ONLY = frozenset({
    "authorize", "authenticate", "customDomain", "integration", "integrationErrorMessage", "integrationLatency",
    "integrationStatus", "responseLatency", "responseLength", "waf", "xrayTraceId", "tlsVersion", "cipherSuite",
})
INPUT = frozenset({"body", "json", "params", "path"})
UTIL = frozenset({"escapeJavaScript", "parseJson", "urlEncode", "urlDecode", "base64Encode", "base64Decode"})


def context_problem(path: list[str]) -> str | None:
    """Why ``$context.<path>`` is not a known variable, or None when it is."""
    if not path:
        return None
    head = path[0]
    if head in CONTEXT:
        return None
    if head in ("authorizer", "requestOverride", "responseOverride"):
        return None  # free-form members (authorizer context map, settable overrides)
    if head == "identity":
        if len(path) == 1 or path[1] in CONTEXT_IDENTITY:
            if len(path) > 2 and path[1] == "clientCert" and path[2] not in CLIENT_CERT:
                return f"$context.identity.clientCert.{path[2]} is not a client certificate field"
            return None
        return f"$context.identity.{path[1]} is not a caller identity field"
    if head == "error":
        if len(path) == 1 or path[1] in CONTEXT_ERROR:
            return None
        return f"$context.error.{path[1]} is not an error field (message, messageString, responseType, " \
               "validationErrorString)"
    if head in ACCESS_LOG_ONLY:
        return f"$context.{head} is only available in access logs, not in mapping templates"
    return f"$context.{head} is not an API Gateway context variable"
