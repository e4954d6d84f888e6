"""What a schema means for comparison, independent of how it is spelled.

Three spellings of one schema are read as one before two schemas are compared:

- nullability: ``nullable: true`` (3.0), ``x-nullable`` (2.0), a type list with ``"null"`` (3.1) and a
  ``oneOf``/``anyOf`` with a null branch (``{type: "null"}``, ``{enum: [null]}``, ``{const: null}``) all say
  "null is allowed". A ``oneOf``/``anyOf`` of one schema and a null branch (and annotations) *is* that
  schema, nullable. (A composition of one branch is compared as a wrapping, see ``compare._wrapping``.)
- ``$ref`` with sibling keywords (OpenAPI 3.1 / JSON Schema 2020-12): the siblings apply together with
  the target, so they are read over the target (the 3.0 rule ignores them, as the specification says).
- alternatives that differ only by type (``oneOf: [{type: string}, {type: integer}]``) are a type list.

Views are cached per schema object, so the comparer's memo (keyed by object identity) keeps working.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model.messages import Located, schema_types
from ..source.workspace import Workspace

ANNOTATIONS = frozenset({"title", "description", "example", "examples", "deprecated", "readOnly", "writeOnly",
                         "default", "externalDocs", "xml", "$comment", "$id", "$anchor", "$schema"})
# keywords a oneOf/anyOf wrapper may carry and still be "only" that composition
WRAPPER_KEYS = ANNOTATIONS | {"nullable", "x-nullable", "discriminator"}
TYPE_ONLY_KEYS = ANNOTATIONS | {"type", "format", "nullable", "x-nullable"}


@dataclass(slots=True)
class View:
    """A schema as compared: the node the keywords are read from, and whether null is allowed."""

    located: Located  # (document, pointer, node): node may be a merged dict for $ref siblings
    nullable: bool
    null_at: tuple | None  # (document, pointer) of what made it nullable, when that is a null branch


def _says_nullable(schema: dict) -> bool:
    """``schema_types(schema)[1]``, without building the set of types (this runs for every schema)."""
    kind = schema.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    return schema.get("nullable") is True or schema.get("x-nullable") is True


def is_annotation(key: Any) -> bool:
    return key in ANNOTATIONS or (isinstance(key, str) and key.startswith("x-"))


def is_null_schema(node: Any) -> bool:
    """``{type: "null"}``, ``{enum: [null]}`` or ``{const: null}``, with annotations at most."""
    if not isinstance(node, dict) or not node:
        return False
    says_null = False
    for key, value in node.items():
        if key == "type":
            if value == "null" or value == ["null"]:
                says_null = True
                continue
            return False
        if key == "enum":
            if value == [None]:
                says_null = True
                continue
            return False
        if key == "const":
            if value is None:
                says_null = True
                continue
            return False
        if key == "nullable" or is_annotation(key):
            continue
        return False
    return says_null


def only_keys(node: dict, keyword: str, allowed: frozenset = WRAPPER_KEYS) -> bool:
    """True when ``node`` holds ``keyword`` and otherwise only ``allowed`` keywords or extensions
    (a ``type`` that is just null counts too)."""
    for key, value in node.items():
        if key == keyword or key in allowed or (isinstance(key, str) and key.startswith("x-")):
            continue
        if key == "type" and (value == "null" or value == ["null"]):
            continue
        return False
    return True


class Viewer:
    """Builds and caches the views of one side (one workspace)."""

    def __init__(self, ws: Workspace, ref_siblings: bool):
        self.ws = ws
        self.ref_siblings = ref_siblings  # OpenAPI 3.1: $ref siblings apply
        self._merged: dict[int, dict] = {}
        self._merged_at: dict[int, tuple] = {}
        self.synthetic: set[int] = set()  # ids of merged nodes: written nowhere as such
        self._views: dict[int, View] = {}  # by the id of the schema object viewed
        self._written: dict[int, View] = {}  # by the id of the node as written (maybe a $ref)

    def resolve(self, located: Located) -> Located:
        """Follow ``$ref``s; with 3.1 semantics, keywords next to a ``$ref`` are read over its target."""
        doc, ptr, node = located
        if not (self.ref_siblings and isinstance(node, dict) and "$ref" in node and len(node) > 1):
            return self.ws.deref(doc, node, ptr)
        merged = self._merged.get(id(node))
        if merged is None:
            siblings: dict = {}
            current, cdoc, cptr = node, doc, ptr
            seen = set()
            while isinstance(current, dict) and isinstance(current.get("$ref"), str) and id(current) not in seen:
                seen.add(id(current))
                for key, value in current.items():
                    if key != "$ref":
                        siblings.setdefault(key, value)
                hit = self.ws.resolve(cdoc, current["$ref"])
                if hit is None:
                    break
                cdoc, cptr, current = hit
            if not isinstance(current, dict) or all(is_annotation(k) for k in siblings):
                return self.ws.deref(doc, node, ptr)
            merged = {**current, **siblings}
            self._merged[id(node)] = merged
            self._merged_at[id(node)] = (cdoc, cptr)
            self.synthetic.add(id(merged))
        cdoc, cptr = self._merged_at[id(node)]
        return (cdoc, cptr, merged)  # placed at the target: most keywords are written there

    def view(self, located: Located) -> View:
        written = located[2]
        cached = self._written.get(id(written))
        if cached is not None:
            return cached
        resolved = self.resolve(located)
        node = resolved[2]
        cached = self._views.get(id(node))
        if cached is not None:
            if isinstance(written, dict):
                self._written[id(written)] = cached
            return cached
        nullable, null_at = False, None
        current = resolved
        for _ in range(64):  # wrappers of wrappers; bounded, a cycle of wrappers just stops here
            schema = current[2]
            if not isinstance(schema, dict):
                break
            nullable = nullable or _says_nullable(schema)
            if "oneOf" not in schema and "anyOf" not in schema:  # most schemas: no wrapper to look into
                break
            inner = None
            for keyword in ("oneOf", "anyOf"):
                branches = schema.get(keyword)
                if not isinstance(branches, list) or not branches:
                    continue
                # null branches are written inline ({type: "null"}): found without following any $ref
                others = [i for i, b in enumerate(branches) if not is_null_schema(b)]
                if len(others) == len(branches):
                    continue
                nullable = True
                if null_at is None:
                    null_at = (current[0], current[1] + (keyword,))
                if len(others) == 1 and only_keys(schema, keyword):
                    i = others[0]  # one schema or null is that schema, nullable
                    inner = self.resolve((current[0], current[1] + (keyword, i), branches[i]))
                    break
            if inner is None:
                break
            current = inner
        result = View(current, nullable, null_at)
        if isinstance(node, dict):  # booleans and other shared constants are not schemas of a place
            self._views[id(node)] = result
            if isinstance(written, dict):
                self._written[id(written)] = result
        return result

    def branches(self, located: Located, keyword: str) -> list[tuple[int, Located]]:
        """The non-null branches of a composition keyword (null ones are written inline), resolved, with
        their index."""
        doc, ptr, node = located
        values = node.get(keyword) if isinstance(node, dict) else None
        if not isinstance(values, list):
            return []
        return [(i, self.resolve((doc, ptr + (keyword, i), value))) for i, value in enumerate(values)
                if not is_null_schema(value)]

    def alternative_types(self, located: Located) -> frozenset[str]:
        """The types of a ``oneOf``/``anyOf`` whose branches differ only by type (a type list written
        as alternatives); empty when the schema is not such a composition."""
        node = located[2]
        if not isinstance(node, dict) or schema_types(node)[0]:
            return frozenset()
        for keyword in ("oneOf", "anyOf"):
            if keyword not in node or not only_keys(node, keyword):
                continue
            branches = self.branches(located, keyword)
            if len(branches) < 2:
                return frozenset()
            types: set[str] = set()
            for _, (_, _, branch) in branches:
                if not isinstance(branch, dict) or not all(k in TYPE_ONLY_KEYS or str(k).startswith("x-")
                                                           for k in branch):
                    return frozenset()
                found, _ = schema_types(branch)
                if not found or "object" in found or "array" in found:
                    return frozenset()
                types |= found
            return frozenset(types)
        return frozenset()
