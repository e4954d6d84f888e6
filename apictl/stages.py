"""Stages from ``apictl.yaml``: which spec each stage deploys, and its settings, validated.

Setting names are API Gateway's own (as in the REST/HTTP API references and CloudFormation), so
nothing needs translating in your head:

```yaml
stages:
  dev:
    spec: specs/ecommerce.yaml            # a file, or git:REF:path
    variables: {env: dev}
    methodSettings:
      "*/*": {throttlingBurstLimit: 100, throttlingRateLimit: 50, loggingLevel: INFO, metricsEnabled: true}
  prod:
    spec: git:main:specs/ecommerce.yaml
    variables: {env: prod}
    tracingEnabled: true
    cacheClusterEnabled: true
    cacheClusterSize: "0.5"
    accessLogSettings: {destinationArn: "arn:aws:logs:eu-west-1:123456789012:log-group:shop", format: "$context.requestId $context.status"}
    methodSettings:
      "/products/GET": {cachingEnabled: true, cacheTtlInSeconds: 300}
    canarySettings: {percentTraffic: 10, stageVariableOverrides: {env: prod-canary}}
    domain: {domainName: api.example.com, endpointType: REGIONAL, securityPolicy: TLS_1_2, basePath: v1,
             regionalCertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc"}
    usagePlans:
      - name: partners
        throttle: {burstLimit: 50, rateLimit: 20}
        quota: {limit: 100000, period: MONTH}
        apiKeys: [partner-a]
```
Values are checked against the limits in the API Gateway references (stage name, variable names
and values, cache sizes, TTLs, logging levels, percentages, endpoint types, security policies).
"""
from __future__ import annotations

import re
from typing import Any

from .config import Config
from .lazy_re import lazy_compile
from .record import Value
from .source.errors import InputError

STAGE_NAME = lazy_compile(r"^[A-Za-z0-9_-]{1,128}$")
HTTP_STAGE_NAME = lazy_compile(r"^(\$default|[A-Za-z0-9_-]{1,128})$")
VARIABLE_NAME = lazy_compile(r"^[A-Za-z0-9_]{1,64}$")
VARIABLE_VALUE = lazy_compile(r"^[A-Za-z0-9\-._~:/?#&=,]{1,512}$")
CACHE_SIZES = ("0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237")
LOGGING_LEVELS = ("OFF", "ERROR", "INFO")
UNAUTHORIZED_CACHE = ("FAIL_WITH_403", "SUCCEED_WITH_RESPONSE_HEADER", "SUCCEED_WITHOUT_RESPONSE_HEADER")
ENDPOINT_TYPES = ("EDGE", "REGIONAL", "PRIVATE")
SECURITY_POLICIES = ("TLS_1_0", "TLS_1_2")
QUOTA_PERIODS = ("DAY", "WEEK", "MONTH")
METHOD_SETTING_KEY = lazy_compile(r"^(\*/\*|/.*/(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|ANY|\*))$")

METHOD_SETTING_FIELDS = {
    "metricsEnabled": bool, "loggingLevel": str, "dataTraceEnabled": bool, "throttlingBurstLimit": int,
    "throttlingRateLimit": float, "cachingEnabled": bool, "cacheTtlInSeconds": int, "cacheDataEncrypted": bool,
    "requireAuthorizationForCacheControl": bool, "unauthorizedCacheControlHeaderStrategy": str,
}
STAGE_FIELDS = {
    "spec", "api_type", "description", "variables", "tracingEnabled", "cacheClusterEnabled", "cacheClusterSize",
    "webAclArn", "clientCertificateId", "accessLogSettings", "methodSettings", "canarySettings", "domain",
    "usagePlans", "tags", "autoDeploy", "defaultRouteSettings", "routeSettings", "documentationVersion",
}


class Stage(Value):
    """One stage of apictl.yaml: its name, its spec and its validated settings."""

    _fields = ("name", "spec", "settings")

    def __init__(self, name: str, spec: str, settings: dict[str, Any] | None = None):
        self.name = name
        self.spec = spec  # a path relative to the config folder (made absolute), or git:REF:path
        self.settings = {} if settings is None else settings  # everything but spec, validated

    @property
    def variables(self) -> dict[str, str]:
        return dict(self.settings.get("variables") or {})

    @property
    def api_type(self) -> str | None:
        return self.settings.get("api_type")


def load_stages(config: Config) -> dict[str, Stage]:
    raw = config.raw.get("stages") or {}
    if not isinstance(raw, dict):
        raise config.error("stages must map stage names to settings", "stages")
    stages = {}
    for name, body in raw.items():
        stages[name] = _stage(config, str(name), body)
    return stages


