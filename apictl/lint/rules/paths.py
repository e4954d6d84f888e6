"""Paths: templates are well formed, every {variable} is declared and every path parameter used,
and no two paths are the same route under different variable names."""
from __future__ import annotations

from ...lazy_re import lazy_compile
from ..registry import Rule, check, declare

declare(
    Rule("path-param-undeclared", "error", "A {variable} in the path has no matching path parameter",
         "Declare it under the operation's (or path item's) parameters with `in: path, required: true`.",
         "semantics", example="paths: {/pets/{id}: {get: {responses: {'200': {description: ok}}}}}"),
    Rule("path-param-unused", "error", "A path parameter is declared but the path has no such {variable}",
         "Remove the parameter, or add {name} to the path.", "semantics",
         example="paths: {/pets: {get: {parameters: [{name: id, in: path, required: true}]}}}"),
    Rule("path-template-invalid", "error", "A path template is malformed (braces, empty or repeated variable)",
         "Write variables as whole segments like /pets/{petId}; names must be unique in one path.", "semantics",
         example="paths: {'/pets/{id': {}}"),
    Rule("path-ambiguous", "error", "Two paths are the same route with differently named variables",
         "Use one path and one variable name (API Gateway cannot have two variable siblings).", "semantics",
         example="paths: {/pets/{id}: {}, /pets/{name}: {}}"),
    Rule("parameter-duplicate", "error", "The same parameter (name + location) is declared twice in one list",
         "Remove one of them.", "semantics",
         example="parameters: [{name: a, in: query}, {name: a, in: query}]"),
)

_VAR = lazy_compile(r"\{([^{}]*)\}")


def template_variables(path: str) -> list[str]:
    return [m.group(1) for m in _VAR.finditer(path)]


def route_shape(path: str) -> str:
    """'/pets/{id}/toys' -> '/pets/{}/toys' (greedy {proxy+} keeps its plus)."""
    return _VAR.sub(lambda m: "{+}" if m.group(1).endswith("+") else "{}", path.rstrip("/") or "/")


@check("path-param-undeclared", "path-param-unused", "path-template-invalid", "path-ambiguous", "parameter-duplicate")
def check_paths(ctx):
    api = ctx.api
    shapes: dict[str, str] = {}
    for path in api.paths:
        path = str(path)
        pointer = ("paths", path)
        names = template_variables(path)
        if path.count("{") != path.count("}") or any(not n.strip() for n in names) or _nested(path):
            yield ctx.finding("path-template-invalid", f"path '{path}' has unbalanced braces or an empty variable", pointer)
            continue
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            yield ctx.finding("path-template-invalid", f"path '{path}' repeats variable(s) {', '.join(repeated)}", pointer)
        shape = route_shape(path)
        if shape in shapes and shapes[shape] != path:
            yield ctx.finding("path-ambiguous", f"path '{path}' is the same route as '{shapes[shape]}'", pointer)
        else:
            shapes.setdefault(shape, path)
    for op in api.operations:
        names = [n.rstrip("+") for n in template_variables(op.path)]
        declared = [p for p in op.parameters if p.location == "path"]
        declared_names = {p.name for p in declared}
        for name in names:
            if name and name not in declared_names and (name + "+") not in declared_names:
                yield ctx.finding("path-param-undeclared",
                                  f"{op.label}: path variable {{{name}}} is not declared as a path parameter",
                                  op.pointer, op.document)
        for p in declared:
            if p.name.rstrip("+") not in names:
                yield ctx.finding("path-param-unused",
                                  f"{op.label}: path parameter '{p.name}' does not appear in the path",
                                  p.pointer, p.document)
    yield from _duplicate_parameters(ctx)


def _nested(path: str) -> bool:
    depth = 0
    for ch in path:
        depth += ch == "{"
        depth -= ch == "}"
        if depth > 1 or depth < 0:
            return True
    return False


def _duplicate_parameters(ctx):
    api = ctx.api
    lists = []
    for _, item_doc, item_ptr, item, _ in api.path_items():
        lists.append((item_doc, item_ptr + ("parameters",), item.get("parameters")))
    lists += [(op.document, op.pointer + ("parameters",), op.node.get("parameters")) for op in api.operations]
    for list_doc, pointer, params in lists:
        if not isinstance(params, list):
            continue
        seen = set()
        for i, p in enumerate(params):
            _, _, node = api.deref(list_doc, p, pointer + (i,))
            if not isinstance(node, dict):
                continue
            name, loc = node.get("name"), node.get("in")
            if not isinstance(name, str) or not isinstance(loc, str):
                continue
            key = (loc, name.lower() if loc == "header" else name)
            if key in seen:
                yield ctx.finding("parameter-duplicate", f"parameter '{name}' in {loc} is declared twice",
                                  pointer + (i,), list_doc)
            seen.add(key)
