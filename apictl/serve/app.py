"""The gateway: one request through API Gateway's processing order (gateway-runtime.md 2 and 3),
served by aiohttp's low-level HTTP server.

REST: stage → route → authorize → API key and usage plan → stage/method throttling → request
validation → integration → response. HTTP APIs: stage → CORS preflight → route → authorize →
throttling → integration → CORS headers. Any failure becomes API Gateway's own answer.
"""
from __future__ import annotations

import asyncio
import os
import sys
import time
from typing import Any, Callable

from .access_log import log_format, render_line
from .authorizers import authorize
from .authorizers.cache import ResultCache
from .authorizers.jwt_auth import JwksStore
from .context import base_context, log_context
from .cors import decorate, preflight
from .definition import Definition
from .gateway_errors import MAX_PAYLOAD_BYTES, REST_UNKNOWN_STAGE, GatewayFailure
from .gateway_responses import http_error_response, rest_error_response
from .lambdas import LambdaRuntime
from .request import GatewayRequest, new_trace_id
from .response import Response
from .routing import Router
from .throttling import Limits
from .validation import RequestValidator


class Gateway:
    """Everything a request needs; replaced as a whole when ``--watch`` reloads the definition."""

    def __init__(self, definition: Definition, *, port: int = 0, access_log: Callable[[str], None] | None = None,
                 log: Callable[[str], None] | None = None):
        self.definition = definition
        self.router = Router(definition)
        self.validator = RequestValidator(definition)
        self.limits = Limits(definition)
        self.auth_cache = ResultCache()
        self.jwks = JwksStore()
        env = {}
        if definition.settings.aws_endpoint:  # a local endpoint: handlers' AWS SDKs go there, with dummy keys
            env["AWS_ENDPOINT_URL"] = definition.settings.aws_endpoint
            if not os.environ.get("AWS_ACCESS_KEY_ID"):
                env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
        self.lambdas = LambdaRuntime(definition.settings.handlers, env, definition.region, definition.account_id)
        self.port = port
        self.access_log_format = log_format(definition)
        self._access_log = access_log
        self._log = log or (lambda text: sys.stderr.write(f"apictl serve: {text}\n"))
        self._session: Any = None
        self._tasks: set[asyncio.Task] = set()

    # services used by the integrations -------------------------------------------------------------
    def log(self, text: str) -> None:
        self._log(text)

    async def http_session(self) -> Any:
        if self._session is None or self._session.closed:
            import aiohttp

            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64, ssl=None),
                                                  auto_decompress=True, skip_auto_headers=("User-Agent",))
        return self._session

    def background(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def warm(self) -> list[str]:
        """Start one worker per Python function now; returns the init errors (as log lines)."""
        keys = {m.lambda_target.handler_key for m in self.definition.methods if m.lambda_target}
        keys |= {a.function.handler_key for a in self.definition.authorizers.values() if a.function}
        notes = []
        for key in sorted(keys):
            error = await self.lambdas.warm(key)
            if error:
                notes.append(f"handler for {key} failed to start: {error.get('errorType')}: {error.get('errorMessage')}")
        return notes

    async def close(self) -> None:
        await self.lambdas.close()
        for task in list(self._tasks):
            task.cancel()
        if self._session is not None:
            await self._session.close()

    # request processing ----------------------------------------------------------------------------
    async def handle(self, req: GatewayRequest) -> Response:
        started = time.monotonic()
        incoming = req.header("x-amzn-trace-id")
        if incoming and "Root=" in incoming:
            req.trace_header = incoming if "Parent=" in incoming else f"{incoming};Parent={os.urandom(8).hex()}"
        else:
            req.trace_header = f"{new_trace_id(req.started)};Parent={os.urandom(8).hex()};Sampled=0"
        d = self.definition
        if not d.is_rest:  # HTTP APIs have one id: $context.requestId = apigw-requestid
            req.request_id = req.extended_request_id
        try:
            resp = await (self._rest(req) if d.is_rest else self._http(req))
        except GatewayFailure as failure:
            resp = self._error(req, failure)
        except Exception as exc:  # noqa: BLE001 - an emulator bug must still answer like the gateway
            import traceback

            self.log("internal error:\n" + traceback.format_exc())
            resp = self._error(req, GatewayFailure("API_CONFIGURATION_ERROR", log=f"{type(exc).__name__}: {exc}"))
        self._finish(req, resp)
        req.status = resp.status
        req.response_length = len(resp.body)
        if self._access_log is not None:
            ctx = log_context(req, d, int((time.monotonic() - started) * 1000))
            self._access_log(render_line(self.access_log_format, ctx))
        return resp

    def _error(self, req: GatewayRequest, failure: GatewayFailure) -> Response:
        req.error_type = failure.type
        if failure.log:
            self.log(f"{req.method} {req.raw_path} ({req.request_id}): {failure.type}: {failure.log}")
        if self.definition.is_rest:
            ctx = base_context(req, self.definition)
            resp = rest_error_response(self.definition, failure, req, ctx)
            req.error_message = (failure.message or "") if failure.fixed is None else "Internal server error"
            if not req.error_message:
                from .gateway_errors import REST_ERRORS

                kind = REST_ERRORS.get(failure.type)
                req.error_message = (kind.message or "") if kind else ""
            return resp
        resp = http_error_response(failure)
        req.error_message = resp.body.decode("utf-8", errors="replace")
        return resp

    def _finish(self, req: GatewayRequest, resp: Response) -> None:
        if self.definition.is_rest:
            resp.headers.append(("x-amzn-RequestId", req.request_id))
            resp.headers.append(("x-amz-apigw-id", req.extended_request_id))
            if resp.trace and not resp.is_error:
                resp.headers.append(("X-Amzn-Trace-Id", req.trace_header))
        else:
            if self.definition.cors is not None and not resp.preflight:
                decorate(self.definition.cors, req, resp)
            resp.headers.append(("apigw-requestid", req.extended_request_id))
        if not any(n.lower() == "content-type" for n, _ in resp.headers) and resp.status != 204:
            resp.headers.append(("Content-Type", "application/json"))

    async def _rest(self, req: GatewayRequest) -> Response:
        d = self.definition
        split = self.router.split_stage(req.raw_path)
        if not split.ok:
            if split.context_path.startswith(f"/{d.stage}") and split.context_path.rstrip("/") == f"/{d.stage}":
                raise GatewayFailure("MISSING_AUTHENTICATION_TOKEN")
            raise GatewayFailure("FORBIDDEN_STAGE", fixed=REST_UNKNOWN_STAGE, log=f"no stage in {req.raw_path}")
        req.stage_path, req.context_path = split.rest, split.context_path
        if len(req.body) > MAX_PAYLOAD_BYTES:
            raise GatewayFailure("REQUEST_TOO_LARGE", message=f"HTTP content length exceeded {MAX_PAYLOAD_BYTES} bytes")
        match = self.router.route(split.rest, req.method)
        if match is None:
            raise GatewayFailure("MISSING_AUTHENTICATION_TOKEN")
        req.method_def, req.path_parameters = match.method, match.path_parameters
        await authorize(self, req)
        self.limits.check_api_key(req)
        self.limits.check_throttle(req)
        self.validator.check(req)
        return await self._integrate(req)

    async def _http(self, req: GatewayRequest) -> Response:
        d = self.definition
        split = self.router.split_stage(req.raw_path)
        if not split.ok:
            raise GatewayFailure("RESOURCE_NOT_FOUND")
        req.stage_path, req.context_path = split.rest, split.context_path
        if d.cors is not None:
            answer = preflight(d.cors, req)
            if answer is not None:
                return answer
        if len(req.body) > MAX_PAYLOAD_BYTES:
            raise GatewayFailure("REQUEST_TOO_LARGE")
        match = self.router.route(split.rest, req.method)
        if match is None:
            raise GatewayFailure("RESOURCE_NOT_FOUND")
        req.method_def, req.path_parameters = match.method, match.path_parameters
        await authorize(self, req)
        self.limits.check_throttle(req)
        return await self._integrate(req)

    async def _integrate(self, req: GatewayRequest) -> Response:
        method = req.method_def
        integration = method.integration
        ctx = base_context(req, self.definition)
        kind = method.type
        started = time.monotonic()
        try:
            if kind == "mock":
                from .integrations.mock import invoke

                return await invoke(self, req, integration, ctx)
            if kind in ("aws_proxy", "aws") and method.lambda_target is not None:
                from .integrations import lambda_function

                if kind == "aws_proxy":
                    return await lambda_function.invoke_proxy(self, req, integration, ctx)
                return await lambda_function.invoke_custom(self, req, integration, ctx)
            if kind == "aws_proxy":
                from .integrations.aws_service import invoke_subtype

                return await invoke_subtype(self, req, integration, ctx)
            if kind == "aws":
                from .integrations.aws_service import invoke_rest

                return await invoke_rest(self, req, integration, ctx)
            from .integrations import http

            if not self.definition.is_rest:
                return await http.invoke_http_api(self, req, integration, ctx)
            return await http.invoke_rest(self, req, integration, ctx, proxy=kind == "http_proxy")
        finally:
            if req.integration_latency == "-":
                req.integration_latency = str(int((time.monotonic() - started) * 1000))


async def read_request(request: Any) -> GatewayRequest:
    """An aiohttp request as a GatewayRequest (headers keep the client's casing)."""
    raw = request.raw_path
    path, _, query = raw.partition("?")
    headers = [(k.decode("latin-1"), v.decode("utf-8", errors="replace")) for k, v in request.raw_headers]
    chunks = []
    size = 0
    while True:
        chunk = await request.content.read(65536)
        if not chunk:
            break
        size += len(chunk)
        if size > MAX_PAYLOAD_BYTES + 1:
            chunks.append(chunk[: max(0, MAX_PAYLOAD_BYTES + 1 - (size - len(chunk)))])
            break
        chunks.append(chunk)
    peer = request.transport.get_extra_info("peername") if request.transport else None
    version = request.version
    return GatewayRequest(method=request.method.upper(), raw_path=path or "/", raw_query=query, headers=headers,
                          body=b"".join(chunks), source_ip=peer[0] if peer else "127.0.0.1",
                          protocol=f"HTTP/{version.major}.{version.minor}")