def get_stage(config: Config, name: str) -> Stage:
    stages = load_stages(config)
    if name not in stages:
        known = ", ".join(sorted(stages)) or "none defined"
        where = str(config.path) if config.path else "apictl.yaml (not found)"
        raise InputError(f"unknown stage '{name}' (stages: {known})", where)
    return stages[name]


def _stage(config: Config, name: str, body: Any) -> Stage:
    keys = ("stages", name)
    if not (STAGE_NAME.match(name) or HTTP_STAGE_NAME.match(name)):
        raise config.error(f"stage name '{name}' must be 1-128 letters, digits, '-' or '_'", *keys)
    if not isinstance(body, dict):
        raise config.error(f"stage '{name}' must be a mapping of settings", *keys)
    unknown = sorted(set(body) - STAGE_FIELDS)
    if unknown:
        raise config.error(f"stage '{name}': unknown setting(s) {', '.join(unknown)}", *keys, unknown[0])
    spec = body.get("spec")
    if not isinstance(spec, str) or not spec:
        raise config.error(f"stage '{name}' needs `spec:` (a file or git:REF:path)", *keys)
    if not spec.startswith("git:"):
        spec = str((config.folder / spec))
    settings = {k: v for k, v in body.items() if k != "spec"}
    _check_settings(config, name, settings)
    return Stage(name=name, spec=spec, settings=settings)


def _check_settings(cfg: Config, name: str, s: dict) -> None:
    keys = ("stages", name)

    def fail(msg: str, *more: Any) -> InputError:
        return cfg.error(f"stage '{name}': {msg}", *keys, *more)

    if "api_type" in s and s["api_type"] not in ("rest", "http"):
        raise fail("api_type must be rest or http", "api_type")
    variables = s.get("variables") or {}
    if not isinstance(variables, dict):
        raise fail("variables must be a mapping", "variables")
    if len(variables) > 100:
        raise fail("at most 100 stage variables", "variables")
    for var, value in variables.items():
        if not VARIABLE_NAME.match(str(var)):
            raise fail(f"stage variable name '{var}' must be 1-64 letters, digits or '_'", "variables", var)
        if not isinstance(value, (str, int, float)) or isinstance(value, bool) or not VARIABLE_VALUE.match(str(value)):
            raise fail(f"stage variable '{var}': value must be 1-512 characters of A-Za-z0-9-._~:/?#&=,", "variables", var)
    s["variables"] = {str(k): str(v) for k, v in variables.items()}
    for flag in ("tracingEnabled", "cacheClusterEnabled", "autoDeploy"):
        if flag in s and not isinstance(s[flag], bool):
            raise fail(f"{flag} must be true or false", flag)
    if "cacheClusterSize" in s:
        size = str(s["cacheClusterSize"])
        if size not in CACHE_SIZES:
            raise fail(f"cacheClusterSize must be one of {', '.join(CACHE_SIZES)} (GB)", "cacheClusterSize")
        s["cacheClusterSize"] = size
    logs = s.get("accessLogSettings")
    if logs is not None:
        if not isinstance(logs, dict) or not isinstance(logs.get("destinationArn"), str):
            raise fail("accessLogSettings needs destinationArn (and format)", "accessLogSettings")
        arn = logs["destinationArn"]
        if not (arn.startswith("arn:aws") and (":logs:" in arn or ":firehose:" in arn)):
            raise fail("accessLogSettings.destinationArn must be a CloudWatch Logs group or Firehose ARN", "accessLogSettings")
        fmt = logs.get("format")
        if fmt is not None and (not isinstance(fmt, str) or "$context.requestId" not in fmt and
                                "$context.extendedRequestId" not in fmt):
            raise fail("accessLogSettings.format must include $context.requestId", "accessLogSettings")
        if isinstance(fmt, str) and (len(fmt.encode()) > 3072 or "\n" in fmt.strip()):
            raise fail("accessLogSettings.format must be one line of at most 3 KB", "accessLogSettings")
    methods = s.get("methodSettings") or {}
    if not isinstance(methods, dict):
        raise fail("methodSettings must map '{resource_path}/{METHOD}' (or '*/*') to settings", "methodSettings")
    for key, ms in methods.items():
        if not METHOD_SETTING_KEY.match(str(key)):
            raise fail(f"methodSettings key '{key}' must be '*/*' or '/resource/path/METHOD'", "methodSettings", key)
        _check_method_setting(fail, ms, ("methodSettings", key))
    canary = s.get("canarySettings")
    if canary is not None:
        if not isinstance(canary, dict):
            raise fail("canarySettings must be a mapping", "canarySettings")
        pct = canary.get("percentTraffic", 0)
        if isinstance(pct, bool) or not isinstance(pct, (int, float)) or not 0 <= pct <= 100:
            raise fail("canarySettings.percentTraffic must be a number from 0 to 100", "canarySettings")
        overrides = canary.get("stageVariableOverrides") or {}
        if not isinstance(overrides, dict):
            raise fail("canarySettings.stageVariableOverrides must be a mapping", "canarySettings")
    domain = s.get("domain")
    if domain is not None:
        if not isinstance(domain, dict) or not isinstance(domain.get("domainName"), str):
            raise fail("domain needs domainName", "domain")
        if domain.get("endpointType", "REGIONAL") not in ENDPOINT_TYPES:
            raise fail(f"domain.endpointType must be one of {', '.join(ENDPOINT_TYPES)}", "domain")
        if domain.get("securityPolicy", "TLS_1_2") not in SECURITY_POLICIES and not str(
                domain.get("securityPolicy", "")).startswith("SecurityPolicy_"):
            raise fail("domain.securityPolicy must be TLS_1_0, TLS_1_2 or a SecurityPolicy_* name", "domain")
        base = domain.get("basePath")
        if base is not None and (not isinstance(base, str) or not re.match(r"^[A-Za-z0-9$\-_.+!*'()/]{0,300}$", base)):
            raise fail("domain.basePath may use letters, digits and $-_.+!*'()/ (at most 300)", "domain")
    plans = s.get("usagePlans") or []
    if not isinstance(plans, list):
        raise fail("usagePlans must be a list", "usagePlans")
    for i, plan in enumerate(plans):
        if not isinstance(plan, dict) or not isinstance(plan.get("name"), str):
            raise fail("each usage plan needs a name", "usagePlans", i)
        quota = plan.get("quota")
        if quota is not None and (not isinstance(quota, dict) or quota.get("period") not in QUOTA_PERIODS
                                  or not isinstance(quota.get("limit"), int) or quota["limit"] < 0):
            raise fail(f"usage plan '{plan['name']}': quota needs limit (>= 0) and period DAY, WEEK or MONTH",
                       "usagePlans", i)
        throttle = plan.get("throttle")
        if throttle is not None:
            if not isinstance(throttle, dict):
                raise fail(f"usage plan '{plan['name']}': throttle must be a mapping", "usagePlans", i)
            for k in ("burstLimit", "rateLimit"):
                v = throttle.get(k)
                if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0):
                    raise fail(f"usage plan '{plan['name']}': throttle.{k} must be a number >= 0", "usagePlans", i)
        keys_list = plan.get("apiKeys") or []
        if not isinstance(keys_list, list) or not all(isinstance(k, str) and 0 < len(k) <= 1024 for k in keys_list):
            raise fail(f"usage plan '{plan['name']}': apiKeys must be a list of key names", "usagePlans", i)
    tags = s.get("tags") or {}
    if not isinstance(tags, dict) or len(tags) > 50:
        raise fail("tags must be a mapping of at most 50 entries", "tags")


