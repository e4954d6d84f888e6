"""One memoised walk over the schemas of two API models, producing raw differences.

A raw difference (``Delta``) says what changed in one schema keyword and which way it moves the set
of values the schema accepts: ``NARROW`` (fewer values), ``WIDEN`` (more), ``BOTH`` (some values
gained, some lost), ``UNKNOWN`` (cannot be decided, e.g. a changed regex), ``SET`` (a constraint
that did not exist appears) or ``NEUTRAL`` (no effect on values: defaults, annotations). Whether
that breaks anybody depends on the direction only (a request narrowing breaks clients, a response
widening does) and is decided once, in ``checks.level_for``; nothing here knows about levels.

Comparing a pair of schemas gives a ``PairDiff`` node: the deltas found in the pair itself and an
edge per sub-schema pair (property, items, branch). Nodes are memoised by the identity of the two
resolved schema objects, so a component used by 400 operations is compared once and the diffs form
a graph, not a tree. A pair that is re-entered while it is being compared (a cyclic schema) returns
the node under construction, so cycles become cycles in the graph and need no depth limit.
Reporting walks that graph breadth-first from each root, with one visited set per direction and
kind of root shared by all operations: a changed pair is reported once, under the first operation
(by path, then method) that reaches it, at its shortest path from there. (Stripe's 2022 vs 2023
specs would otherwise give ~300,000 changes: every expandable object is reachable from every
operation.)
"""
from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii
from typing import Any, Iterator

from ..model.depth import MAX_SCHEMA_DEPTH, allow_deep_walks, too_deep
from ..model.messages import Located, schema_types
from ..source.document import Document
from ..source.workspace import Workspace

NARROW, WIDEN, BOTH, UNKNOWN, SET, NEUTRAL = "narrow", "widen", "both", "unknown", "set", "neutral"

# keyword -> (id fragment, True for upper bounds: a smaller value narrows)
BOUNDS = (
    ("maximum", "max", True), ("minimum", "min", False),
    ("maxLength", "max-length", True), ("minLength", "min-length", False),
    ("maxItems", "max-items", True), ("minItems", "min-items", False),
    ("maxContains", "max-contains", True), ("minContains", "min-contains", False),
)
EXCLUSIVE = (("exclusiveMaximum", "exclusive-max", True), ("exclusiveMinimum", "exclusive-min", False))
# sub-schema keywords whose appearance constrains (added narrows, removed widens)
CONSTRAINING_SUBSCHEMAS = (
    ("if", "if"), ("then", "then"), ("else", "else"), ("contains", "contains"),
    ("propertyNames", "property-names"), ("unevaluatedItems", "unevaluated-items"),
    ("unevaluatedProperties", "unevaluated-properties"), ("contentSchema", "content-schema"),
)
WIDER_FORMATS = {("int32", "int64"), ("float", "double"), ("int32", None), ("int64", None), ("float", None),
                 ("double", None)}

def _bound_effects() -> dict[str, str]:
    out = {}
    for _, frag, upper in BOUNDS + EXCLUSIVE:
        out[f"{frag}-decreased"] = NARROW if upper else WIDEN
        out[f"{frag}-increased"] = WIDEN if upper else NARROW
        out[f"{frag}-set"] = SET
        out[f"{frag}-unset"] = WIDEN
    return out


