"""References: every ``$ref`` must resolve, stay inside the root folder, and not loop on itself."""
from __future__ import annotations

from ..registry import Rule, check, declare

declare(
    Rule("ref-unresolved", "error", "A $ref points at nothing",
         "Fix the JSON pointer after '#' (keys are case-sensitive; '/' in a key is written '~1').", "references",
         example="schema: {$ref: '#/components/schemas/Missing'}"),
    Rule("ref-outside-root", "error", "A $ref leaves the spec's root folder",
         "Move the referenced file below the folder of the root spec (or pass --root to widen it).", "references",
         example="schema: {$ref: '../../etc/passwd#/x'}"),
    Rule("ref-remote-not-fetched", "warning", "A $ref names a URL, which is not fetched without --allow-remote",
         "Vendor the file next to the spec, or run with --allow-remote.", "references",
         example="schema: {$ref: 'https://example.com/schemas.yaml#/Pet'}"),
    Rule("ref-target-unreadable", "error", "The file a $ref names is missing or cannot be parsed",
         "Create the file, fix its path, or fix its syntax.", "references",
         example="schema: {$ref: './missing.yaml#/Pet'}"),
    Rule("ref-unsupported-scheme", "error", "A $ref uses a URI scheme other than relative paths and http(s)",
         "Use a relative file path.", "references", example="schema: {$ref: 'file:///etc/passwd'}"),
    Rule("ref-cycle", "error", "A chain of $refs leads back to itself without any content",
         "Point one of the $refs at a real object.", "references",
         example="components: {schemas: {A: {$ref: '#/components/schemas/B'}, B: {$ref: '#/components/schemas/A'}}}"),
    Rule("ref-siblings-ignored", "warning", "Keys next to a $ref are ignored (OpenAPI 2.0/3.0)",
         "Wrap the $ref in allOf, or move the keys into the referenced object.", "references",
         example="schema: {$ref: '#/components/schemas/Pet', description: lost}"),
)

_IGNORED_SIBLINGS_OK = {"$ref", "description", "summary"}


@check("ref-unresolved", "ref-outside-root", "ref-remote-not-fetched", "ref-target-unreadable",
       "ref-unsupported-scheme", "ref-cycle", "ref-siblings-ignored")
def check_references(ctx):
    ws = ctx.api.workspace
    for problem in ws.problems:
        yield ctx.finding(problem.rule, problem.message, problem.pointer + ("$ref",), problem.document)
    failed_files = {(id(p.document), p.pointer) for p in ws.problems}
    sibling_check = ctx.api.major in ("2.0", "3.0")
    cycles: dict[tuple[int, str], bool] = {}  # a spec writes the same $ref many times
    for doc, pointer, ref in ws.all_refs():
        if (id(doc), pointer) in failed_files:
            continue
        if ws.target_document(doc, ref) is None:
            continue  # loading failed, reported above
        hit = ws.resolve(doc, ref)
        if hit is None:
            if not _builtin_model_ref(ctx.api, doc, ref):  # reported by apigw-builtin-model-ref
                yield ctx.finding("ref-unresolved", f"$ref '{ref}' does not resolve", pointer + ("$ref",), doc)
            continue
        in_cycle = cycles.get((id(doc), ref))
        if in_cycle is None:
            in_cycle = cycles[(id(doc), ref)] = _is_pure_cycle(ws, doc, ref)
        if in_cycle:
            yield ctx.finding("ref-cycle", f"$ref '{ref}' is part of a cycle of references with no content",
                              pointer + ("$ref",), doc)
        if sibling_check:
            node = doc.get(pointer)
            if isinstance(node, dict):
                extra = [k for k in node if k not in _IGNORED_SIBLINGS_OK and not str(k).startswith("x-")]
                if extra and _in_schema_context(pointer):
                    yield ctx.finding("ref-siblings-ignored",
                                      f"{', '.join(map(str, extra))} next to $ref are ignored in OpenAPI {ctx.api.major}",
                                      pointer + (extra[0],), doc)


def _builtin_model_ref(api, doc, ref) -> bool:
    if not api.targets_gateway:
        return False  # (the gateway helpers are not even imported for other specs)
    from ..gateway import builtin_model_ref

    return builtin_model_ref(api, doc, ref)


def _is_pure_cycle(ws, doc, ref) -> bool:
    seen = set()
    current_doc, current_ref = doc, ref
    while True:  # ends: every step visits a new (document, pointer) or returns
        hit = ws.resolve(current_doc, current_ref)
        if hit is None:
            return False
        target_doc, target_ptr, node = hit
        key = (id(target_doc), target_ptr)
        if key in seen:
            return True
        seen.add(key)
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return False
        current_doc, current_ref = target_doc, node["$ref"]


def _in_schema_context(pointer: tuple) -> bool:
    return any(seg in ("schema", "schemas", "definitions", "properties", "items", "allOf", "oneOf", "anyOf")
               for seg in pointer)
