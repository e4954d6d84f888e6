"""Stage settings (``apictl.yaml`` ``stages:``): variables, throttling, caching, logging, canary,
custom domain and usage plans.

Two ways to compare stages:

- ``apictl diff stage:A stage:B`` compares stage B's settings with stage A's as a change from A to B
  (what would change if A were configured like B): a domain or usage plan that B lacks is removed, ERR.
- ``apictl diff --stages SOURCE TARGET`` is a promotion: TARGET gets SOURCE's API definition and keeps its
  own settings (its domain, usage plans, throttling, variables: promotion does not touch them). The API
  changes are checked as for any two specs (breaking for TARGET's clients); the settings that differ are
  listed as ``stage-setting-differs`` (INFO). What promotion does change in TARGET is checked apart: a stage
  variable the promoted API uses that TARGET lacks (``stage-variable-undefined-in-target``, ERR) and a
  method setting of TARGET (throttling, caching) for a method the promoted API no longer has
  (``stage-method-setting-orphaned``, WARN: it stops applying).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..config import Config
from ..stages import Stage
from .checks import ERR, INFO, WARN, Change, declare
from .compare import short
from .words import setting

declare("stages", [
    ("stage-variable-added", INFO, "A stage variable was added"),
    ("stage-variable-removed", WARN, "A stage variable was removed"),
    ("stage-variable-changed", INFO, "A stage variable has another value"),
    ("stage-throttling-decreased", WARN, "A stage or method throttling limit decreased (more 429 responses)"),
    ("stage-throttling-increased", INFO, "A stage or method throttling limit increased"),
    ("stage-caching-changed", INFO, "Method caching, its TTL or the cache cluster changed"),
    ("stage-logging-changed", INFO, "Execution logging, metrics, data tracing or X-Ray tracing changed"),
    ("stage-access-logging-removed", WARN, "Access logging was switched off"),
    ("stage-access-logging-changed", INFO, "The access log destination or format changed"),
    ("stage-canary-added", INFO, "A canary deployment was configured"),
    ("stage-canary-removed", INFO, "The canary deployment was removed"),
    ("stage-canary-changed", INFO, "The canary traffic share or overrides changed"),
    ("stage-domain-added", INFO, "A custom domain was mapped to the stage"),
    ("stage-domain-removed", ERR, "The custom domain mapping was removed (callers' URLs stop working)"),
    ("stage-domain-changed", ERR, "The custom domain name or base path changed (callers' URLs change)"),
    ("stage-domain-security-policy-changed", WARN, "The domain's TLS security policy changed"),
    ("stage-usage-plan-added", INFO, "A usage plan was added"),
    ("stage-usage-plan-removed", ERR, "A usage plan was removed (its API keys stop working)"),
    ("stage-usage-plan-api-key-removed", ERR, "An API key was removed from a usage plan (its callers get 403)"),
    ("stage-usage-plan-quota-decreased", WARN, "A usage plan's quota decreased"),
    ("stage-usage-plan-throttle-decreased", WARN, "A usage plan's throttle decreased"),
    ("stage-setting-changed", INFO, "Another stage setting changed"),
    ("stage-setting-differs", INFO, "Promotion: a setting differs between the stages; the target stage keeps its own"),
    ("stage-method-setting-orphaned", WARN, "Promotion: a method setting of the target stage names a method the "
                                            "promoted API does not have (the setting stops applying)"),
])

COMPARED = {"variables", "methodSettings", "cacheClusterEnabled", "cacheClusterSize", "tracingEnabled",
            "accessLogSettings", "canarySettings", "domain", "usagePlans", "api_type"}
QUOTA_DAYS = {"DAY": 1, "WEEK": 7, "MONTH": 30}


@dataclass
class StageSides:
    base: Stage | None
    rev: Stage | None
    config: Config
    promotion: bool = False  # --stages: the revision's API goes to the base stage


class _Emitter:
    def __init__(self, sides: StageSides):
        self.sides, self.config = sides, sides.config
        self.out: list[Change] = []

    def at(self, stage: Stage, *keys: Any) -> tuple:
        where = self.config.position("stages", stage.name, *keys)
        return (_ConfigFile(self.config.path), (where[0] if where else 1,))

    def __call__(self, check_id: str, message: str, stage: Stage, *keys: Any) -> None:
        if self.sides.promotion:
            prefix = f"promoting {self.sides.rev.name} to {self.sides.base.name}"
        else:
            prefix = f"stage {self.sides.base.name} -> {self.sides.rev.name}"
        self.out.append(Change(check_id, f"{prefix}: {message}", self.at(stage, *keys)))


@dataclass
class _ConfigFile:
    """Stands in for a Document: changes to stage settings point at lines of apictl.yaml."""

    path: Path | None

    @property
    def display(self) -> str:
        return str(self.path) if self.path else "apictl.yaml"

    def position(self, pointer: tuple) -> tuple[int, int]:
        return (pointer[0] if pointer else 1, 1)


def run(ctx) -> Iterator[Change]:
    sides: StageSides | None = ctx.stages
    if sides is None or sides.base is None or sides.rev is None:
        return
    emit = _Emitter(sides)
    if sides.promotion:
        _differences(emit, sides)
        _orphaned_method_settings(emit, sides, ctx)
        yield from emit.out
        return
    a, b = sides.base.settings, sides.rev.settings
    _variables(emit, sides, a.get("variables") or {}, b.get("variables") or {})
    _method_settings(emit, sides, a.get("methodSettings") or {}, b.get("methodSettings") or {})
    for flag, check_id in (("cacheClusterEnabled", "stage-caching-changed"), ("cacheClusterSize", "stage-caching-changed"),
                           ("tracingEnabled", "stage-logging-changed")):
        if a.get(flag) != b.get(flag):
            emit(check_id, f"{flag} changed from {setting(a.get(flag))} to {setting(b.get(flag))}", sides.rev, flag)
    _access_logs(emit, sides, a.get("accessLogSettings"), b.get("accessLogSettings"))
    _canary(emit, sides, a.get("canarySettings"), b.get("canarySettings"))
    _domain(emit, sides, a.get("domain"), b.get("domain"))
    _usage_plans(emit, sides, a.get("usagePlans") or [], b.get("usagePlans") or [])
    for key in sorted((a.keys() | b.keys()) - COMPARED):
        if a.get(key) != b.get(key):
            emit("stage-setting-changed", f"{key} changed", sides.rev if key in b else sides.base, key)
    yield from emit.out


def _variables(emit: _Emitter, sides: StageSides, old: dict, new: dict) -> None:
    for name in sorted(old.keys() - new.keys()):
        emit("stage-variable-removed", f"stage variable '{name}' removed", sides.base, "variables", name)
    for name in sorted(new.keys() - old.keys()):
        emit("stage-variable-added", f"stage variable '{name}' added", sides.rev, "variables", name)
    for name in sorted(old.keys() & new.keys()):
        if old[name] != new[name]:
            emit("stage-variable-changed", f"stage variable '{name}' changed from '{old[name]}' to '{new[name]}'",
                 sides.rev, "variables", name)


def _method_settings(emit: _Emitter, sides: StageSides, old: dict, new: dict) -> None:
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key) or {}, new.get(key) or {}
        stage = sides.rev if key in new else sides.base
        for limit in ("throttlingBurstLimit", "throttlingRateLimit"):  # absent: the account-level limit
            was, now = a.get(limit), b.get(limit)
            if was == now:
                continue
            if now is not None and (was is None or now < was):
                emit("stage-throttling-decreased", f"{key} {limit} decreased from {_limit(was)} to {now}", stage,
                     "methodSettings", key)
            else:
                emit("stage-throttling-increased", f"{key} {limit} increased from {_limit(was)} to {_limit(now)}", stage,
                     "methodSettings", key)
        for field, check_id in (("cachingEnabled", "stage-caching-changed"), ("cacheTtlInSeconds", "stage-caching-changed"),
                                ("cacheDataEncrypted", "stage-caching-changed"), ("loggingLevel", "stage-logging-changed"),
                                ("metricsEnabled", "stage-logging-changed"), ("dataTraceEnabled", "stage-logging-changed")):
            if a.get(field) != b.get(field):
                emit(check_id, f"{key} {field} changed from {setting(a.get(field))} to {setting(b.get(field))}", stage,
                     "methodSettings", key)


def _limit(value: Any) -> str:
    return "the account limit" if value is None else setting(value)


def _access_logs(emit: _Emitter, sides: StageSides, old: Any, new: Any) -> None:
    if old and not new:
        emit("stage-access-logging-removed", "access logging switched off", sides.base, "accessLogSettings")
    elif old != new and new:
        emit("stage-access-logging-changed", "access log destination or format changed", sides.rev, "accessLogSettings")


def _canary(emit: _Emitter, sides: StageSides, old: Any, new: Any) -> None:
    if new and not old:
        emit("stage-canary-added", f"canary added ({new.get('percentTraffic', 0)}% of traffic)", sides.rev,
             "canarySettings")
    elif old and not new:
        emit("stage-canary-removed", "canary removed", sides.base, "canarySettings")
    elif old != new:
        emit("stage-canary-changed", f"canary changed ({old.get('percentTraffic', 0)}% -> "
                                     f"{new.get('percentTraffic', 0)}% of traffic)", sides.rev, "canarySettings")


def _domain(emit: _Emitter, sides: StageSides, old: Any, new: Any) -> None:
    if new and not old:
        emit("stage-domain-added", f"custom domain {new['domainName']} added", sides.rev, "domain")
    elif old and not new:
        emit("stage-domain-removed", f"custom domain {old['domainName']} removed", sides.base, "domain")
    elif old and new:
        url = lambda d: f"{d['domainName']}/{d.get('basePath', '') or ''}".rstrip("/")  # noqa: E731
        if url(old) != url(new):
            emit("stage-domain-changed", f"custom domain URL changed from {url(old)} to {url(new)}", sides.rev, "domain")
        if old.get("securityPolicy", "TLS_1_2") != new.get("securityPolicy", "TLS_1_2"):
            emit("stage-domain-security-policy-changed", f"TLS security policy changed from "
                 f"{old.get('securityPolicy', 'TLS_1_2')} to {new.get('securityPolicy', 'TLS_1_2')}", sides.rev, "domain")


def _usage_plans(emit: _Emitter, sides: StageSides, old: list, new: list) -> None:
    a = {p["name"]: (i, p) for i, p in enumerate(old)}
    b = {p["name"]: (i, p) for i, p in enumerate(new)}
    for name in sorted(a.keys() - b.keys()):
        emit("stage-usage-plan-removed", f"usage plan '{name}' removed", sides.base, "usagePlans", a[name][0])
    for name in sorted(b.keys() - a.keys()):
        emit("stage-usage-plan-added", f"usage plan '{name}' added", sides.rev, "usagePlans", b[name][0])
    for name in sorted(a.keys() & b.keys()):
        (_, was), (index, now) = a[name], b[name]
        for key in sorted(set(was.get("apiKeys") or []) - set(now.get("apiKeys") or [])):
            emit("stage-usage-plan-api-key-removed", f"usage plan '{name}': API key '{key}' removed", sides.rev,
                 "usagePlans", index)
        qa, qb = was.get("quota"), now.get("quota")
        if qa and qb and qb["limit"] / QUOTA_DAYS[qb["period"]] < qa["limit"] / QUOTA_DAYS[qa["period"]]:
            emit("stage-usage-plan-quota-decreased", f"usage plan '{name}': quota decreased from {qa['limit']}/"
                 f"{qa['period']} to {qb['limit']}/{qb['period']}", sides.rev, "usagePlans", index)
        ta, tb = was.get("throttle") or {}, now.get("throttle") or {}
        for limit in ("burstLimit", "rateLimit"):
            if ta.get(limit) is not None and tb.get(limit) is not None and tb[limit] < ta[limit]:
                emit("stage-usage-plan-throttle-decreased", f"usage plan '{name}': {limit} decreased from "
                     f"{ta[limit]} to {tb[limit]}", sides.rev, "usagePlans", index)


def _differences(emit: _Emitter, sides: StageSides) -> None:
    """Promotion: every setting that differs, once per variable, method setting, usage plan or setting."""
    target, source = sides.base, sides.rev
    a, b = target.settings, source.settings

    def differs(what: str, old: Any, new: Any, *keys: Any) -> None:
        stage = target if old is not None else source
        emit("stage-setting-differs", f"{what}: {target.name} has {_value(old)}, {source.name} has {_value(new)}; "
                                      f"{target.name} keeps its own", stage, *keys)

    for key in sorted(a.keys() | b.keys()):
        if key == "api_type" or a.get(key) == b.get(key):
            continue
        old, new = a.get(key), b.get(key)
        if key in ("variables", "methodSettings") and isinstance(old or {}, dict) and isinstance(new or {}, dict):
            old, new = old or {}, new or {}
            label = "stage variable" if key == "variables" else "method setting"
            for name in sorted(old.keys() | new.keys(), key=str):
                if old.get(name) != new.get(name):
                    differs(f"{label} '{name}'", old.get(name), new.get(name), key, name)
        elif key == "usagePlans" and isinstance(old or [], list) and isinstance(new or [], list):
            plans_a = {p.get("name"): (i, p) for i, p in enumerate(old or []) if isinstance(p, dict)}
            plans_b = {p.get("name"): (i, p) for i, p in enumerate(new or []) if isinstance(p, dict)}
            for name in sorted(plans_a.keys() | plans_b.keys(), key=str):
                was, now = plans_a.get(name, (None, None)), plans_b.get(name, (None, None))
                if was[1] != now[1]:
                    differs(f"usage plan '{name}'", was[1], now[1], key, was[0] if was[1] is not None else now[0])
        else:
            differs(key, old, new, key)


def _value(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, (dict, list)):
        return short(value)
    return setting(value)


def _orphaned_method_settings(emit: _Emitter, sides: StageSides, ctx) -> None:
    """Promotion: the target's method settings ("/path/METHOD") for methods the promoted API lacks."""
    from .context import path_key

    promoted = {(path_key(op.path), op.http_method) for op in ctx.rev.operations}
    paths = {p for p, _ in promoted}
    settings = sides.base.settings.get("methodSettings") or {}
    for key in sorted(settings, key=str):
        resource, _, method = str(key).rpartition("/")
        if str(key) == "*/*" or not resource:
            continue
        resource = path_key(resource.replace("~1", "/"))
        found = resource in paths if method == "*" else (resource, method.upper()) in promoted or \
            (resource, "ANY") in promoted
        if not found:
            emit("stage-method-setting-orphaned", f"method setting '{key}' of stage {sides.base.name} names a method "
                                                  f"the API of stage {sides.rev.name} does not have; it would stop "
                                                  "applying", sides.base, "methodSettings", key)