# Every keyword-level change the walk reports, and which way it moves the accepted values.
KIND_EFFECTS: dict[str, str] = {
    "type-changed": BOTH, "type-generalized": WIDEN, "type-specialized": NARROW,
    "list-of-types-widened": WIDEN, "list-of-types-narrowed": NARROW,
    "became-nullable": WIDEN, "became-not-nullable": NARROW,
    "became-enum": NARROW, "enum-value-removed": NARROW, "enum-value-added": WIDEN,
    "x-extensible-enum-value-removed": NARROW, "x-extensible-enum-value-added": WIDEN,
    "const-added": NARROW, "const-removed": WIDEN, "const-changed": BOTH,
    **_bound_effects(),
    "pattern-added": NARROW, "pattern-removed": WIDEN, "pattern-changed": UNKNOWN,
    "default-value-added": NEUTRAL, "default-value-removed": NEUTRAL, "default-value-changed": NEUTRAL,
    "deprecated": NEUTRAL, "reactivated": NEUTRAL,
    "discriminator-added": NEUTRAL, "discriminator-removed": NEUTRAL, "discriminator-property-name-changed": NEUTRAL,
    "discriminator-mapping-added": NEUTRAL, "discriminator-mapping-deleted": NEUTRAL,
    "discriminator-mapping-changed": NEUTRAL,
    **{f"{frag}-added": NARROW for _, frag in CONSTRAINING_SUBSCHEMAS},
    **{f"{frag}-removed": WIDEN for _, frag in CONSTRAINING_SUBSCHEMAS},
    "prefix-items-added": WIDEN, "prefix-items-removed": NARROW,  # as oasdiff: positions gain their own schema
    "content-media-type-changed": BOTH, "content-encoding-changed": BOTH,
    "dependent-required-added": NARROW, "dependent-required-removed": WIDEN, "dependent-required-changed": BOTH,
    "dependent-schema-added": NARROW, "dependent-schema-removed": WIDEN,
    "pattern-property-added": NARROW, "pattern-property-removed": WIDEN,
    "all-of-added": NARROW, "all-of-removed": WIDEN,
    "all-of-added-annotation-only": NEUTRAL, "all-of-removed-annotation-only": NEUTRAL,
    "any-of-added": WIDEN, "any-of-removed": NARROW, "one-of-added": WIDEN, "one-of-removed": NARROW,
}
ANNOTATIONS = {"title", "description", "example", "examples", "deprecated", "readOnly", "writeOnly", "default",
               "externalDocs", "xml", "$comment"}


@dataclass(slots=True)
class Delta:
    kind: str  # id fragment after "<direction>-<where>-": "max-length-decreased", "property-added"...
    effect: str
    base: Any
    rev: Any
    at: tuple[Document, tuple]  # revision side, or base side for removals
    path: tuple = ()  # below the node the delta belongs to (property-level deltas: the property name)
    flags: frozenset = frozenset()  # required, read-only, write-only, with-default


class PairDiff:
    """The differences between one base schema and one revision schema."""

    __slots__ = ("local", "children", "changed", "base", "rev")

    def __init__(self, base: Located, rev: Located):
        self.local: list[Delta] = []
        self.children: list[tuple[str, "PairDiff"]] = []
        self.changed = False
        self.base, self.rev = base, rev


def canonical(value: Any) -> str:
    if type(value) is str:  # most enum values: what json.dumps itself does for a string, minus its set-up
        return encode_basestring_ascii(value)
    return json.dumps(value, sort_keys=True, default=str)


def short(value: Any) -> str:
    text = canonical(value)
    return text if len(text) <= 60 else text[:57] + "..."


