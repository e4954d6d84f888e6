"""How a plan is shown: terraform-style text for people, and a Report (the shared json / markdown
formatters) for machines, with every action placed at the spec or config line it comes from."""
from __future__ import annotations

import json
from typing import Any

from ..report import Report, ReportItem
from ..source import format_pointer
from .pipeline import Desired
from .plan import HIDDEN, Action, AttributeChange, Drift, Plan
from .resources import OPAQUE_PROPERTIES
from .state import MAX_SHOWN_BYTES

VERBS = {
    "create": "will be created",
    "update": "will be updated in place",
    "replace": "must be replaced",
    "delete": "will be deleted",
}
LEVELS = {"create": "info", "update": "warning", "replace": "error", "delete": "error"}
WIDTH = 100


def render_text(plan: Plan, desired: Desired, state_label: str | None) -> str:
    g = plan.graph
    lines = [f"apictl plan: stage '{g.stage}' of '{g.title}' ({g.api_type.upper()} API) from "
             f"{desired.source.document.display}"]
    if state_label is None:
        lines.append("State: none given (--state): every resource is planned as new.")
    else:
        lines.append(f"State: {state_label} ({len(plan.state.resources) if plan.state else 0} resources recorded)")
    if plan.refreshed:
        lines.append(f"Refreshed from the account: {_drift_summary(plan.drift)}.")
    lines.append("")
    if plan.drift:
        lines.extend(drift_lines(plan))
        lines.append("")
    if not plan.has_changes:
        lines.append(f"No changes. The {len(plan.unchanged)} resources match the "
                     f"{'account' if plan.refreshed else 'state'}.")
        lines.append("")
        lines.append(f"Redeploy: {plan.redeploy.message}.")
        return "\n".join(lines) + "\n"
    lines.append("Resource actions are indicated with the following symbols:")
    lines.append("  + create   ~ update in place   -/+ replace (delete, then create)   "
                 "+/- replace (create, then delete)   - delete")
    lines.append("")
    lines.append("apictl will perform the following actions, in this order:")
    for action in plan.actions:
        lines.append("")
        lines.extend(_action_lines(action, plan))
    for d in plan.deposed:
        lines.append("")
        lines.append(f"  # {d.address} ({d.type}) deposed object {d.physical_id} (left by a replacement) "
                     "will be deleted")
        lines.append(f"  - {d.physical_id}")
    lines.append("")
    lines.append(f"Redeploy: {plan.redeploy.message}.")
    c = plan.counts()
    lines.append("")
    lines.append(f"Plan: {c['create']} to create, {c['update']} to update, {c['replace']} to replace, "
                 f"{c['delete']} to delete ({len(plan.unchanged)} unchanged).")
    return "\n".join(lines) + "\n"


def _drift_summary(drift: list[Drift]) -> str:
    if not drift:
        return "no changes outside apictl"
    changed = sum(1 for d in drift if d.kind == "changed")
    deleted = sum(1 for d in drift if d.kind == "deleted")
    return f"{changed} changed and {deleted} deleted outside apictl"


def drift_lines(plan: Plan) -> list[str]:
    """The drift section: what changed in the account since apictl last wrote the state."""
    lines = ["Changes outside apictl (read from the account; the actions below undo them):"]
    for d in plan.drift:
        lines.append("")
        if d.kind == "deleted":
            how = "is gone with its API" if d.with_api else "was deleted outside apictl"
            lines.append(f"  # {d.address} ({d.type}) {how}")
            continue
        lines.append(f"  # {d.address} ({d.type}) was changed outside apictl")
        for name, before, after in d.changes:
            if name == "Body":
                lines.append("      ~ Body: the account's methods differ from the spec "
                             "(+ only in the spec, - only in the account, ~ integration differs):")
                lines.extend(f"          {item}" for item in d.body)
                continue
            shown_before = "(not set)" if before is None else _show(before, None)
            shown_after = "(not set)" if after is None else _show(after, None)
            if len(shown_before) + len(shown_after) <= WIDTH:
                lines.append(f"      ~ {name}: {shown_before} -> {shown_after}")
            else:
                lines.append(f"      ~ {name}:")
                lines.extend(_value_lines("          - ", before, None) if before is not None else [])
                lines.extend(_value_lines("          + ", after, None) if after is not None else [])
    return lines


def _action_lines(action: Action, plan: Plan) -> list[str]:
    how = VERBS[action.action]
    if action.action == "replace" and action.create_before_destroy:
        how += " (the new one is created before the old one is deleted)"
    if action.in_body:
        how += "; applied by importing the body"
    out = [f"  # {action.address} ({action.type}) {how}"]
    name = action.logical_id
    if action.old_logical_id:
        name = f"{action.old_logical_id} -> {action.logical_id}"
    out.append(f"{action.symbol:>3} {name}")
    if action.action == "delete":
        return out
    for change in action.changes:
        out.extend(_change_lines(change, action, plan))
    return out


