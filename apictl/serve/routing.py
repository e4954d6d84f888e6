"""Routing as API Gateway routes (gateway-runtime.md 1 and 4).

REST: the resource tree. Candidate resources are tried from the most specific (literal beats
``{param}`` beats ``{param+}``, segment by segment from the left) and the first that has the request
method, or ``ANY``, wins, so a greedy ancestor catches what a literal branch lacks, path or method.
HTTP APIs: full matches (literal or ``{var}``) first, then greedy routes, then ``$default``.
The trailing slash is ignored for matching; path parameter values stay percent-encoded.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from .definition import Definition, Method


@dataclass
class _Node:
    literal: dict[str, "_Node"] = field(default_factory=dict)
    variable: tuple[str, "_Node"] | None = None
    greedy: tuple[str, "_Node"] | None = None
    methods: dict[str, Method] = field(default_factory=dict)


@dataclass
class Match:
    method: Method
    path_parameters: dict[str, str]


@dataclass
class StageSplit:
    """The request path split around the stage (REST: always; HTTP: named stages)."""

    ok: bool
    rest: str = "/"  # path after the stage, leading slashes collapsed to one, trailing slash kept
    context_path: str = "/"  # $context.path / requestContext.path


class Router:
    def __init__(self, definition: Definition):
        self.definition = definition
        self.root = _Node()
        self.default_route: dict[str, Method] = {}
        for method in definition.methods:
            if method.resource_path == "$default":
                self.default_route[method.http_method] = method
                continue
            node = self.root
            for part in _segments(method.resource_path):
                if part.startswith("{") and part.endswith("+}"):
                    if node.greedy is None:
                        node.greedy = (part[1:-2], _Node())
                    node = node.greedy[1]
                elif part.startswith("{") and part.endswith("}"):
                    if node.variable is None:
                        node.variable = (part[1:-1], _Node())
                    node = node.variable[1]
                else:
                    node = node.literal.setdefault(part, _Node())
            node.methods[method.http_method] = method

    def split_stage(self, raw_path: str) -> StageSplit:
        d = self.definition
        collapsed = "/" + raw_path.lstrip("/")
        if not d.is_rest and d.stage == "$default":
            return StageSplit(True, collapsed, collapsed)
        prefix = "/" + d.stage
        if collapsed == prefix or collapsed.startswith(prefix + "/"):
            remainder = collapsed[len(prefix):]
            if remainder == "":
                return StageSplit(False, "", collapsed)  # "/stage" without slash: no resource (REST)
            return StageSplit(True, "/" + remainder.lstrip("/"), collapsed)
        return StageSplit(False, "", collapsed)

    def route(self, rest_path: str, http_method: str) -> Match | None:
        segments = _request_segments(rest_path)
        candidates = list(_walk(self.root, segments, 0, {}))
        if not self.definition.is_rest:
            candidates.sort(key=lambda c: c[2])  # full matches before greedy ones (stable)
        for node, params, _greedy in candidates:
            method = node.methods.get(http_method) or node.methods.get("ANY")
            if method is not None:
                return Match(method, params)
        if not self.definition.is_rest:
            method = self.default_route.get(http_method) or self.default_route.get("ANY")
            if method is not None:
                return Match(method, {})
        return None

    def allowed_methods(self, rest_path: str) -> set[str]:
        segments = _request_segments(rest_path)
        out: set[str] = set()
        for node, _params, _greedy in _walk(self.root, segments, 0, {}):
            out.update(node.methods)
        return out


def _segments(template: str) -> list[str]:
    return [p for p in template.strip("/").split("/") if p]


def _request_segments(rest_path: str) -> list[str]:
    path = rest_path.lstrip("/")
    if path.endswith("/"):
        path = path[:-1]
    return path.split("/") if path else []


def _walk(node: _Node, segments: list[str], i: int, params: dict[str, str]) -> Iterator[tuple[_Node, dict, bool]]:
    if i == len(segments):
        if node.methods:
            yield node, dict(params), False
        return
    segment = segments[i]
    child = node.literal.get(segment)
    if child is not None:
        yield from _walk(child, segments, i + 1, params)
    if node.variable is not None and segment:
        name, var_node = node.variable
        params[name] = segment
        yield from _walk(var_node, segments, i + 1, params)
        del params[name]
    if node.greedy is not None:
        name, greedy_node = node.greedy
        if greedy_node.methods:
            yield greedy_node, {**params, name: "/".join(segments[i:])}, True