def _check_method_setting(fail, ms: Any, where: tuple) -> None:
    if not isinstance(ms, dict):
        raise fail("each method setting must be a mapping", *where)
    for field_name, value in ms.items():
        expected = METHOD_SETTING_FIELDS.get(field_name)
        if expected is None:
            raise fail(f"unknown method setting '{field_name}' (known: {', '.join(METHOD_SETTING_FIELDS)})", *where)
        ok = isinstance(value, bool) if expected is bool else (
            not isinstance(value, bool) and isinstance(value, (int, float) if expected is float else expected))
        if not ok:
            raise fail(f"{field_name} must be a {expected.__name__}", *where)
    if ms.get("loggingLevel", "OFF") not in LOGGING_LEVELS:
        raise fail(f"loggingLevel must be one of {', '.join(LOGGING_LEVELS)}", *where)
    ttl = ms.get("cacheTtlInSeconds", 300)
    if not 0 <= ttl <= 3600:
        raise fail("cacheTtlInSeconds must be 0-3600", *where)
    for k in ("throttlingBurstLimit", "throttlingRateLimit"):
        if ms.get(k, 0) < 0:
            raise fail(f"{k} must be >= 0", *where)
    if ms.get("unauthorizedCacheControlHeaderStrategy", UNAUTHORIZED_CACHE[0]) not in UNAUTHORIZED_CACHE:
        raise fail(f"unauthorizedCacheControlHeaderStrategy must be one of {', '.join(UNAUTHORIZED_CACHE)}", *where)
