"""Paths and operations: removed, added, deprecated (x-sunset, deprecation policy), x-stability-level,
operation ids, tags, webhooks, components."""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from ..context import DiffContext, in_scope, path_key
from ..lifecycle import (INVALID, OUT_OF_SCOPE, STABILITY, deprecation_verdict, is_deprecated, removal_verdict,
                         stability_level, sunset)
from ..words import show
from . import ERR, INFO, Change, declare

declare("endpoints", [
    ("endpoint-added", INFO, "A new operation appeared"),
    ("api-path-removed-without-deprecation", ERR, "A whole path vanished without being deprecated first"),
    ("api-path-removed-with-deprecation", INFO, "A deprecated path was removed (its sunset passed or none was set)"),
    ("api-path-removed-before-sunset", ERR, "A deprecated path was removed before its x-sunset date"),
    ("api-path-sunset-parse", ERR, "A deprecated path or operation was removed or its x-sunset changed, and an "
                                   "x-sunset is not a date"),
    ("api-removed-without-deprecation", ERR, "An operation was removed from a surviving path without deprecation"),
    ("api-removed-with-deprecation", INFO, "A deprecated operation was removed"),
    ("api-removed-before-sunset", ERR, "A deprecated operation was removed before its x-sunset date"),
    ("endpoint-deprecated", INFO, "An operation was deprecated"),
    ("endpoint-deprecated-with-sunset", INFO, "An operation was deprecated with an x-sunset date"),
    ("api-deprecated-sunset-parse", ERR, "An operation was deprecated with an x-sunset that is not a date"),
    ("api-deprecated-sunset-missing", ERR, "An operation was deprecated without x-sunset while a deprecation policy "
                                           "applies (--deprecation-days-stable/-beta)"),
    ("api-sunset-date-too-small", ERR, "An operation was deprecated with an x-sunset closer than the policy's days"),
    ("endpoint-reactivated", INFO, "An operation is no longer deprecated"),
    ("sunset-deleted", ERR, "x-sunset was removed from a still-deprecated operation"),
    ("api-sunset-date-changed-too-small", ERR, "x-sunset of a deprecated operation moved earlier, to less than the "
                                               "policy's days away (or into the past)"),
    ("api-operation-id-removed", INFO, "operationId removed or replaced (generated SDK method names change)"),
    ("api-operation-id-added", INFO, "operationId added"),
    ("api-tag-removed", INFO, "A tag was removed from an operation"),
    ("api-tag-added", INFO, "A tag was added to an operation"),
    ("api-stability-decreased", ERR, "x-stability-level moved down (e.g. stable to beta)"),
    ("api-stability-increased", INFO, "x-stability-level moved up (e.g. beta to stable)"),
    ("api-invalid-stability-level", ERR, "x-stability-level is not draft, alpha, beta or stable"),
    ("webhook-added", INFO, "A webhook was added"),
    ("webhook-removed", ERR, "A webhook was removed"),
    ("api-schema-removed", INFO, "A components/schemas entry was removed"),
])


DEPRECATION_IDS = {"deprecated": "endpoint-deprecated", "with-sunset": "endpoint-deprecated-with-sunset",
                   "sunset-missing": "api-deprecated-sunset-missing", "sunset-parse": "api-deprecated-sunset-parse",
                   "sunset-too-small": "api-sunset-date-too-small"}


def run(ctx: DiffContext) -> Iterator[Change]:
    rev_paths = {path_key(op.path) for op in ctx.rev.operations + ctx.rev.webhooks}
    for op in ctx.removed:
        yield from _invalid_stability(op, "base")
        whole_path = path_key(op.path) not in rev_paths
        verdict = removal_verdict(op.node, ctx.policy.today)
        if verdict == "sunset-parse":
            check_id = "api-path-sunset-parse"
        else:
            check_id = ("api-path-removed-" if whole_path else "api-removed-") + verdict
        what = "path removed" if whole_path else "operation removed"
        yield Change(check_id, f"{what}{_deprecation_note(op.node)}", (op.document, op.pointer), op.label)
    for op in ctx.added:
        yield Change("endpoint-added", "operation added", (op.document, op.pointer), op.label)
    for pair in ctx.all_pairs:
        yield from _invalid_stability(pair.base, "base")
        yield from _invalid_stability(pair.rev, "revision")
        yield from _stability_change(pair)
        if in_scope(pair.rev):
            yield from _operation_changes(ctx, pair)
    yield from _webhooks(ctx)
    yield from _components(ctx)


def _invalid_stability(op, side: str) -> Iterator[Change]:
    level, valid = stability_level(op.node)
    if not valid:
        yield Change("api-invalid-stability-level", f"x-stability-level '{level}' in the {side} is not draft, alpha, "
                                                    "beta or stable", (op.document, op.pointer + ("x-stability-level",)),
                     op.label)