class SchemaComparer:
    def __init__(self, base: Workspace, rev: Workspace):
        self.base_ws, self.rev_ws = base, rev
        self.memo: dict[tuple[int, int], PairDiff] = {}
        self._effective: dict[int, tuple[dict[str, Located], set[str]]] = {}
        self._final = False
        self._unchanged = _unchanged_components(base.root, rev.root)
        self._refs_by_group = _refs_by_group(base.root)
        self._depth = 0  # pairs being filled right now: nesting (not cycles) is what recursion depth follows
        allow_deep_walks()

    # -- comparing ---------------------------------------------------------------------------
    def pair(self, base: Located, rev: Located) -> PairDiff:
        b = self.base_ws.deref(base[0], base[2], base[1])
        r = self.rev_ws.deref(rev[0], rev[2], rev[1])
        key = (id(b[2]), id(r[2]))
        node = self.memo.get(key)
        if node is None:
            node = self.memo[key] = PairDiff(b, r)
            if not self._same(b, r) and isinstance(b[2], dict) and isinstance(r[2], dict):
                if self._depth >= MAX_SCHEMA_DEPTH:
                    raise too_deep(r[0], r[1], "diff")
                self._depth += 1
                try:
                    self._fill(node, b, r)
                finally:
                    self._depth -= 1
        return node

    def _same(self, b: Located, r: Located) -> bool:
        """True when nothing can differ: the same place in both root documents, written the same, and
        every $ref inside leads only to unchanged components."""
        if b[1] != r[1] or b[0] is not self.base_ws.root or r[0] is not self.rev_ws.root:
            return False
        pointer = b[1]
        if pointer[:3] in self._unchanged:
            return True
        if b[2] != r[2]:
            return False
        n = len(pointer)
        return all(target in self._unchanged for ptr, target in self._refs_by_group.get(pointer[:3], ())
                   if ptr[:n] == pointer)

    def _fill(self, node: PairDiff, b: Located, r: Located) -> None:
        bs, rs = b[2], r[2]
        rd, rp = r[0], r[1]
        bd, bp = b[0], b[1]
        out = node.local
        flags = frozenset(f for f, k in (("read-only", "readOnly"), ("write-only", "writeOnly")) if rs.get(k) is True)

        def add(kind: str, old: Any, new: Any, keyword: str | None = None, removal: bool = False) -> None:
            at = (bd, bp + ((keyword,) if keyword and keyword in bs else ())) if removal else \
                (rd, rp + ((keyword,) if keyword and keyword in rs else ()))
            out.append(Delta(kind, KIND_EFFECTS[kind], old, new, at, (), flags))

        if bs != rs:  # equal as written: only what their $refs point to can differ
            self._types(b, r, add)
            self._enum(bs, rs, add)
            self._bounds(bs, rs, add)
            self._keywords(bs, rs, add)
        self._composition(node, b, r, add)
        self._properties(node, b, r, add)
        for key in ("items", "additionalProperties", "not"):
            if isinstance(bs.get(key), dict) and isinstance(rs.get(key), dict):
                node.children.append((key, self.pair((bd, bp + (key,), bs[key]), (rd, rp + (key,), rs[key]))))

    def _types(self, b: Located, r: Located, add) -> None:
        bs, rs = b[2], r[2]
        bt, bn = schema_types(bs)
        rt, rn = schema_types(rs)
        if not bt:
            bt = self._branch_types(self.base_ws, b)
        if not rt:
            rt = self._branch_types(self.rev_ws, r)
        bf, rf = bs.get("format"), rs.get("format")
        bf = bf if isinstance(bf, str) else None
        rf = rf if isinstance(rf, str) else None
        if bt and rt:
            old, new = _type_text(bt, bf), _type_text(rt, rf)
            if bt != rt and (len(bt) > 1 or len(rt) > 1):
                if bt < rt:
                    add("list-of-types-widened", old, new, "type")
                elif rt < bt:
                    add("list-of-types-narrowed", old, new, "type")
                else:
                    add("type-changed", old, new, "type")
            elif bt != rt:
                pair = (next(iter(bt)), next(iter(rt)))
                if pair == ("integer", "number"):
                    add("type-generalized", old, new, "type")
                elif pair == ("number", "integer"):
                    add("type-specialized", old, new, "type")
                else:
                    add("type-changed", old, new, "type")
            elif bf != rf:
                if (bf, rf) in WIDER_FORMATS:
                    add("type-generalized", old, new, "format")
                elif (rf, bf) in WIDER_FORMATS:
                    add("type-specialized", old, new, "format")
                else:
                    add("type-changed", old, new, "format")
        if bn != rn:
            if rn:
                add("became-nullable", False, True, "nullable" if "nullable" in rs else "type")
            else:
                add("became-not-nullable", True, False, "nullable" if "nullable" in bs else "type")

    @staticmethod
    def _branch_types(ws: Workspace, located: Located) -> frozenset[str]:
        """The type an ``allOf`` composition gets from its branches (when it declares none itself)."""
        branches = located[2].get("allOf")
        if not isinstance(branches, list):
            return frozenset()
        for branch in branches:
            if isinstance(branch, dict):
                _, _, node = ws.deref(located[0], branch, ())
                if isinstance(node, dict):
                    types, _ = schema_types(node)
                    if types:
                        return types
        return frozenset()

    def _enum(self, bs: dict, rs: dict, add) -> None:
        for keyword, frag in (("enum", "enum-value"), ("x-extensible-enum", "x-extensible-enum-value")):
            be, re_ = bs.get(keyword), rs.get(keyword)
            if isinstance(be, list) and isinstance(re_, list):
                old = {canonical(v): v for v in be if v is not None}
                new = {canonical(v): v for v in re_ if v is not None}
                for key in sorted(old.keys() - new.keys()):
                    add(f"{frag}-removed", old[key], None, keyword)
                for key in sorted(new.keys() - old.keys()):
                    add(f"{frag}-added", None, new[key], keyword)
            elif keyword == "enum" and be is None and isinstance(re_, list) and "const" not in bs:
                add("became-enum", None, re_, keyword)
        if "const" in bs or "const" in rs:
            if "const" not in bs:
                add("const-added", None, rs["const"], "const")
            elif "const" not in rs:
                add("const-removed", bs["const"], None, "const", removal=True)
            elif canonical(bs["const"]) != canonical(rs["const"]):
                add("const-changed", bs["const"], rs["const"], "const")

    def _bounds(self, bs: dict, rs: dict, add) -> None:
        for keyword, frag, upper in BOUNDS:
            self._bound(bs.get(keyword), rs.get(keyword), keyword, frag, upper, add)
        for keyword, frag, upper in EXCLUSIVE:
            bv, rv = bs.get(keyword), rs.get(keyword)
            if isinstance(bv, bool) or isinstance(rv, bool):  # OpenAPI 3.0: a flag on maximum/minimum
                if bv is not True and rv is True:
                    add(f"{frag}-set", bv, rv, keyword)
                elif bv is True and rv is not True:
                    add(f"{frag}-unset", bv, rv, keyword, removal=rv is None)
            else:
                self._bound(bv, rv, keyword, frag, upper, add)

    @staticmethod
    def _bound(bv: Any, rv: Any, keyword: str, frag: str, upper: bool, add) -> None:
        if bv is None and rv is None:  # the common case: the keyword is in neither schema
            return
        if _is_number(bv) and _is_number(rv):
            if rv < bv:
                add(f"{frag}-decreased", bv, rv, keyword)
            elif rv > bv:
                add(f"{frag}-increased", bv, rv, keyword)
        elif _is_number(rv) and bv is None:
            add(f"{frag}-set", None, rv, keyword)
        elif _is_number(bv) and rv is None:
            add(f"{frag}-unset", bv, None, keyword, removal=True)

    def _keywords(self, bs: dict, rs: dict, add) -> None:
        bpat, rpat = bs.get("pattern"), rs.get("pattern")
        if bpat != rpat:
            if bpat is None:
                add("pattern-added", None, rpat, "pattern")
            elif rpat is None:
                add("pattern-removed", bpat, None, "pattern", removal=True)
            else:
                add("pattern-changed", bpat, rpat, "pattern")
        if "default" in bs or "default" in rs:
            if "default" not in bs:
                add("default-value-added", None, rs["default"], "default")
            elif "default" not in rs:
                add("default-value-removed", bs["default"], None, "default", removal=True)
            elif canonical(bs["default"]) != canonical(rs["default"]):
                add("default-value-changed", bs["default"], rs["default"], "default")
        if (bs.get("deprecated") is True) != (rs.get("deprecated") is True):
            add("deprecated" if rs.get("deprecated") is True else "reactivated", None, None, "deprecated")
        self._discriminator(bs.get("discriminator"), rs.get("discriminator"), add)
        for keyword, frag in CONSTRAINING_SUBSCHEMAS:
            if keyword in bs and keyword not in rs:
                add(f"{frag}-removed", None, None, keyword, removal=True)
            elif keyword in rs and keyword not in bs:
                add(f"{frag}-added", None, None, keyword)
        if "prefixItems" in bs and "prefixItems" not in rs:  # positions lose their own schema: items applies
            add("prefix-items-removed", None, None, "prefixItems", removal=True)
        elif "prefixItems" in rs and "prefixItems" not in bs:
            add("prefix-items-added", None, None, "prefixItems")
        for keyword, frag in (("contentMediaType", "content-media-type"), ("contentEncoding", "content-encoding")):
            if keyword in bs and keyword in rs and bs[keyword] != rs[keyword]:
                add(f"{frag}-changed", bs[keyword], rs[keyword], keyword)
        bdr, rdr = bs.get("dependentRequired"), rs.get("dependentRequired")
        if bdr is None and isinstance(rdr, dict):
            add("dependent-required-added", None, rdr, "dependentRequired")
        elif isinstance(bdr, dict) and rdr is None:
            add("dependent-required-removed", bdr, None, "dependentRequired", removal=True)
        elif isinstance(bdr, dict) and isinstance(rdr, dict) and canonical(bdr) != canonical(rdr):
            add("dependent-required-changed", bdr, rdr, "dependentRequired")
        for keyword, frag in (("dependentSchemas", "dependent-schema"), ("patternProperties", "pattern-property")):
            bm = bs.get(keyword) if isinstance(bs.get(keyword), dict) else {}
            rm = rs.get(keyword) if isinstance(rs.get(keyword), dict) else {}
            for name in sorted(rm.keys() - bm.keys(), key=str):
                add(f"{frag}-added", None, name, keyword)
            for name in sorted(bm.keys() - rm.keys(), key=str):
                add(f"{frag}-removed", name, None, keyword, removal=True)

    def _discriminator(self, bd: Any, rd: Any, add) -> None:
        if not isinstance(bd, dict) and not isinstance(rd, dict):
            return
        if not isinstance(bd, dict):
            add("discriminator-added", None, rd.get("propertyName"), "discriminator")
            return
        if not isinstance(rd, dict):
            add("discriminator-removed", bd.get("propertyName"), None, "discriminator", removal=True)
            return
        if bd.get("propertyName") != rd.get("propertyName"):
            add("discriminator-property-name-changed", bd.get("propertyName"), rd.get("propertyName"),
                "discriminator")
        bm = bd.get("mapping") if isinstance(bd.get("mapping"), dict) else {}
        rm = rd.get("mapping") if isinstance(rd.get("mapping"), dict) else {}
        for key in sorted(rm.keys() - bm.keys(), key=str):
            add("discriminator-mapping-added", None, key, "discriminator")
        for key in sorted(bm.keys() - rm.keys(), key=str):
            add("discriminator-mapping-deleted", key, None, "discriminator", removal=True)
        for key in sorted(bm.keys() & rm.keys(), key=str):
            if bm[key] != rm[key]:
                add("discriminator-mapping-changed", bm[key], rm[key], "discriminator")

    # -- composition -------------------------------------------------------------------------
    def _composition(self, node: PairDiff, b: Located, r: Located, add) -> None:
        bs, rs = b[2], r[2]
        for keyword, frag in (("allOf", "all-of"), ("anyOf", "any-of"), ("oneOf", "one-of")):
            bl = bs.get(keyword) if isinstance(bs.get(keyword), list) else []
            rl = rs.get(keyword) if isinstance(rs.get(keyword), list) else []
            if not bl and not rl:
                continue
            b_branches = [self._branch(self.base_ws, b, keyword, i, v) for i, v in enumerate(bl)]
            r_branches = [self._branch(self.rev_ws, r, keyword, i, v) for i, v in enumerate(rl)]
            matched, removed, added = _match_branches(b_branches, r_branches)
            for label, located in removed:
                kind = f"{frag}-removed" + ("-annotation-only" if _annotation_only(located[2]) and frag == "all-of" else "")
                node.local.append(Delta(kind, KIND_EFFECTS[kind], label, None, (located[0], located[1])))
            for label, located in added:
                kind = f"{frag}-added" + ("-annotation-only" if _annotation_only(located[2]) and frag == "all-of" else "")
                node.local.append(Delta(kind, KIND_EFFECTS[kind], None, label, (located[0], located[1])))
            if frag != "all-of":  # allOf branches are compared through the merged properties
                for (label, bl_), (_, rl_) in matched:
                    node.children.append((f"{keyword}[{label}]", self.pair(bl_, rl_)))

    @staticmethod
    def _branch(ws: Workspace, owner: Located, keyword: str, index: int, value: Any) -> tuple[str, Located]:
        doc, ptr = owner[0], owner[1] + (keyword, index)
        label = None
        if isinstance(value, dict) and isinstance(value.get("$ref"), str):
            label = value["$ref"].rsplit("/", 1)[-1]
        resolved = ws.deref(doc, value, ptr)
        if label is None and isinstance(resolved[2], dict) and isinstance(resolved[2].get("title"), str):
            label = resolved[2]["title"]
        return label or f"#{index}", resolved

    # -- properties --------------------------------------------------------------------------
    def effective_properties(self, ws: Workspace, located: Located) -> tuple[dict[str, Located], set[str]]:
        """Properties and required names of a schema, with those of its ``allOf`` branches merged in
        (the schema's own win). Cycle-safe; memoised per schema object."""
        schema = located[2]
        cached = self._effective.get(id(schema))
        if cached is not None:
            return cached
        props: dict[str, Located] = {}
        required: set[str] = set()
        seen: set[int] = set()
        stack = [located]
        while stack:
            doc, ptr, node = stack.pop()
            if not isinstance(node, dict) or id(node) in seen:
                continue
            seen.add(id(node))
            own = node.get("properties")
            if isinstance(own, dict):
                for name, value in own.items():
                    props.setdefault(str(name), (doc, ptr + ("properties", name), value))
            req = node.get("required")
            if isinstance(req, list):
                required.update(str(n) for n in req if isinstance(n, str))
            branches = node.get("allOf")
            if isinstance(branches, list):
                for i in range(len(branches) - 1, -1, -1):
                    stack.append(ws.deref(doc, branches[i], ptr + ("allOf", i)))
        result = (props, required)
        self._effective[id(schema)] = result
        return result

    def _properties(self, node: PairDiff, b: Located, r: Located, add) -> None:
        bprops, breq = self.effective_properties(self.base_ws, b)
        rprops, rreq = self.effective_properties(self.rev_ws, r)
        if not bprops and not rprops:
            return
        for name, located in rprops.items():
            rnode = _node(self.rev_ws, located)
            rnode = rnode if isinstance(rnode, dict) else {}
            flags = _property_flags(rnode, name in rreq)
            old = bprops.get(name)
            if old is None:
                effect = NARROW if name in rreq else NEUTRAL
                node.local.append(Delta("property-added", effect, None, name, (located[0], located[1]), (name,), flags))
                continue
            bnode = _node(self.base_ws, old)
            bnode = bnode if isinstance(bnode, dict) else {}
            both_flags = flags | _property_flags(bnode, name in breq) - {"required"}
            at = (located[0], located[1])
            if name in rreq and name not in breq:
                node.local.append(Delta("became-required", NARROW, None, name, at, (name,), both_flags | {"required"}))
            elif name in breq and name not in rreq:
                node.local.append(Delta("became-optional", WIDEN, name, None, at, (name,), both_flags - {"required"}))
            req_flag = frozenset({"required"}) if name in rreq else frozenset()
            for keyword, frag in (("readOnly", "read-only"), ("writeOnly", "write-only")):
                was, now = bnode.get(keyword) is True, rnode.get(keyword) is True
                if was != now:
                    kind = f"became-{frag}" if now else f"became-not-{frag}"
                    node.local.append(Delta(kind, NEUTRAL, was, now, at, (name,), req_flag))
            node.children.append((name, self.pair(old, located)))
        for name, located in bprops.items():
            if name not in rprops:
                bnode = _node(self.base_ws, located)
                flags = _property_flags(bnode if isinstance(bnode, dict) else {}, name in breq)
                node.local.append(Delta("property-removed", WIDEN, name, None, (located[0], located[1]), (name,), flags))

    # -- reporting ---------------------------------------------------------------------------
    def finalize(self) -> None:
        """Mark every pair that has a difference somewhere below it (cycles included)."""
        parents: dict[int, list[PairDiff]] = {}
        for node in self.memo.values():
            for _, child in node.children:
                parents.setdefault(id(child), []).append(node)
        stack = [n for n in self.memo.values() if n.local]
        for n in stack:
            n.changed = True
        while stack:
            n = stack.pop()
            for p in parents.get(id(n), ()):
                if not p.changed:
                    p.changed = True
                    stack.append(p)
        self._final = True

    def walk(self, root: PairDiff, seen: set[int]) -> Iterator[tuple[tuple, Delta, PairDiff]]:
        """(path, delta, node) for every delta below ``root``, shortest path first, skipping the pairs
        in ``seen`` (and adding those it visits): a schema shared by many operations is reported
        once, under the first operation that reaches it."""
        if not self._final:
            self.finalize()
        if not root.changed or id(root) in seen:
            return
        queue: deque[tuple[tuple, PairDiff]] = deque([((), root)])
        seen.add(id(root))
        while queue:
            path, node = queue.popleft()
            for delta in node.local:
                yield path + delta.path, delta, node
            for segment, child in node.children:
                if child.changed and id(child) not in seen:
                    seen.add(id(child))
                    queue.append((path + (segment,), child))


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _type_text(types: frozenset[str], fmt: str | None) -> str:
    text = "|".join(sorted(types))
    return f"{text}/{fmt}" if fmt else text


