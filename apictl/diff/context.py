"""What every check reads: the two models, matched operations, and the schema pairs to compare.

Operations match by method and path template with parameter names blanked (``/pets/{id}`` and
``/pets/{petId}`` are the same endpoint), as oasdiff does by default. Every schema pair that any
check will walk is compared up front (``prepare``), so the difference graph is complete before
the first walk.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from ..model.api import Api, Operation, Parameter
from ..model.messages import Located, RequestBody, Response, request_body, responses
from .compare import PairDiff, SchemaComparer

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
class DiffContext:
    base: Api
    rev: Api
    comparer: SchemaComparer
    pairs: list[OperationPair] = field(default_factory=list)
    removed: list[Operation] = field(default_factory=list)
    added: list[Operation] = field(default_factory=list)
    stages: Any = None  # StageSides when stages are compared
    seen: dict[tuple[str, str], set[int]] = field(default_factory=dict)  # schema pairs already reported

    @classmethod
    def build(cls, base: Api, rev: Api, stages: Any = None) -> "DiffContext":
        ctx = cls(base, rev, SchemaComparer(base.workspace, rev.workspace), stages=stages)
        rev_ops = {endpoint_key(op): op for op in rev.operations}
        seen = set()
        for op in base.operations:
            key = endpoint_key(op)
            other = rev_ops.get(key)
            if other is None or key in seen:
                ctx.removed.append(op)
                continue
            seen.add(key)
            ctx.pairs.append(OperationPair(op, other, request_body(base, op), request_body(rev, other),
                                           responses(base, op), responses(rev, other)))
        ctx.added = [op for op in rev.operations if endpoint_key(op) not in seen]
        ctx.pairs.sort(key=lambda p: (p.rev.path, p.rev.method))
        ctx.prepare()
        return ctx

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

    def prepare(self) -> None:
        for pair in self.pairs:
            for _ in self.parameter_pairs(pair):
                pass
            for _ in self.body_pairs(pair):
                pass
            for _ in self.response_pairs(pair):
                pass
            for _ in self.header_pairs(pair):
                pass
        self.comparer.finalize()