def _change_lines(change: AttributeChange, action: Action, plan: Plan) -> list[str]:
    if change.name == "Body":
        version = plan.graph.body.get("openapi", plan.graph.body.get("swagger", "?"))
        summary = f"OpenAPI {version}, {sum(1 for k in plan.graph.body_index if ' ' in k)} operations"
        if action.action == "create" or change.before_hash is None:
            return [f"      + Body = {summary} (sha256 {plan.graph.body_sha256[:12]})"]
        before = plan.state.body_sha256[:12] if plan.state else "?"
        lines = [f"      ~ Body: sha256 {before} -> {plan.graph.body_sha256[:12]} ({summary})"]
        lines.extend(f"          {sym} {key}" for sym, key in plan.body_changes)
        return lines
    note = "  # forces replacement" if change.forces_replacement else ""
    if change.before_hash is None:
        return _assignment("+", change.name, "=", change.after, change.after_hash, note)
    if change.after_hash is None:
        return _assignment("-", change.name, "=", change.before, change.before_hash, note)
    before = _show(change.before, change.before_hash)
    after = _show(change.after, change.after_hash)
    if len(before) + len(after) <= WIDTH:
        return [f"      ~ {change.name}: {before} -> {after}{note}"]
    return [f"      ~ {change.name}:{note}", *_value_lines("          - ", change.before, change.before_hash),
            *_value_lines("          + ", change.after, change.after_hash)]


def _assignment(symbol: str, name: str, sep: str, value: Any, digest: str | None, note: str) -> list[str]:
    text = _show(value, digest)
    if len(text) <= WIDTH:
        return [f"      {symbol} {name} {sep} {text}{note}"]
    return [f"      {symbol} {name} {sep}{note}", *_value_lines("          ", value, digest)]


def _value_lines(prefix: str, value: Any, digest: str | None) -> list[str]:
    """A long value one element (list) or one key (mapping) per line."""
    if isinstance(value, list):
        return [prefix + _show(v, None) for v in value]
    if isinstance(value, dict):
        return [prefix + f"{json.dumps(k, ensure_ascii=False)}: {_show(v, None)}" for k, v in value.items()]
    return [prefix + _show(value, digest)]


def _show(value: Any, digest: str | None) -> str:
    if value is HIDDEN:
        return f"(sha256 {digest})"
    return json.dumps(value, ensure_ascii=False, sort_keys=False, separators=(", ", ": "))


def plan_report(plan: Plan, desired: Desired, state_label: str | None) -> Report:
    g = plan.graph
    items = []
    for action in plan.actions:
        if action.origin:
            file, line, column = desired.position(action.origin)
        else:
            file, line, column = state_label or "", 1, 1
        pointer = format_pointer(action.origin[1]) if action.origin[:1] == ("spec",) else ""
        changed = ", ".join(c.name for c in action.changes) if action.action in ("update", "replace") else ""
        items.append(ReportItem(
            id=f"plan-{action.action}", level=LEVELS[action.action],
            message=f"{action.address} ({action.type}) {VERBS[action.action]}" + (f": {changed}" if changed else ""),
            file=file, line=line, column=column, pointer=pointer,
            extra={
                "address": action.address, "type": action.type, "action": action.action,
                "logical_id": action.logical_id, "old_logical_id": action.old_logical_id,
                "in_body": action.in_body, "create_before_destroy": action.create_before_destroy,
                "changes": [_change_json(c) for c in action.changes],
            },
        ))
    by_address = g.by_address()
    for d in plan.drift:
        r = by_address.get(d.address)
        if r is not None and r.origin:
            file, line, column = desired.position(r.origin)
        else:
            file, line, column = state_label or "", 1, 1
        items.append(ReportItem(
            id=f"drift-{d.kind}", level="warning",
            message=f"{d.address} ({d.type}) was {d.kind} outside apictl"
                    + (f": {', '.join(c[0] for c in d.changes)}" if d.changes else ""),
            file=file, line=line, column=column, pointer="",
            extra={"address": d.address, "type": d.type, "drift": d.kind, "with_api": d.with_api,
                   "changes": [{"attribute": n, "recorded": b, "account": a} for n, b, a in d.changes],
                   "operations": d.body},
        ))
    meta = {
        "stage": g.stage,
        "api": {"title": g.title, "type": g.api_type, "body_sha256": g.body_sha256},
        "state": state_label,
        "summary": plan.counts(),
        "refreshed": plan.refreshed,
        "drift": [{"address": d.address, "type": d.type, "kind": d.kind} for d in plan.drift],
        "deposed": [{"address": d.address, "type": d.type, "physical_id": d.physical_id} for d in plan.deposed],
        "unchanged": plan.unchanged,
        "changes": plan.has_changes,
        "redeploy": {"needed": plan.redeploy.needed, "deployment": plan.redeploy.deployment,
                     "message": plan.redeploy.message},
        "body_changes": [{"change": {"+": "added", "-": "removed", "~": "changed"}[sym], "item": key}
                         for sym, key in plan.body_changes],
    }
    return Report(tool="plan", items=items, files=[desired.source.document.display],
                  title=f"apictl plan: stage {g.stage} of {g.title}", meta=meta)


def _value_json(value: Any, digest: str | None) -> Any:
    if value is HIDDEN:
        return {"sha256": digest}
    if value is not None and len(json.dumps(value, default=str)) > MAX_SHOWN_BYTES:
        return {"sha256": digest}
    return value


def _change_json(c: AttributeChange) -> dict:
    if c.name in OPAQUE_PROPERTIES:  # the body: its hash (what changed inside is in body_changes)
        return {"attribute": c.name, "before": {"sha256": c.before_hash} if c.before_hash else None,
                "after": {"sha256": c.after_hash} if c.after_hash else None,
                "forces_replacement": c.forces_replacement}
    return {"attribute": c.name, "before": _value_json(c.before, c.before_hash),
            "after": _value_json(c.after, c.after_hash), "forces_replacement": c.forces_replacement}