def _property_flags(schema: dict, required: bool) -> frozenset:
    flags = set()
    if required:
        flags.add("required")
    if schema.get("readOnly") is True:
        flags.add("read-only")
    if schema.get("writeOnly") is True:
        flags.add("write-only")
    if "default" in schema:
        flags.add("with-default")
    return frozenset(flags)


def _annotation_only(schema: Any) -> bool:
    return isinstance(schema, dict) and bool(schema) and all(k in ANNOTATIONS or k.startswith("x-") for k in schema)


def _match_branches(base: list[tuple[str, Located]], rev: list[tuple[str, Located]]):
    """Pair composition branches by ``$ref`` name or title; one leftover on each side pairs up too."""
    matched, rev_left = [], list(rev)
    base_left = []
    for label, located in base:
        hit = next((i for i, (l2, _) in enumerate(rev_left) if l2 == label and not label.startswith("#")), None)
        if hit is None:
            base_left.append((label, located))
        else:
            matched.append(((label, located), rev_left.pop(hit)))
    if len(base_left) == len(rev_left) and all(l.startswith("#") for l, _ in base_left + rev_left):
        matched.extend(zip(base_left, rev_left))
        base_left, rev_left = [], []
    elif len(base_left) == 1 and len(rev_left) == 1:
        matched.append((base_left[0], rev_left[0]))
        base_left, rev_left = [], []
    return matched, base_left, rev_left


