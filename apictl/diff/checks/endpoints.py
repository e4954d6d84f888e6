"""Paths and operations: removed, added, deprecated, operation ids, tags, webhooks, components."""
from __future__ import annotations

from typing import Iterator

from ..context import DiffContext, path_key
from . import ERR, INFO, Change, declare
from .lifecycle import is_deprecated, removal_verdict, stability_rank, sunset

declare("endpoints", [
    ("endpoint-added", INFO, "A new operation appeared"),
    ("api-path-removed-without-deprecation", ERR, "A whole path vanished without being deprecated first"),
    ("api-path-removed-with-deprecation", INFO, "A deprecated path was removed (its sunset passed or none was set)"),
    ("api-path-removed-before-sunset", ERR, "A deprecated path was removed before its x-sunset date"),
    ("api-path-sunset-parse", ERR, "A path was removed and its x-sunset date cannot be parsed"),
    ("api-removed-without-deprecation", ERR, "An operation was removed from a surviving path without deprecation"),
    ("api-removed-with-deprecation", INFO, "A deprecated operation was removed"),
    ("api-removed-before-sunset", ERR, "A deprecated operation was removed before its x-sunset date"),
    ("api-sunset-parse", ERR, "An operation was removed and its x-sunset date cannot be parsed"),
    ("endpoint-deprecated", INFO, "An operation was deprecated"),
    ("endpoint-deprecated-with-sunset", INFO, "An operation was deprecated with an x-sunset date"),
    ("endpoint-reactivated", INFO, "An operation is no longer deprecated"),
    ("sunset-deleted", ERR, "x-sunset was removed from a still-deprecated operation"),
    ("api-sunset-date-changed-too-small", ERR, "x-sunset of a deprecated operation moved earlier"),
    ("api-operation-id-removed", INFO, "operationId removed or replaced (generated SDK method names change)"),
    ("api-operation-id-added", INFO, "operationId added"),
    ("api-tag-removed", INFO, "A tag was removed from an operation"),
    ("api-tag-added", INFO, "A tag was added to an operation"),
    ("api-stability-decreased", ERR, "x-stability-level moved down (e.g. stable to beta)"),
    ("api-stability-increased", INFO, "x-stability-level moved up (e.g. beta to stable)"),
    ("webhook-added", INFO, "A webhook was added"),
    ("webhook-removed", ERR, "A webhook was removed"),
    ("api-schema-removed", INFO, "A components/schemas entry was removed"),
])


def run(ctx: DiffContext) -> Iterator[Change]:
    rev_paths = {path_key(op.path) for op in ctx.rev.operations}
    for op in ctx.removed:
        whole_path = path_key(op.path) not in rev_paths
        verdict = removal_verdict(op.node)
        if verdict == "sunset-parse":
            check_id = "api-path-sunset-parse" if whole_path else "api-sunset-parse"
        else:
            check_id = ("api-path-removed-" if whole_path else "api-removed-") + verdict
        what = "path removed" if whole_path else "operation removed"
        yield Change(check_id, f"{what}{_deprecation_note(op.node)}", (op.document, op.pointer), op.label)
    for op in ctx.added:
        yield Change("endpoint-added", "operation added", (op.document, op.pointer), op.label)
    for pair in ctx.pairs:
        b, r = pair.base.node, pair.rev.node
        at = (pair.rev.document, pair.rev.pointer)
        label = pair.label
        if is_deprecated(r) and not is_deprecated(b):
            date = sunset(r)
            if date is not None and date != "invalid":
                yield Change("endpoint-deprecated-with-sunset", f"operation deprecated, sunset {date}", at, label)
            else:
                yield Change("endpoint-deprecated", "operation deprecated", at, label)
        elif is_deprecated(b) and not is_deprecated(r):
            yield Change("endpoint-reactivated", "operation no longer deprecated", at, label)
        elif is_deprecated(b) and is_deprecated(r):
            old, new = sunset(b), sunset(r)
            if old is not None and new is None:
                yield Change("sunset-deleted", f"x-sunset {old} removed from a deprecated operation", at, label)
            elif hasattr(old, "year") and hasattr(new, "year") and new < old:
                yield Change("api-sunset-date-changed-too-small", f"x-sunset moved earlier, from {old} to {new}",
                             at, label)
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
        old_rank, new_rank = stability_rank(b), stability_rank(r)
        if old_rank is not None and new_rank is not None and old_rank != new_rank:
            check_id = "api-stability-decreased" if new_rank < old_rank else "api-stability-increased"
            yield Change(check_id, f"x-stability-level changed from {b['x-stability-level']} to "
                                   f"{r['x-stability-level']}", at, label)
    yield from _webhooks(ctx)
    yield from _components(ctx)


def _deprecation_note(node: dict) -> str:
    if not is_deprecated(node):
        return " without deprecation"
    date = sunset(node)
    return f" (deprecated, sunset {date})" if date else " (deprecated)"


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
