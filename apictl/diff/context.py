"""What every check reads: the two models, matched operations, and the schema pairs to compare.

Operations match by method and path template with parameter names blanked (``/pets/{id}`` and
``/pets/{petId}`` are the same endpoint), as oasdiff does by default. Operations under 3.1
``webhooks`` are compared like paths (path ``webhook:<name>``); a webhook added or removed as a whole
is one change of its own. Operations whose ``x-stability-level`` is draft or alpha are out of scope:
nothing they change is reported (only a stability change itself, which every check of lifecycle sees
through ``all_pairs``). Every schema pair that any check will walk is compared up front
(``prepare``), so the difference graph is complete before the first report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from ..model.api import Api, Operation, Parameter
from ..model.messages import Located, RequestBody, Response, request_body, responses
from .compare import PairDiff, SchemaComparer
from .lifecycle import OUT_OF_SCOPE, Policy, stability_level

_PATH_VAR = re.compile(r"\{[^}/]*\}")


def endpoint_key(op: Operation) -> tuple[str, str]:
    return op.method, _PATH_VAR.sub("{}", op.path.rstrip("/") or "/")


def path_key(path: str) -> str:
    return _PATH_VAR.sub("{}", path.rstrip("/") or "/")


def parameter_key(op: Operation, p: Parameter) -> tuple[str, str]:
    """Path parameters match by position in the template, the others by location and name."""
    if p.location == "path":
        names = [m.group(0)[1:-1] for m in _PATH_VAR.finditer(op.path)]
        return ("path", str(names.index(p.name)) if p.name in names else p.name)
    return p.key


def parameter_schema(api: Api, p: Parameter) -> Located | None:
    if not isinstance(p.schema, dict):
        return None
    if p.schema is p.node:  # OpenAPI 2.0 non-body parameter: the parameter is the schema
        return (p.document, p.pointer, p.node)
    where = p.pointer + ("schema",) if "schema" in p.node else p.pointer
    return api.deref(p.document, p.schema, where)


def in_scope(op: Operation) -> bool:
    """False for draft and alpha operations: changes to them break nobody."""
    level, valid = stability_level(op.node)
    return not (valid and level in OUT_OF_SCOPE)


def webhook_name(op: Operation) -> str | None:
    return op.path[len("webhook:"):] if op.path.startswith("webhook:") else None


@dataclass
class OperationPair:
    base: Operation
    rev: Operation
    base_body: RequestBody | None = None
    rev_body: RequestBody | None = None
    base_responses: dict[str, Response] = field(default_factory=dict)
    rev_responses: dict[str, Response] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.rev.label


@dataclass
class SchemaRoot:
    """One place a schema pair sits in an operation: what the schema checks walk from."""

    direction: str  # request | response
    root: str  # body | parameter | header (a response header)
    node: PairDiff
    subject: str  # how messages name the place: "request body (application/json)"
    operation: str
    parameter: Parameter | None = None  # the revision's parameter, for parameter roots
    policy_days: int = 0  # the deprecation policy that applies to the operation


@dataclass
class DiffContext:
    base: Api
    rev: Api
    comparer: SchemaComparer
    pairs: list[OperationPair] = field(default_factory=list)  # in scope (not draft/alpha)
    all_pairs: list[OperationPair] = field(default_factory=list)
    removed: list[Operation] = field(default_factory=list)
    added: list[Operation] = field(default_factory=list)
    stages: Any = None  # StageSides when stages are compared
    policy: Policy = field(default_factory=Policy)
    operation_order: dict[str, int] = field(default_factory=dict)  # label -> report order
    roots: list[SchemaRoot] = field(default_factory=list)  # every schema pair, compared by prepare()

    @classmethod
    def build(cls, base: Api, rev: Api, stages: Any = None, policy: Policy | None = None) -> "DiffContext":
        comparer = SchemaComparer(base.workspace, rev.workspace, base.version.startswith("3.1"),
                                  rev.version.startswith("3.1"))
        ctx = cls(base, rev, comparer, stages=stages, policy=policy or Policy())
        base_hooks = set(base.data.get("webhooks") or ()) if isinstance(base.data.get("webhooks"), dict) else set()
        rev_hooks = set(rev.data.get("webhooks") or ()) if isinstance(rev.data.get("webhooks"), dict) else set()
        rev_ops = {endpoint_key(op): op for op in rev.operations + rev.webhooks}
        seen = set()
        for op in base.operations + base.webhooks:
            key = endpoint_key(op)
            other = rev_ops.get(key)
            if other is None or key in seen:
                hook = webhook_name(op)
                if (hook is None or hook in rev_hooks) and in_scope(op):  # a whole webhook: webhook-removed
                    ctx.removed.append(op)
                continue
            seen.add(key)
            ctx.all_pairs.append(OperationPair(op, other, request_body(base, op), request_body(rev, other),
                                               responses(base, op), responses(rev, other)))
        ctx.added = [op for op in rev.operations + rev.webhooks
                     if endpoint_key(op) not in seen and (webhook_name(op) is None or webhook_name(op) in base_hooks)]
        ctx.all_pairs.sort(key=lambda p: (p.rev.path, p.rev.method))
        ctx.pairs = [p for p in ctx.all_pairs if in_scope(p.rev)]
        for p in ctx.pairs:
            ctx.operation_order.setdefault(p.label, len(ctx.operation_order))
        ctx.prepare()
        return ctx

    def policy_days(self, op: Operation) -> int:
        level, valid = stability_level(op.node)
        return self.policy.days_for(level if valid else "stable")

    # -- schema roots: the same functions serve prepare() and the checks ------------------------
    def parameter_pairs(self, pair: OperationPair) -> Iterator[tuple[Parameter, Parameter, PairDiff | None]]:
        base_params = {parameter_key(pair.base, p): p for p in pair.base.parameters if p.location != "body"}
        for p in pair.rev.parameters:
            if p.location == "body":
                continue
            old = base_params.get(parameter_key(pair.rev, p))
            if old is None:
                continue
            bs, rs = parameter_schema(self.base, old), parameter_schema(self.rev, p)
            yield old, p, self.comparer.pair(bs, rs) if bs and rs else None

    def body_pairs(self, pair: OperationPair) -> Iterator[tuple[str, PairDiff]]:
        if pair.base_body is None or pair.rev_body is None:
            return
        for name, mt in pair.rev_body.content.items():
            old = pair.base_body.content.get(name)
            if old is not None and old.schema is not None and mt.schema is not None:
                yield name, self.comparer.pair(old.schema, mt.schema)

    def response_pairs(self, pair: OperationPair) -> Iterator[tuple[str, str, PairDiff]]:
        for status, resp in pair.rev_responses.items():
            old = pair.base_responses.get(status)
            if old is None:
                continue
            for name, mt in resp.content.items():
                prev = old.content.get(name)
                if prev is not None and prev.schema is not None and mt.schema is not None:
                    yield status, name, self.comparer.pair(prev.schema, mt.schema)

    def header_pairs(self, pair: OperationPair) -> Iterator[tuple[str, str, PairDiff]]:
        for status, resp in pair.rev_responses.items():
            old = pair.base_responses.get(status)
            if old is None:
                continue
            for key, header in resp.headers.items():
                prev = old.headers.get(key)
                if prev is not None and prev.schema is not None and header.schema is not None:
                    yield status, header.name, self.comparer.pair(prev.schema, header.schema)

    def schema_roots(self) -> list[SchemaRoot]:
        return self.roots

    def _schema_roots(self) -> Iterator[SchemaRoot]:
        """Every schema pair of every operation in scope, in report order (by path, method; then
        parameters, request body, responses, response headers)."""
        for pair in self.pairs:
            label, days = pair.label, self.policy_days(pair.rev)
            for _, p, node in self.parameter_pairs(pair):
                if node is not None:
                    yield SchemaRoot("request", "parameter", node, f"{p.location} parameter '{p.name}'", label, p, days)
            for name, node in self.body_pairs(pair):
                yield SchemaRoot("request", "body", node, f"request body ({name})", label, None, days)
            for status, name, node in self.response_pairs(pair):
                yield SchemaRoot("response", "body", node, f"response {status} ({name})", label, None, days)
            for status, name, node in self.header_pairs(pair):
                yield SchemaRoot("response", "header", node, f"response {status} header '{name}'", label, None, days)

    def prepare(self) -> None:
        self.roots = list(self._schema_roots())
        self.comparer.finalize()
