"""Operations: operationIds are unique, and each operation has one."""
from __future__ import annotations

from ...source.intrinsics import exclusive
from ..registry import Rule, check, declare

declare(
    Rule("operation-id-duplicate", "error", "Two operations share an operationId",
         "Give every operation its own operationId; SDKs and API Gateway exports name methods after it.",
         "semantics", example="paths:\n  /a: {get: {operationId: list}}\n  /b: {get: {operationId: list}}"),
    Rule("operation-id-missing", "warning", "An operation has no operationId",
         "Add an operationId (SDK generators otherwise invent method names from the path).", "semantics",
         example="paths: {/a: {get: {responses: {'200': {description: ok}}}}}"),
    Rule("operation-id-invalid", "warning", "An operationId has characters that cannot become a method name",
         "Use letters, digits and '_' only, starting with a letter.", "semantics",
         example="paths: {/a: {get: {operationId: 'list pets!'}}}"),
)


@check("operation-id-duplicate", "operation-id-missing", "operation-id-invalid")
def check_operation_ids(ctx):
    seen: dict[str, list] = {}
    for op in ctx.api.operations:
        value = op.node.get("operationId")
        if value is None:
            yield ctx.finding("operation-id-missing", f"{op.label} has no operationId", op.pointer, op.document)
            continue
        if not isinstance(value, str):
            continue  # the structure rule reports the type
        # two branches of one Fn::If never exist together: they may share an operationId
        other = next((o for o in seen.get(value, ()) if not exclusive(o.branch, op.branch)), None)
        if other is not None:
            yield ctx.finding("operation-id-duplicate",
                              f"operationId '{value}' is also used by {other.label}",
                              op.pointer + ("operationId",), op.document)
        seen.setdefault(value, []).append(op)
        if not value or not (value[0].isalpha() or value[0] == "_") or not all(c.isalnum() or c in "_-." for c in value):
            yield ctx.finding("operation-id-invalid",
                              f"operationId '{value}' is not a usable identifier",
                              op.pointer + ("operationId",), op.document)
