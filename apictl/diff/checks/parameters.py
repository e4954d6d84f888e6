"""Request parameters: added, removed, required or not, deprecated, and their schemas."""
from __future__ import annotations

from typing import Iterator

from ...model.api import Parameter
from ..context import DiffContext, parameter_key
from . import ERR, INFO, WARN, Change, declare
from ..lifecycle import deprecation_verdict, is_deprecated, parse_sunset, removal_verdict
from ..words import show
from .endpoints import sunset_changes

declare("parameters", [
    ("new-required-request-parameter", ERR, "A required query/header/cookie parameter was added to an operation"),
    ("new-optional-request-parameter", INFO, "An optional parameter was added to an operation"),
    ("new-request-path-parameter", ERR, "The path template gained a parameter"),
    ("new-required-request-default-parameter-to-existing-path", ERR,
     "A required parameter was added at path-item level (applies to every operation of the path)"),
    ("new-optional-request-default-parameter-to-existing-path", INFO,
     "An optional parameter was added at path-item level"),
    ("request-parameter-removed", WARN, "A parameter was removed (servers may now reject it)"),
    ("request-parameter-removed-with-deprecation", INFO, "A deprecated parameter was removed"),
    ("request-parameter-removed-before-sunset", ERR, "A deprecated parameter was removed before its x-sunset date"),
    ("request-parameter-sunset-parse", ERR, "A deprecated parameter was removed, deprecated or changed, and its "
                                            "x-sunset is not a date"),
    ("request-parameter-became-required", ERR, "An optional parameter became required"),
    ("request-parameter-became-optional", INFO, "A required parameter became optional"),
    ("request-parameter-deprecated", INFO, "A parameter was deprecated"),
    ("request-parameter-reactivated", INFO, "A parameter is no longer deprecated"),
    ("request-parameter-sunset-deleted", ERR, "x-sunset was removed from a still-deprecated parameter"),
    ("request-parameter-deprecated-sunset-missing", ERR, "A parameter was deprecated without x-sunset while a "
                                                         "deprecation policy applies"),
    ("request-parameter-sunset-date-too-small", ERR, "A parameter was deprecated with an x-sunset closer than the "
                                                     "policy's days"),
    ("request-parameter-sunset-date-changed-too-small", ERR, "x-sunset of a deprecated parameter moved earlier, to "
                                                             "less than the policy's days away (or into the past)"),
])

DEPRECATION_IDS = {"deprecated": "request-parameter-deprecated", "with-sunset": "request-parameter-deprecated",
                   "sunset-missing": "request-parameter-deprecated-sunset-missing",
                   "sunset-parse": "request-parameter-sunset-parse",
                   "sunset-too-small": "request-parameter-sunset-date-too-small"}


def describe(p: Parameter) -> str:
    return f"{p.location} parameter '{p.name}'"


def _path_level(p: Parameter) -> bool:
    """Declared on the path item (every operation of the path gets it), not on the operation."""
    return len(p.pointer) >= 2 and p.pointer[-2] == "parameters" and p.pointer[0] == "paths" and len(p.pointer) == 4


def run(ctx: DiffContext) -> Iterator[Change]:
    for pair in ctx.pairs:
        label = pair.label
        old = {parameter_key(pair.base, p): p for p in pair.base.parameters if p.location != "body"}
        new = {parameter_key(pair.rev, p): p for p in pair.rev.parameters if p.location != "body"}
        for key, p in old.items():
            if key in new:
                continue
            verdict = removal_verdict(p.node, ctx.policy.today)
            check_id = {"without-deprecation": "request-parameter-removed",
                        "sunset-parse": "request-parameter-sunset-parse"}.get(verdict, f"request-parameter-removed-{verdict}")
            yield Change(check_id, f"{describe(p)} removed", (p.document, p.pointer), label)
        for key, p in new.items():
            if key in old:
                continue
            if p.location == "path":
                check_id = "new-request-path-parameter"
            elif _path_level(p):
                check_id = f"new-{'required' if p.required else 'optional'}-request-default-parameter-to-existing-path"
            else:
                check_id = f"new-{'required' if p.required else 'optional'}-request-parameter"
            yield Change(check_id, f"{describe(p)} added" + (" (required)" if p.required else ""),
                         (p.document, p.pointer), label)
        days = ctx.policy_days(pair.rev)
        for b, r, node in ctx.parameter_pairs(pair):
            at = (r.document, r.pointer)
            if r.required and not b.required:
                yield Change("request-parameter-became-required", f"{describe(r)} became required", at, label)
            elif b.required and not r.required:
                yield Change("request-parameter-became-optional", f"{describe(r)} became optional", at, label)
            if is_deprecated(r.node) and not is_deprecated(b.node):
                value = r.node.get("x-sunset")
                verdict = deprecation_verdict(value, days, ctx.policy.today)
                yield Change(DEPRECATION_IDS[verdict], f"{describe(r)} " + {
                    "deprecated": "deprecated",
                    "with-sunset": f"deprecated, sunset {show(parse_sunset(value))}",
                    "sunset-missing": f"deprecated without x-sunset (the deprecation policy asks for {days} days)",
                    "sunset-parse": f"deprecated with an x-sunset that is not a date: '{show(value)}'",
                    "sunset-too-small": f"deprecated with x-sunset {show(parse_sunset(value))}, less than the "
                                        f"policy's {days} days away",
                }[verdict], at, label)
            elif is_deprecated(b.node) and not is_deprecated(r.node):
                yield Change("request-parameter-reactivated", f"{describe(r)} no longer deprecated", at, label)
            elif is_deprecated(b.node):
                yield from sunset_changes(b.node, r.node, days, ctx.policy.today, at, label,
                                          "request-parameter-sunset-parse", "request-parameter-sunset-deleted",
                                          "request-parameter-sunset-date-changed-too-small", f"{describe(r)}: ")