def _node(ws: Workspace, located: Located) -> Any:
    return ws.deref(located[0], located[2], located[1])[2]


def _component_key(pointer: tuple) -> tuple | None:
    if len(pointer) >= 3 and pointer[0] == "components" and pointer[1] == "schemas":
        return pointer[:3]
    if len(pointer) >= 2 and pointer[0] == "definitions":
        return pointer[:2]
    return None


def _ref_target(ref: str) -> tuple | None:
    if not ref.startswith("#/"):
        return None
    return tuple(part.replace("~1", "/").replace("~0", "~") for part in ref[2:].split("/"))


def _refs_by_group(doc: Document) -> dict[tuple, list[tuple[tuple, tuple | None]]]:
    """The $refs of a document grouped by the first three pointer segments of where they are written,
    each with the component it targets (None: not a component of this document)."""
    out: dict[tuple, list] = {}
    for pointer, ref in doc.refs:
        target = _ref_target(ref)
        out.setdefault(tuple(pointer[:3]), []).append((tuple(pointer), _component_key(target) if target else None))
    return out


def _unchanged_components(base: Document, rev: Document) -> set[tuple]:
    """Component schemas that are equal as written and whose $refs (transitively) only reach such
    components: comparing them can find nothing, so the walk skips them outright."""
    def table(doc: Document) -> dict[tuple, Any]:
        data = doc.data if isinstance(doc.data, dict) else {}
        comps = data.get("components", {}).get("schemas") if isinstance(data.get("components"), dict) else None
        out = {("components", "schemas", k): v for k, v in comps.items()} if isinstance(comps, dict) else {}
        defs = data.get("definitions")
        if isinstance(defs, dict):
            out.update({("definitions", k): v for k, v in defs.items()})
        return out

    old, new = table(base), table(rev)
    refs: dict[tuple, set] = {}
    for doc in (base, rev):
        for pointer, ref in doc.refs:
            owner = _component_key(pointer)
            if owner is None:
                continue
            if not ref.startswith("#/"):
                refs.setdefault(owner, set()).add(None)
                continue
            target = tuple(part.replace("~1", "/").replace("~0", "~") for part in ref[2:].split("/"))
            refs.setdefault(owner, set()).add(_component_key(target))
    candidates = {k for k, v in old.items() if k in new and new[k] == v}
    # Drop every candidate that reaches a non-candidate, following the $refs backwards from each dropped one
    # (a work list: linear in the number of refs; a fixed-point loop was quadratic on a long chain of schemas).
    referrers: dict[tuple | None, list[tuple]] = {}
    for owner, targets in refs.items():
        for target in targets:
            referrers.setdefault(target, []).append(owner)
    dropped = [k for k in candidates if any(t not in candidates for t in refs.get(k, ()))]
    candidates.difference_update(dropped)
    while dropped:
        for owner in referrers.get(dropped.pop(), ()):
            if owner in candidates:
                candidates.discard(owner)
                dropped.append(owner)
    return {k[:3] if k[0] == "components" else k for k in candidates}
