"""Helpers the Swift (ios) and Java (android) targets share: path templates, union cases, reference cycles."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import urlsplit

from ..model import Model, Operation, Param, SdkApi, SpecText, TypeRef
from ..naming import Scope, identifier

_PATH_PARAM = re.compile(r"\{([^{}]+)\}")


@dataclass
class PathPart:
    literal: SpecText | None = None  # escape with the target's string filter
    param: Param | None = None


def path_parts(op: Operation) -> list[PathPart]:
    """The operation path split into literal text and path parameters (a parameter the spec does not declare
    stays literal text)."""
    by_wire: dict[str, Param] = {str(p.wire_name): p for p in op.params_in("path")}
    parts: list[PathPart] = []
    pos = 0
    for match in _PATH_PARAM.finditer(op.path):
        param = by_wire.get(match.group(1))
        if param is None:
            continue
        if match.start() > pos:
            parts.append(PathPart(literal=SpecText(op.path[pos:match.start()])))
        parts.append(PathPart(param=param))
        pos = match.end()
    if pos < len(op.path) or not parts:
        parts.append(PathPart(literal=SpecText(op.path[pos:])))
    return parts


def base_url(sdk: SdkApi) -> str:
    """The spec's first server URL when it is an absolute http(s) URL, else ``http://localhost``."""
    url = str(sdk.base_url).rstrip("/")
    try:
        parts = urlsplit(url)
    except ValueError:
        return "http://localhost"
    if parts.scheme in ("http", "https") and parts.netloc and "{" not in url and " " not in url:
        return url
    return "http://localhost"


def type_words(t: TypeRef) -> str:
    """Words naming a type, for union case names (``[String]`` -> "string list")."""
    if t.kind == "model" and t.model is not None:
        return t.model.name
    if t.kind == "array" and t.items is not None:
        return type_words(t.items) + " list"
    if t.kind == "map" and t.values is not None:
        return type_words(t.values) + " map"
    return {"datetime": "date time", "binary": "data", "any": "json", "boolean": "bool"}.get(t.kind, t.kind)


@dataclass
class UnionCase:
    name: str
    type: TypeRef
    tags: list[SpecText]  # discriminator values that select this case
    required: list[SpecText]  # required wire names of an object variant (to tell variants apart)


def union_cases(model: Model, case: str, reserved: Iterable[str]) -> list[UnionCase]:
    """The cases of a ``union`` model: its variants plus discriminator targets that are not variants, each with a
    unique identifier in ``case`` style."""
    scope = Scope(reserved=reserved)
    cases: list[UnionCase] = []

    def find(t: TypeRef) -> UnionCase | None:
        return next((c for c in cases if c.type.model is not None and c.type.model is t.model), None)

    def add(t: TypeRef) -> UnionCase:
        name = scope.claim(identifier(type_words(t), case, frozenset(scope.reserved), fallback="variant"))
        required = [p.wire_name for p in t.model.all_properties if p.required] \
            if t.model is not None and t.model.kind == "object" else []
        cases.append(UnionCase(name, t, [], required))
        return cases[-1]

    for variant in model.variants:
        add(variant)
    if model.discriminator is not None:
        for value, t in model.discriminator.mapping:
            found = find(t) or add(t)
            if value not in found.tags:
                found.tags.append(value)
    return cases


def boxed_properties(sdk: SdkApi) -> set[tuple[int, str]]:
    """(id(model), wire name) of object properties that close a cycle of value types: struct A holds B holds A.

    Swift structs cannot contain themselves, so the target stores these behind a heap box. Arrays, maps and
    unions (indirect enums) already break a cycle; only direct object-to-object edges count.
    """
    objects = [m for m in sdk.models if m.kind == "object"]
    edges: dict[int, list[Model]] = {}
    for m in objects:
        edges[id(m)] = [p.type.model for p in m.all_properties
                        if p.type.kind == "model" and p.type.model is not None and p.type.model.kind == "object"]
    component = _components(objects, lambda m: edges[id(m)])
    boxed = set()
    for m in objects:
        for p in m.all_properties:
            target = p.type.model
            if p.type.kind == "model" and target is not None and target.kind == "object" and \
                    component[id(target)] == component[id(m)]:
                boxed.add((id(m), str(p.wire_name)))
    return boxed


def _components(nodes: list[Model], successors: Callable[[Model], list[Model]]) -> dict[int, int]:
    """Strongly connected components (Tarjan, iterative): id(node) -> component number."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[Model] = []
    result: dict[int, int] = {}
    counter = 0
    for root in nodes:
        if id(root) in index:
            continue
        work = [(root, iter(successors(root)))]
        index[id(root)] = low[id(root)] = counter
        counter += 1
        stack.append(root)
        on_stack.add(id(root))
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if id(child) not in index:
                    index[id(child)] = low[id(child)] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(id(child))
                    work.append((child, iter(successors(child))))
                elif id(child) in on_stack:
                    low[id(node)] = min(low[id(node)], index[id(child)])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[id(parent)] = min(low[id(parent)], low[id(node)])
            if low[id(node)] == index[id(node)]:
                while True:
                    member = stack.pop()
                    on_stack.discard(id(member))
                    result[id(member)] = index[id(node)]
                    if member is node:
                        break
    return result


def ordered_params(op: Operation) -> list[Param]:
    """Method parameter order for both targets: path, then required, then optional parameters."""
    rest = [p for p in op.params if p.location != "path"]
    return op.params_in("path") + [p for p in rest if p.required] + [p for p in rest if not p.required]