def _stability_change(pair) -> Iterator[Change]:
    (was, ok_was), (now, ok_now) = stability_level(pair.base.node), stability_level(pair.rev.node)
    if not (ok_was and ok_now) or was == now or was in OUT_OF_SCOPE:  # leaving draft/alpha breaks nobody
        return
    check_id = "api-stability-decreased" if STABILITY.index(now) < STABILITY.index(was) else "api-stability-increased"
    where = pair.rev.pointer + (("x-stability-level",) if "x-stability-level" in pair.rev.node else ())
    yield Change(check_id, f"x-stability-level changed from {was} to {now}", (pair.rev.document, where), pair.label)


def _operation_changes(ctx: DiffContext, pair) -> Iterator[Change]:
    b, r = pair.base.node, pair.rev.node
    at = (pair.rev.document, pair.rev.pointer)
    label = pair.label
    days = ctx.policy_days(pair.rev)
    if is_deprecated(r) and not is_deprecated(b):
        verdict = deprecation_verdict(r.get("x-sunset"), days, ctx.policy.today)
        date = sunset(r)
        yield Change(DEPRECATION_IDS[verdict], {
            "deprecated": "operation deprecated",
            "with-sunset": f"operation deprecated, sunset {show(date)}",
            "sunset-missing": f"operation deprecated without x-sunset (the deprecation policy asks for {days} days)",
            "sunset-parse": f"operation deprecated with an x-sunset that is not a date: '{show(r.get('x-sunset'))}'",
            "sunset-too-small": f"operation deprecated with x-sunset {show(date)}, less than the policy's {days} "
                                "days away",
        }[verdict], at, label)
    elif is_deprecated(b) and not is_deprecated(r):
        yield Change("endpoint-reactivated", "operation no longer deprecated", at, label)
    elif is_deprecated(b) and is_deprecated(r):
        yield from sunset_changes(b, r, days, ctx.policy.today, at, label, "api-path-sunset-parse", "sunset-deleted",
                                  "api-sunset-date-changed-too-small", "")
    if pair.base.operation_id and pair.base.operation_id != pair.rev.operation_id:
        yield Change("api-operation-id-removed",
                     f"operationId '{pair.base.operation_id}' removed" +
                     (f" (now '{pair.rev.operation_id}')" if pair.rev.operation_id else ""), at, label)
    elif pair.rev.operation_id and not pair.base.operation_id:
        yield Change("api-operation-id-added", f"operationId '{pair.rev.operation_id}' added", at, label)
    old_tags, new_tags = _tags(b), _tags(r)
    for tag in sorted(old_tags - new_tags):
        yield Change("api-tag-removed", f"tag '{tag}' removed", at, label)
    for tag in sorted(new_tags - old_tags):
        yield Change("api-tag-added", f"tag '{tag}' added", at, label)


def sunset_changes(b: dict, r: dict, days: int, today: dt.date, at: tuple, label: str, parse_id: str,
                   deleted_id: str, too_small_id: str, what: str) -> Iterator[Change]:
    """x-sunset of something deprecated on both sides: deleted, unparseable, or moved earlier to less than
    the policy's days away (with no policy: into the past), as oasdiff decides."""
    old, new = sunset(b), sunset(r)
    if old is not None and new is None:
        yield Change(deleted_id, f"{what}x-sunset {show(old if old != INVALID else b.get('x-sunset'))} removed while "
                                 "still deprecated", at, label)
    elif new == INVALID or (old == INVALID and new is not None):
        bad = r.get("x-sunset") if new == INVALID else b.get("x-sunset")
        yield Change(parse_id, f"{what}x-sunset '{show(bad)}' is not a date", at, label)
    elif isinstance(old, dt.date) and isinstance(new, dt.date) and new < old and (new - today).days < days:
        yield Change(too_small_id, f"{what}x-sunset moved earlier, from {show(old)} to {show(new)}" +
                     (f", less than the policy's {days} days away" if days else ", a date already past"), at, label)


def _deprecation_note(node: dict) -> str:
    if not is_deprecated(node):
        return " without deprecation"
    return f" (deprecated, sunset {show(node['x-sunset'])})" if node.get("x-sunset") is not None else " (deprecated)"


def _tags(node: dict) -> set[str]:
    tags = node.get("tags")
    return {t for t in tags if isinstance(t, str)} if isinstance(tags, list) else set()


def _webhooks(ctx: DiffContext) -> Iterator[Change]:
    old = ctx.base.data.get("webhooks") if isinstance(ctx.base.data.get("webhooks"), dict) else {}
    new = ctx.rev.data.get("webhooks") if isinstance(ctx.rev.data.get("webhooks"), dict) else {}
    for name in sorted(old.keys() - new.keys(), key=str):
        yield Change("webhook-removed", f"webhook '{name}' removed", (ctx.base.document, ("webhooks", name)))
    for name in sorted(new.keys() - old.keys(), key=str):
        yield Change("webhook-added", f"webhook '{name}' added", (ctx.rev.document, ("webhooks", name)))


def _components(ctx: DiffContext) -> Iterator[Change]:
    old, new = ctx.base.schemas(), ctx.rev.schemas()
    for name in sorted(old.keys() - new.keys(), key=str):
        yield Change("api-schema-removed", f"schema '{name}' removed",
                     (ctx.base.document, ctx.base.schemas_pointer + (name,)))
