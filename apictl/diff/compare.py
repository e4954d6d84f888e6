"""One memoised walk over the schemas of two API models, producing raw differences.

A raw difference (``Delta``) says what changed in one schema keyword and which way it moves the set
of values the schema accepts: ``NARROW`` (fewer values), ``WIDEN`` (more), ``BOTH`` (some values
gained, some lost), ``UNKNOWN`` (cannot be decided, e.g. a changed regex), ``SET`` (a constraint
that did not exist appears) or ``NEUTRAL`` (no effect on values: defaults, annotations). Whether
that breaks anybody depends on the direction only (a request narrowing breaks clients, a response
widening does) and is decided once, in ``checks.level_for``; nothing here knows about levels.

Schemas are compared as they mean, not as they are spelled (``schema_view``): the three ways of
writing "nullable", a composition of one schema, ``$ref`` siblings (3.1) and type alternatives.

Comparing a pair of schemas gives a ``PairDiff`` node: the deltas found in the pair itself and an
edge per sub-schema pair (property, ``items``, a composition branch, every JSON Schema 2020-12
applicator: ``if``/``then``/``else``, ``prefixItems``, ``contains``, ``dependentSchemas``,
``patternProperties``, ``propertyNames``, ``unevaluated*``, ``contentSchema``, ``not``). An edge
without a name (``None``) leads to a pair at the same place (the schema a ``oneOf`` wraps).

Nodes are memoised by the identity of the two viewed schema objects, so a component used by 400
operations is compared once and the diffs form a graph, not a tree; a cyclic schema is a cycle in
the graph. The walk is iterative (a work list, no recursion), so neither cycles nor nesting depth
can exhaust the stack. ``schema_report`` turns the graph into reported changes, each with every
operation that reaches it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii
from typing import Any

from ..model.messages import Located, schema_types
from ..source.document import Document
from ..source.workspace import Workspace
from .lifecycle import STABILITY
from .schema_view import View, Viewer, is_annotation

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
# keywords holding one sub-schema, compared pair by pair when both sides have it
SUBSCHEMA_KEYWORDS = ("items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
                      "unevaluatedItems", "unevaluatedProperties", "contentSchema", "additionalItems")
# keywords holding a map of sub-schemas (compared by key) or a list (compared by position); ``$defs`` is
# not among them: a definition matters where a ``$ref`` uses it, and is compared there
SUBSCHEMA_MAPS = ("dependentSchemas", "patternProperties")
SUBSCHEMA_LISTS = ("prefixItems",)
ALL_SUBSCHEMA_KEYWORDS = frozenset(SUBSCHEMA_KEYWORDS + SUBSCHEMA_MAPS + SUBSCHEMA_LISTS)
WIDER_FORMATS = {("int32", "int64"), ("float", "double"), ("int32", None), ("int64", None), ("float", None),
                 ("double", None)}
# patterns that match every string (an empty one is no pattern at all)
UNIVERSAL_PATTERNS = {".*", "^.*"}


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
    "pattern-added": NARROW, "pattern-removed": WIDEN, "pattern-changed": UNKNOWN, "pattern-generalized": WIDEN,
    "default-value-added": NEUTRAL, "default-value-removed": NEUTRAL, "default-value-changed": NEUTRAL,
    "deprecated": NEUTRAL, "reactivated": NEUTRAL,
    # lifecycle of a property (x-stability-level); deprecation with x-sunset is judged by lifecycle.py
    "stability-decreased": BOTH, "stability-increased": NEUTRAL,
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
    # a concrete schema moved into a oneOf next to alternatives: a value may now match several branches
    "wrapped-in-one-of": BOTH,
}


@dataclass(slots=True)
class Delta:
    kind: str  # id fragment after "<direction>-<where>-": "max-length-decreased", "property-added"...
    effect: str
    base: Any
    rev: Any
    at: tuple[Document, tuple]  # revision side, or base side for removals
    path: tuple = ()  # below the node the delta belongs to (property-level deltas: the property name)
    flags: frozenset = frozenset()  # required, read-only, write-only, with-default
    detail: Any = None  # kind-specific facts for the checks (types of both sides, the x-sunset value...)


class PairDiff:
    """The differences between one base schema and one revision schema."""

    __slots__ = ("local", "children", "changed", "base", "rev", "branch_only")

    def __init__(self, base: View, rev: View, branch_only: bool):
        self.local: list[Delta] = []
        self.children: list[tuple[str | None, "PairDiff"]] = []
        self.changed = False
        self.base, self.rev = base, rev
        self.branch_only = branch_only  # an allOf branch: its properties are compared merged, by the parent


UNCHANGED = PairDiff(None, None, False)  # every pair of an unchanged component: nothing below it differs


def canonical(value: Any) -> str:
    if type(value) is str:  # most enum values: what json.dumps itself does for a string, minus its set-up
        return encode_basestring_ascii(value)
    return json.dumps(value, sort_keys=True, default=str)


def short(value: Any) -> str:
    text = canonical(value)
    return text if len(text) <= 60 else text[:57] + "..."


class SchemaComparer:
    def __init__(self, base: Workspace, rev: Workspace, base_31: bool = False, rev_31: bool = False):
        self.base_ws, self.rev_ws = base, rev
        self.base_view, self.rev_view = Viewer(base, base_31), Viewer(rev, rev_31)
        self.memo: dict[tuple, PairDiff] = {}
        self._by_written: dict[tuple, PairDiff] = {}  # the same pair as written again: no views to build
        self._todo: list[PairDiff] = []
        self._effective: dict[int, tuple[dict[str, Located], set[str]]] = {}
        self._unchanged = _unchanged_components(base.root, rev.root)
        self._refs_by_group = _refs_by_group(base.root)

    # -- comparing ---------------------------------------------------------------------------
    def pair(self, base: Located, rev: Located) -> PairDiff:
        """The diff node of two schemas (as written: ``$ref``s are followed), compared completely."""
        node = self._node(base, rev)
        while self._todo:
            self._fill(self._todo.pop())
        return node

    def _node(self, base: Located, rev: Located, branch_only: bool = False) -> PairDiff:
        """The memoised node of a pair; a new one is queued to be filled (never filled here: no recursion)."""
        written = (id(base[2]), id(rev[2]), branch_only)
        node = self._by_written.get(written)
        if node is not None:
            return node
        if self._same_as_written(base, rev):
            self._by_written[written] = UNCHANGED
            return UNCHANGED
        bv, rv = self.base_view.view(base), self.rev_view.view(rev)
        key = (id(bv.located[2]), id(rv.located[2]), bv.nullable, rv.nullable, branch_only)
        node = self.memo.get(key)
        if node is None:
            node = self.memo[key] = PairDiff(bv, rv, branch_only)
            self._todo.append(node)
        if isinstance(base[2], dict) and isinstance(rev[2], dict):  # constants (true, false) are shared
            self._by_written[written] = node
        return node

    def _same_as_written(self, base: Located, rev: Located) -> bool:
        """Both sides lead to the same place, written the same (``_same``): the common case in big specs
        (most of a changed schema did not change), decided before any view is built."""
        for located, viewer in ((base, self.base_view), (rev, self.rev_view)):
            node = located[2]
            if not isinstance(node, dict) or (viewer.ref_siblings and "$ref" in node and len(node) > 1):
                return False
        return self._same(self.base_ws.deref(base[0], base[2], base[1]), self.rev_ws.deref(rev[0], rev[2], rev[1]))

    def _same(self, b: Located, r: Located) -> bool:
        """True when nothing can differ: the same place in both root documents, written the same, and
        every $ref inside leads only to unchanged components."""
        if b[1] != r[1] or b[0] is not self.base_ws.root or r[0] is not self.rev_ws.root \
                or id(b[2]) in self.base_view.synthetic or id(r[2]) in self.rev_view.synthetic:
            return False
        pointer = b[1]
        if pointer[:3] in self._unchanged or pointer[:2] in self._unchanged:
            return True
        if b[2] != r[2]:
            return False
        n = len(pointer)
        return all(target in self._unchanged for ptr, target in self._refs_by_group.get(pointer[:3], ())
                   if ptr[:n] == pointer)

    def _fill(self, node: PairDiff) -> None:
        b, r = node.base.located, node.rev.located
        bs, rs = b[2], r[2]
        if not isinstance(bs, dict) or not isinstance(rs, dict):
            return
        same = self._same(b, r)
        if same and node.base.nullable == node.rev.nullable:
            return
        bd, bp = b[0], b[1]
        rd, rp = r[0], r[1]
        out = node.local
        flags = frozenset(f for f, k in (("read-only", "readOnly"), ("write-only", "writeOnly")) if rs.get(k) is True)

        def add(kind: str, old: Any, new: Any, keyword: str | None = None, removal: bool = False,
                detail: Any = None) -> None:
            at = (bd, bp + ((keyword,) if keyword and keyword in bs else ())) if removal else \
                (rd, rp + ((keyword,) if keyword and keyword in rs else ()))
            out.append(Delta(kind, KIND_EFFECTS[kind], old, new, at, (), flags, detail))

        self._nullability(node, add)
        if same:
            return
        if not node.branch_only and self._wrapping(node, b, r):
            return
        if bs != rs:  # equal as written: only what their $refs point to can differ
            self._types(b, r, add)
            self._enum(bs, rs, add)
            self._bounds(bs, rs, add)
            self._keywords(bs, rs, add)
        self._composition(node, b, r)
        if not node.branch_only:
            self._properties(node, b, r)
        self._subschemas(node, b, r)

    def _nullability(self, node: PairDiff, add) -> None:
        was, now = node.base.nullable, node.rev.nullable
        if was == now:
            return
        if now:
            at = node.rev.null_at
            if at is not None:
                node.local.append(Delta("became-nullable", KIND_EFFECTS["became-nullable"], False, True, at))
            else:
                add("became-nullable", False, True, "nullable" if "nullable" in node.rev.located[2] else "type")
        else:
            add("became-not-nullable", True, False, "nullable" if "nullable" in node.base.located[2] else "type")

    def _types(self, b: Located, r: Located, add) -> None:
        bs, rs = b[2], r[2]
        bt, _ = schema_types(bs)
        rt, _ = schema_types(rs)
        alternatives = False
        if bool(bt) != bool(rt):  # one side spells its types as alternatives, or takes them from allOf
            if not bt:
                bt = self.base_view.alternative_types(b) or self._branch_types(self.base_ws, b)
                alternatives = bool(self.base_view.alternative_types(b))
            else:
                rt = self.rev_view.alternative_types(r) or self._branch_types(self.rev_ws, r)
                alternatives = bool(self.rev_view.alternative_types(r))
        bf, rf = bs.get("format"), rs.get("format")
        bf = bf if isinstance(bf, str) else None
        rf = rf if isinstance(rf, str) else None
        if not bt or not rt:
            return
        detail = (bt, bf, rt, rf, self._item_types(self.base_view, b), self._item_types(self.rev_view, r))
        old, new = _type_text(bt, bf), _type_text(rt, rf)
        if bt != rt and (len(bt) > 1 or len(rt) > 1 or alternatives):
            if bt < rt:
                add("list-of-types-widened", old, new, "type", detail=detail)
            elif rt < bt:
                add("list-of-types-narrowed", old, new, "type", detail=detail)
            else:
                add("type-changed", old, new, "type", detail=detail)
        elif bt != rt:
            pair = (next(iter(bt)), next(iter(rt)))
            if pair == ("integer", "number"):
                add("type-generalized", old, new, "type", detail=detail)
            elif pair == ("number", "integer"):
                add("type-specialized", old, new, "type", detail=detail)
            else:
                add("type-changed", old, new, "type", detail=detail)
        elif bf != rf:
            if (bf, rf) in WIDER_FORMATS:
                add("type-generalized", old, new, "format", detail=detail)
            elif (rf, bf) in WIDER_FORMATS:
                add("type-specialized", old, new, "format", detail=detail)
            else:
                add("type-changed", old, new, "format", detail=detail)

    @staticmethod
    def _item_types(viewer: Viewer, located: Located) -> frozenset[str]:
        items = located[2].get("items")
        if not isinstance(items, dict):
            return frozenset()
        node = viewer.resolve((located[0], located[1] + ("items",), items))[2]
        return schema_types(node)[0] if isinstance(node, dict) else frozenset()

    def _branch_types(self, ws: Workspace, located: Located) -> frozenset[str]:
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
            elif keyword == "enum" and be is None and isinstance(re_, list) and "const" not in bs \
                    and any(v is not None for v in re_):
                add("became-enum", None, [v for v in re_ if v is not None], keyword)
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
        self._pattern(bs.get("pattern"), rs.get("pattern"), add)
        if "default" in bs or "default" in rs:
            if "default" not in bs:
                add("default-value-added", None, rs["default"], "default")
            elif "default" not in rs:
                add("default-value-removed", bs["default"], None, "default", removal=True)
            elif canonical(bs["default"]) != canonical(rs["default"]):
                add("default-value-changed", bs["default"], rs["default"], "default")
        if (bs.get("deprecated") is True) != (rs.get("deprecated") is True):
            if rs.get("deprecated") is True:
                add("deprecated", None, None, "deprecated", detail=rs.get("x-sunset"))
            else:
                add("reactivated", None, None, "deprecated")
        self._stability(bs.get("x-stability-level"), rs.get("x-stability-level"), add)
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

    @staticmethod
    def _pattern(bpat: Any, rpat: Any, add) -> None:
        """Added (also over an empty or match-everything one), removed (also to an empty one), widened to
        match everything, or changed: four kinds, because they move the accepted values differently."""
        bpat = bpat if isinstance(bpat, str) and bpat else None
        rpat = rpat if isinstance(rpat, str) and rpat else None
        if bpat == rpat:
            return
        b_open, r_open = bpat is None or bpat in UNIVERSAL_PATTERNS, rpat is None or rpat in UNIVERSAL_PATTERNS
        if b_open and r_open:
            return
        if b_open:
            add("pattern-added", bpat, rpat, "pattern")
        elif rpat is None:
            add("pattern-removed", bpat, None, "pattern", removal=True)
        elif r_open:
            add("pattern-generalized", bpat, rpat, "pattern")
        else:
            add("pattern-changed", bpat, rpat, "pattern")

    @staticmethod
    def _stability(was: Any, now: Any, add) -> None:
        if was == now or was not in STABILITY + (None,) or now not in STABILITY + (None,):
            return
        old, new = STABILITY.index(was or "stable"), STABILITY.index(now or "stable")
        if new < old:
            add("stability-decreased", was or "stable", now or "stable", "x-stability-level")
        elif new > old:
            add("stability-increased", was or "stable", now or "stable", "x-stability-level")

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
    def _labelled(self, viewer: Viewer, located: Located, keyword: str) -> list[tuple[str, Located]]:
        raw = located[2].get(keyword)
        out = []
        for i, resolved in viewer.branches(located, keyword):
            value = raw[i]
            label = None
            if isinstance(value, dict) and isinstance(value.get("$ref"), str):
                label = value["$ref"].rsplit("/", 1)[-1]
            if label is None and isinstance(resolved[2], dict) and isinstance(resolved[2].get("title"), str):
                label = resolved[2]["title"]
            out.append((label or f"#{i}", resolved))
        return out

    def _composition(self, node: PairDiff, b: Located, r: Located) -> None:
        bs, rs = b[2], r[2]
        for keyword, frag in (("allOf", "all-of"), ("anyOf", "any-of"), ("oneOf", "one-of")):
            if not isinstance(bs.get(keyword), list) and not isinstance(rs.get(keyword), list):
                continue
            if keyword != "allOf" and (self.base_view.alternative_types(b) or self.rev_view.alternative_types(r)) \
                    and not (isinstance(bs.get(keyword), list) and isinstance(rs.get(keyword), list)):
                continue  # a type written as alternatives on one side only: compared as a type list
            b_branches = self._labelled(self.base_view, b, keyword) if isinstance(bs.get(keyword), list) else []
            r_branches = self._labelled(self.rev_view, r, keyword) if isinstance(rs.get(keyword), list) else []
            matched, removed, added = match_branches(b_branches, r_branches)
            for label, located in removed:
                kind = f"{frag}-removed" + ("-annotation-only" if _annotation_only(located[2]) and frag == "all-of" else "")
                node.local.append(Delta(kind, KIND_EFFECTS[kind], label, None, (located[0], located[1])))
            for label, located in added:
                kind = f"{frag}-added" + ("-annotation-only" if _annotation_only(located[2]) and frag == "all-of" else "")
                node.local.append(Delta(kind, KIND_EFFECTS[kind], None, label, (located[0], located[1])))
            for (label, bl_), (_, rl_) in matched:
                # allOf branches: their properties are compared merged into this schema (branch_only)
                node.children.append((f"{keyword}[{label}]", self._node(bl_, rl_, branch_only=keyword == "allOf")))

    def _wrapping(self, node: PairDiff, b: Located, r: Located) -> bool:
        """A concrete schema moved into a composition next to other branches (or taken out of one): the
        other branches are added (removed), a ``oneOf`` is one change of its own, and the schema is compared
        with the branch it became, at the same place. Returns True when the pair was handled so."""
        bs, rs = b[2], r[2]
        for keyword, frag in (("allOf", "all-of"), ("oneOf", "one-of"), ("anyOf", "any-of")):
            b_has, r_has = bool(bs.get(keyword)), bool(rs.get(keyword))
            if b_has == r_has:
                continue
            outer, outer_view, concrete, concrete_view = (r, self.rev_view, b, self.base_view) if r_has else \
                (b, self.base_view, r, self.rev_view)
            if not _only_composition(outer[2], keyword) or not _concrete(concrete[2]) or keyword in concrete[2] \
                    or outer_view.alternative_types(outer) or concrete_view.alternative_types(concrete):
                continue
            branches = self._labelled(outer_view, outer, keyword)
            if not branches:
                continue
            hit = self._best_branch(concrete, concrete_view, branches, outer_view)
            if hit is None:
                continue
            others = [branches[i] for i in range(len(branches)) if i != hit]
            if r_has and keyword == "oneOf":
                if others:
                        node.local.append(Delta("wrapped-in-one-of", KIND_EFFECTS["wrapped-in-one-of"], None,
                                            [label for label, _ in others], (r[0], r[1] + (keyword,))))
            else:
                verb = "added" if r_has else "removed"
                for label, located in others:
                    kind = f"{frag}-{verb}" + ("-annotation-only" if frag == "all-of" and _annotation_only(located[2])
                                               else "")
                    node.local.append(Delta(kind, KIND_EFFECTS[kind], None if r_has else label,
                                            label if r_has else None, (located[0], located[1])))
            matched = branches[hit][1]
            node.children.append((None, self._node(b, matched) if r_has else self._node(matched, r)))
            return True
        return False

    def _best_branch(self, target: Located, target_view: Viewer, branches: list[tuple[str, Located]],
                     branch_view: Viewer) -> int | None:
        """The branch that is ``target`` itself: the same component, the same content, or most of its
        properties (at least half of them)."""
        name = _component_name(target[1])
        for i, (label, _) in enumerate(branches):
            if name is not None and label == name:
                return i
        text = canonical(target[2])
        for i, (_, located) in enumerate(branches):
            if canonical(located[2]) == text:
                return i
        own, _ = self.effective_properties(target_view.ws, target)
        if own:
            best, score = None, 0.0
            for i, (_, located) in enumerate(branches):
                props, _ = self.effective_properties(branch_view.ws, located)
                share = len(own.keys() & props.keys()) / len(own)
                if share > score:
                    best, score = i, share
            return best if score >= 0.5 else None
        types, _ = schema_types(target[2])
        same = [i for i, (_, located) in enumerate(branches)
                if isinstance(located[2], dict) and schema_types(located[2])[0] == types]
        return same[0] if types and len(same) == 1 else None

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

    def _properties(self, node: PairDiff, b: Located, r: Located) -> None:
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
            node.children.append((name, self._node(old, located)))
        for name, located in bprops.items():
            if name not in rprops:
                bnode = _node(self.base_ws, located)
                flags = _property_flags(bnode if isinstance(bnode, dict) else {}, name in breq)
                node.local.append(Delta("property-removed", WIDEN, name, None, (located[0], located[1]), (name,), flags))

    def _subschemas(self, node: PairDiff, b: Located, r: Located) -> None:
        """Edges to every sub-schema pair both sides have (JSON Schema 2020-12 applicators included)."""
        bs, rs = b[2], r[2]
        shared = bs.keys() & rs.keys() & ALL_SUBSCHEMA_KEYWORDS  # usually empty or {"items"}
        if not shared:
            return
        for key in SUBSCHEMA_KEYWORDS:
            if key not in shared:
                continue
            bv, rv = bs[key], rs[key]
            if isinstance(bv, dict) and isinstance(rv, dict):
                node.children.append((key, self._node((b[0], b[1] + (key,), bv), (r[0], r[1] + (key,), rv))))
        for key in SUBSCHEMA_MAPS:
            bm, rm = bs.get(key), rs.get(key)
            if isinstance(bm, dict) and isinstance(rm, dict) and bm is not rm:
                for name in bm.keys() & rm.keys():
                    if isinstance(bm[name], dict) and isinstance(rm[name], dict):
                        node.children.append((f"{key}[{name}]", self._node((b[0], b[1] + (key, name), bm[name]),
                                                                           (r[0], r[1] + (key, name), rm[name]))))
        for key in SUBSCHEMA_LISTS:
            bl, rl = bs.get(key), rs.get(key)
            if isinstance(bl, list) and isinstance(rl, list):
                for i in range(min(len(bl), len(rl))):
                    if isinstance(bl[i], dict) and isinstance(rl[i], dict):
                        node.children.append((f"{key}[{i}]", self._node((b[0], b[1] + (key, i), bl[i]),
                                                                        (r[0], r[1] + (key, i), rl[i]))))

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
    return isinstance(schema, dict) and bool(schema) and all(is_annotation(k) for k in schema)


def _only_composition(schema: dict, keyword: str) -> bool:
    """The schema is just the composition (plus annotations and a discriminator)."""
    return all(k == keyword or k == "discriminator" or is_annotation(k) for k in schema)


def _concrete(schema: dict) -> bool:
    """A schema that says something of its own (not a composition of alternatives)."""
    return "oneOf" not in schema and "anyOf" not in schema and any(not is_annotation(k) for k in schema)


def _component_name(pointer: tuple) -> str | None:
    if len(pointer) == 3 and pointer[:2] == ("components", "schemas"):
        return str(pointer[2])
    if len(pointer) == 2 and pointer[0] in ("definitions", "$defs"):
        return str(pointer[1])
    return None


def _similarity(a: Any, b: Any) -> int:
    """How much two unlabelled branches have in common: shared keywords and property names."""
    if not isinstance(a, dict) or not isinstance(b, dict):
        return 0
    score = sum(1 for k in a.keys() & b.keys() if canonical(a[k]) == canonical(b[k])) * 2
    score += len(a.keys() & b.keys())
    pa, pb = a.get("properties"), b.get("properties")
    if isinstance(pa, dict) and isinstance(pb, dict):
        score += 2 * len(pa.keys() & pb.keys())
    return score


def match_branches(base: list[tuple[str, Located]], rev: list[tuple[str, Located]]):
    """Pair composition branches: by ``$ref`` name or title, then equal content, then (for the rest)
    most in common, so appending or removing one branch never re-pairs the others."""
    matched, base_left, rev_left = [], [], list(rev)
    for label, located in base:
        hit = next((i for i, (l2, _) in enumerate(rev_left) if l2 == label and not label.startswith("#")), None)
        if hit is None:
            base_left.append((label, located))
        else:
            matched.append(((label, located), rev_left.pop(hit)))
    if base_left and rev_left:
        texts = [canonical(located[2]) for _, located in rev_left]
        still = []
        for entry in base_left:
            text = canonical(entry[1][2])
            hit = next((i for i, t in enumerate(texts) if t == text), None)
            if hit is None:
                still.append(entry)
            else:
                matched.append((entry, rev_left.pop(hit)))
                texts.pop(hit)
        base_left = still
    if base_left and rev_left:
        if len(base_left) == len(rev_left) and all(l.startswith("#") for l, _ in base_left + rev_left):
            matched.extend(zip(base_left, rev_left))
            base_left, rev_left = [], []
        else:
            still = []
            for entry in base_left:
                scores = [_similarity(entry[1][2], other[1][2]) for other in rev_left]
                best = max(range(len(scores)), key=scores.__getitem__) if scores else None
                if best is not None and scores[best] > 0:
                    matched.append((entry, rev_left.pop(best)))
                else:
                    still.append(entry)
            base_left = still
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
    # a component that reaches a changed one (or something outside the components) can differ: propagate
    # that backwards along the $refs once (linear, however long the chains are)
    users: dict[Any, set] = {}
    for owner, targets in refs.items():
        for target in targets:
            users.setdefault(target, set()).add(owner)
    stack = [t for t in users if t not in candidates]
    seen = set(stack)
    while stack:
        for owner in users.get(stack.pop(), ()):
            if owner not in seen:
                seen.add(owner)
                candidates.discard(owner)
                stack.append(owner)
    return {k[:3] if k[0] == "components" else k for k in candidates}
