"""boto3 clients for deploy, refresh, import and remote state, configured so that no call that
creates something is ever repeated blindly.

Two clients per service: ``read`` retries (botocore's standard mode) and serves every idempotent
call: reads, put-rest-api in overwrite mode, update patches that replace values, deletes (whose
"not found" means done). ``once`` never retries: it serves the calls that create something, which
apictl wraps in its own guarded retry (:mod:`.apply.base`): after a failure it first looks the
resource up by its identity tags, and only creates again when nothing is there.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Iterator

from ..source.errors import InputError

READ_ATTEMPTS = 5
CONNECT_TIMEOUT = 10
READ_TIMEOUT = 60
THROTTLING = {"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded",
              "ProvisionedThroughputExceededException", "SlowDown", "ServiceUnavailable", "InternalFailure",
              "InternalServerError", "RequestTimeout", "RequestTimeoutException"}
NOT_FOUND = {"NotFoundException", "ResourceNotFoundException", "NoSuchKey", "NoSuchEntity"}


def need_boto3() -> Any:
    try:
        import boto3
    except ImportError:
        raise InputError("this command needs boto3: pip install 'apictl[deploy]'") from None
    return boto3


def resolve_region(region: str | None) -> str:
    boto3 = need_boto3()
    region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") \
        or boto3.session.Session().region_name
    if not region:
        raise InputError("no AWS region: pass --region or set AWS_REGION")
    return region


@dataclass
class Clients:
    read: Any  # retries: idempotent calls only
    once: Any  # never retries: calls that create (guarded by a lookup)


def make_clients(service: str, region: str, endpoint_url: str | None = None) -> Clients:
    boto3 = need_boto3()
    from botocore.config import Config

    common = {"connect_timeout": CONNECT_TIMEOUT, "read_timeout": READ_TIMEOUT,
              "user_agent_extra": "apictl"}
    session = boto3.session.Session()
    read = session.client(service, region_name=region, endpoint_url=endpoint_url, config=Config(
        retries=read_retries(), **common))
    once = session.client(service, region_name=region, endpoint_url=endpoint_url, config=Config(
        retries={"mode": "standard", "total_max_attempts": 1}, **common))
    return Clients(read=read, once=once)


def read_retries() -> dict:
    """botocore's retry settings for idempotent calls: standard mode, READ_ATTEMPTS attempts, unless
    the user's AWS_RETRY_MODE / AWS_MAX_ATTEMPTS say otherwise (as they would for any AWS tool)."""
    attempts = os.environ.get("AWS_MAX_ATTEMPTS", "")
    return {"mode": os.environ.get("AWS_RETRY_MODE") or "standard",
            "max_attempts": int(attempts) if attempts.isdigit() and int(attempts) > 0 else READ_ATTEMPTS}


def error_code(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def http_status(exc: BaseException) -> int:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return int(response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
    return 0


def is_transient(exc: BaseException) -> bool:
    """A failure after which the call may or may not have taken effect, and trying again may work:
    a lost or cut connection, a timeout, a 5xx answer, throttling."""
    from botocore.exceptions import ConnectionError as BotoConnectionError
    from botocore.exceptions import HTTPClientError

    if isinstance(exc, (BotoConnectionError, HTTPClientError)):
        return True
    return http_status(exc) >= 500 or error_code(exc) in THROTTLING


def is_not_found(exc: BaseException) -> bool:
    return error_code(exc) in NOT_FOUND or (http_status(exc) == 404 and not is_transient(exc))


def is_conflict(exc: BaseException) -> bool:
    return error_code(exc) in ("ConflictException", "ConditionalCheckFailedException") or http_status(exc) == 409


def is_credentials_error(exc: BaseException) -> bool:
    from botocore.exceptions import NoCredentialsError, NoRegionError, PartialCredentialsError

    return isinstance(exc, (NoCredentialsError, NoRegionError, PartialCredentialsError)) or error_code(exc) in (
        "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException",
        "InvalidClientTokenId", "AccessDeniedException", "AccessDenied")


def aws_errors() -> tuple[type[BaseException], ...]:
    """The exceptions an AWS call raises (for ``except``)."""
    import botocore.exceptions as e

    return (e.BotoCoreError, e.ClientError)


def describe(exc: BaseException) -> str:
    """One line for an AWS error: the code and message, without botocore's retry chatter."""
    code = error_code(exc)
    response = getattr(exc, "response", None)
    if code and isinstance(response, dict):
        message = str(response.get("Error", {}).get("Message") or "").strip()
        if not message or message.startswith("<"):
            message = f"HTTP {http_status(exc)}"
        return f"{code}: {message.splitlines()[0][:300]}"
    return str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__


def get_or_none(call: Any, **kwargs: Any) -> Any:
    """The answer of a read, or None when the resource does not exist; other errors propagate."""
    try:
        return call(**kwargs)
    except aws_errors() as exc:
        if is_not_found(exc):
            return None
        raise


def pages(client: Any, operation: str, items: str, **kwargs: Any) -> Iterator[dict]:
    """Every item of a paginated list call: ``items``/``position`` (apigateway), ``Items``/``NextToken``
    (apigatewayv2)."""
    token_name = "NextToken" if items == "Items" else "position"
    call = getattr(client, operation)
    while True:
        page = call(**kwargs)
        yield from page.get(items) or []
        token = page.get(token_name)
        if not token or token == kwargs.get(token_name):
            return
        kwargs[token_name] = token
