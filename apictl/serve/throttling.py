"""API keys, usage plans (per-key token-bucket throttling and quotas) and stage/method/route
throttling (gateway-runtime.md 7; HTTP APIs: route settings only)."""
from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field
from typing import Any

from .gateway_errors import GatewayFailure
from .request import GatewayRequest


@dataclass
class TokenBucket:
    rate: float  # tokens per second
    burst: float
    tokens: float = -1.0
    updated: float = field(default_factory=time.monotonic)

    def take(self) -> bool:
        now = time.monotonic()
        if self.tokens < 0:
            self.tokens = self.burst
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


@dataclass
class UsagePlan:
    name: str
    throttle: dict | None
    quota: dict | None


def _period_start(period: str, now: datetime.datetime) -> str:
    if period == "DAY":
        return now.strftime("%Y-%m-%d")
    if period == "WEEK":
        return now.strftime("%G-W%V")
    return now.strftime("%Y-%m")


class Limits:
    def __init__(self, definition: Any):
        self.definition = definition
        settings = definition.stage_settings
        self.keys: dict[str, tuple[str, UsagePlan]] = {}  # key value -> (key name, plan)
        for plan in settings.get("usagePlans") or []:
            usage_plan = UsagePlan(str(plan.get("name")), plan.get("throttle"), plan.get("quota"))
            for key_name in plan.get("apiKeys") or []:
                value = definition.settings.api_keys.get(key_name, key_name)
                self.keys[value] = (key_name, usage_plan)
        self.key_buckets: dict[str, TokenBucket] = {}
        self.quota_used: dict[tuple[str, str], int] = {}
        self.method_buckets: dict[str, TokenBucket | None] = {}

    def check_api_key(self, req: GatewayRequest) -> None:
        method = req.method_def
        if not method.api_key_required:
            return
        if self.definition.api_key_source == "AUTHORIZER":
            value = req.usage_identifier_key
        else:
            value = req.header("x-api-key")
        entry = self.keys.get(value or "")
        if not value or entry is None:
            raise GatewayFailure("INVALID_API_KEY", log="API key missing or not in a usage plan of this stage")
        key_name, plan = entry
        req.identity["apiKey"] = value
        req.identity["apiKeyId"] = key_name
        if plan.throttle:
            bucket = self.key_buckets.get(value)
            if bucket is None:
                bucket = self.key_buckets[value] = TokenBucket(float(plan.throttle.get("rateLimit", 0) or 0),
                                                               float(plan.throttle.get("burstLimit", 0) or 0))
            if not bucket.take():
                raise GatewayFailure("THROTTLED", log=f"usage plan {plan.name}: key {key_name} over its rate")
        if plan.quota:
            period = _period_start(str(plan.quota.get("period", "MONTH")),
                                   datetime.datetime.now(datetime.timezone.utc))
            slot = (value, period)
            used = self.quota_used.get(slot, 0)
            if used >= int(plan.quota.get("limit", 0)):
                raise GatewayFailure("QUOTA_EXCEEDED", log=f"usage plan {plan.name}: key {key_name} quota exhausted")
            self.quota_used[slot] = used + 1

    def _method_bucket(self, req: GatewayRequest) -> TokenBucket | None:
        method = req.method_def
        key = method.route_key if not self.definition.is_rest else f"{method.resource_path}/{method.http_method}"
        if key in self.method_buckets:
            return self.method_buckets[key]
        settings = self.definition.stage_settings
        rate = burst = None
        if self.definition.is_rest:
            table = settings.get("methodSettings") or {}
            for candidate in (key, f"{method.resource_path}/*", "*/*"):
                entry = table.get(candidate)
                if isinstance(entry, dict) and ("throttlingRateLimit" in entry or "throttlingBurstLimit" in entry):
                    rate, burst = entry.get("throttlingRateLimit"), entry.get("throttlingBurstLimit")
                    break
        else:
            entry = (settings.get("routeSettings") or {}).get(method.route_key) or settings.get("defaultRouteSettings")
            if isinstance(entry, dict):
                rate = entry.get("throttlingRateLimit", entry.get("ThrottlingRateLimit"))
                burst = entry.get("throttlingBurstLimit", entry.get("ThrottlingBurstLimit"))
        bucket = None
        if rate is not None or burst is not None:
            bucket = TokenBucket(float(rate if rate is not None else 10000), float(burst if burst is not None else 5000))
        self.method_buckets[key] = bucket
        return bucket

    def check_throttle(self, req: GatewayRequest) -> None:
        bucket = self._method_bucket(req)
        if bucket is not None and not bucket.take():
            raise GatewayFailure("THROTTLED", log=f"stage throttling on {req.method_def.route_key}")
