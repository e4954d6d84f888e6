"""Schema checks: every keyword change at every place a schema sits, with oasdiff's ids.

Sites (``<direction>-<where>``): ``request-body`` (the media-type schema itself), ``request-property``
(anything below it), ``request-parameter``, ``request-parameter-property``, ``response-body``,
``response-property`` and ``response-header``. The id of a keyword change is
``<site>-<kind>``; its level is ``level_for(direction, effect of kind)`` unless listed in
``LEVEL_EXCEPTIONS``. Property-level changes (added, removed, became required...) have ids of their
own, written out in ``PROPERTY_CHECKS`` exactly as oasdiff names them.

A change inside a schema shared by many operations is reported once, with every operation it affects
(``Change.operations``, see ``reach``).

Parameters travel as strings (path, query, header, cookie), so the type of a parameter itself follows
the wire: any scalar to ``string`` generalises, ``string`` to a number or boolean specialises, and a scalar
becoming an array of itself is a generalisation where the form style sends one value as a one-item array.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from ...model.api import Parameter
from ..compare import KIND_EFFECTS, Delta, short
from ..lifecycle import deprecation_verdict, parse_sunset
from ..reach import indexes, reach
from ..words import show
from . import ERR, INFO, WARN, Change, declare, level_for

BODY_KINDS = tuple(KIND_EFFECTS)
PROPERTY_ONLY = ("deprecated", "reactivated", "stability-decreased", "stability-increased")
SCALAR_KINDS = tuple(k for k in KIND_EFFECTS if not k.startswith((
    "all-of", "any-of", "one-of", "discriminator", "if-", "then-", "else-", "contains", "min-contains", "max-contains",
    "property-names", "unevaluated", "content-", "dependent", "pattern-property", "prefix-items", "deprecated",
    "reactivated", "stability", "wrapped")))
PARAMETER_PROPERTY_KINDS = ("type-changed", "type-generalized", "type-specialized", "list-of-types-widened",
                            "list-of-types-narrowed", "became-nullable", "became-not-nullable", "enum-value-added",
                            "enum-value-removed")
HEADER_KINDS = ("type-changed", "type-generalized", "type-specialized", "became-nullable", "became-not-nullable")

SITES: dict[tuple[str, str], tuple[str, ...]] = {
    ("request", "body"): tuple(k for k in BODY_KINDS if k not in PROPERTY_ONLY),
    ("request", "property"): tuple(k for k in BODY_KINDS if k != "wrapped-in-one-of"),
    ("request", "parameter"): SCALAR_KINDS,
    ("request", "parameter-property"): PARAMETER_PROPERTY_KINDS,
    ("response", "body"): tuple(k for k in BODY_KINDS if k not in PROPERTY_ONLY),
    ("response", "property"): tuple(k for k in BODY_KINDS if k != "wrapped-in-one-of"),
    ("response", "header"): HEADER_KINDS,
}

# oasdiff's name where it differs from the grammar
RENAMES = {"response-body-enum-value-removed": "response-mediatype-enum-value-removed"}

# Deliberate departures from the contravariance rule, all as oasdiff decides them.
LEVEL_EXCEPTIONS: dict[str, tuple[str, str]] = {
    **{f"response-{w}-enum-value-added": (WARN, "new values break exhaustive switches only; declare "
                                                "x-extensible-enum to promise tolerance") for w in ("body", "property")},
    **{f"response-{w}-x-extensible-enum-value-added": (INFO, "x-extensible-enum promises clients tolerate new "
                                                             "values") for w in ("body", "property")},
    **{f"request-{w}-all-of-removed": (WARN, "the removed branch may carry a constraint the server still applies")
       for w in ("body", "property")},
    **{f"response-{w}-all-of-removed": (INFO, "an allOf branch removed from a response is usually a refactoring; "
                                              "the properties it brought are checked one by one")
       for w in ("body", "property")},
    **{f"response-{w}-any-of-added": (INFO, "an anyOf response value still matches the branches clients know")
       for w in ("body", "property")},
    **{f"response-{w}-pattern-{v}": (INFO, "values the server sends keep their form; only the promise went")
       for w in ("body", "property") for v in ("removed", "generalized")},
    **{f"request-parameter-default-value-{v}": (ERR, "clients that omit the parameter get another behaviour")
       for v in ("added", "removed", "changed")},
    "request-parameter-property-type-changed": (WARN, "how an object parameter is serialised decides whether old "
                                                      "values still parse"),
}

PROPERTY_CHECKS = [
    ("new-required-request-property", ERR, "A new required property in the request body"),
    ("new-required-request-property-with-default", ERR, "A new required request property that has a default"),
    ("new-optional-request-property", INFO, "A new optional property in the request body"),
    ("request-property-removed", WARN, "A request property was removed (servers may reject it now)"),
    ("request-property-became-required", ERR, "A request property became required"),
    ("request-property-became-required-with-default", ERR, "A request property with a default became required"),
    ("request-property-became-optional", INFO, "A request property became optional"),
    ("new-required-request-header-property", ERR, "A required property added to an object-typed header parameter"),
    ("request-header-property-became-required", ERR, "A property of an object-typed header became required"),
    ("request-header-property-became-enum", ERR, "A property of an object-typed header was restricted to an enum"),
    ("response-required-property-added", INFO, "A required response property was added"),
    ("response-optional-property-added", INFO, "An optional response property was added"),
    ("response-required-write-only-property-added", INFO, "A required write-only response property was added"),
    ("response-optional-write-only-property-added", INFO, "An optional write-only response property was added"),
    ("response-required-property-removed", ERR, "A required response property was removed"),
    ("response-optional-property-removed", WARN, "An optional response property was removed"),
    ("response-required-write-only-property-removed", INFO, "A required write-only response property was removed"),
    ("response-optional-write-only-property-removed", INFO, "An optional write-only response property was removed"),
    ("response-property-became-optional", ERR, "A response property may now be missing"),
    ("response-write-only-property-became-optional", INFO, "A write-only response property became optional"),
    ("response-property-became-required", INFO, "A response property is now always present"),
    ("response-write-only-property-became-required", INFO, "A write-only response property became required"),
    ("request-read-only-property-enum-value-removed", INFO, "Enum value removed from a read-only request property"),
    ("request-read-only-property-max-decreased", INFO, "maximum decreased on a read-only request property"),
    ("request-read-only-property-exclusive-max-decreased", INFO, "exclusiveMaximum decreased on a read-only "
                                                                 "request property"),
    ("request-read-only-property-max-length-decreased", INFO, "maxLength decreased on a read-only request property"),
    ("request-read-only-property-min-increased", INFO, "minimum increased on a read-only request property"),
    ("request-read-only-property-exclusive-min-increased", INFO, "exclusiveMinimum increased on a read-only "
                                                                 "request property"),
    ("response-write-only-property-enum-value-added", INFO, "Enum value added to a write-only response property"),
    ("new-required-request-parameter-property", ERR, "A required property added to an object-typed query, path or "
                                                     "cookie parameter"),
    ("request-parameter-property-became-required", ERR, "A property of an object-typed query, path or cookie "
                                                        "parameter became required"),
    ("request-parameter-property-became-enum", ERR, "A property of an object-typed query, path or cookie parameter "
                                                    "was restricted to an enum"),
] + [
    row for d in ("request", "response") for row in (
        (f"{d}-property-deprecated-with-sunset", INFO, f"A {d} property was deprecated with an x-sunset date"),
        (f"{d}-property-deprecated-sunset-missing", ERR, f"A {d} property was deprecated without x-sunset while a "
                                                         "deprecation policy applies"),
        (f"{d}-property-deprecated-sunset-invalid", ERR, f"A {d} property was deprecated with an x-sunset that is "
                                                         "not a date"),
        (f"{d}-property-sunset-date-too-small", ERR, f"A {d} property's x-sunset is closer than the deprecation "
                                                     "policy's minimum days"),
    )
] + [
    (f"{d}-{r}-property-became-{flip}", WARN if (d, r, flip) == ("response", "required", "not-write-only") else INFO,
     f"A{'n' if r == 'optional' else ''} {r} {d} property: became {flip.replace('-', ' ')}")
    for d in ("request", "response") for r in ("required", "optional")
    for flip in ("read-only", "not-read-only", "write-only", "not-write-only")
]


# summaries where the kind's words alone say too little
KIND_WORDS = {
    "wrapped-in-one-of": "moved into a oneOf next to other alternatives (a value may now match several)",
    "pattern-generalized": "pattern widened to match everything (.*)",
    "stability-decreased": "x-stability-level lowered (e.g. stable to beta)",
    "stability-increased": "x-stability-level raised (e.g. beta to stable)",
}


def _summary(direction: str, where: str, kind: str) -> str:
    site = {"body": f"{direction} body (top-level schema)", "property": f"property in a {direction} body",
            "parameter": "request parameter", "parameter-property": "property of an object-typed request parameter",
            "header": "response header"}[where]
    return f"{site[0].upper()}{site[1:]}: {KIND_WORDS.get(kind, kind.replace('-', ' '))}"


def schema_check_rows() -> list[tuple[str, str, str]]:
    rows = []
    for (direction, where), kinds in SITES.items():
        for kind in kinds:
            check_id = f"{direction}-{where}-{kind}"
            level = LEVEL_EXCEPTIONS.get(check_id, (level_for(direction, KIND_EFFECTS[kind]), ""))[0]
            rows.append((RENAMES.get(check_id, check_id), level, _summary(direction, where, kind)))
    return rows


declare("schema", schema_check_rows())
declare("schema", PROPERTY_CHECKS)

_WORDS = {"max": "maximum", "min": "minimum", "exclusive-max": "exclusiveMaximum",
          "exclusive-min": "exclusiveMinimum", "max-length": "maxLength", "min-length": "minLength",
          "max-items": "maxItems", "min-items": "minItems", "max-contains": "maxContains",
          "min-contains": "minContains"}


LIFECYCLE_KINDS = {"deprecated": "deprecated", "with-sunset": "deprecated-with-sunset",
                   "sunset-missing": "deprecated-sunset-missing", "sunset-parse": "deprecated-sunset-invalid",
                   "sunset-too-small": "sunset-date-too-small"}
TYPE_KINDS = ("type-changed", "type-generalized", "type-specialized")
SCALARS = ("string", "number", "integer", "boolean")


def describe(delta: Delta, kind: str | None = None, days: int = 0) -> str:
    """The words of a change (``kind``: the kind as reported, when the check refined the walk's)."""
    kind = kind or delta.kind
    for frag, word in sorted(_WORDS.items(), key=lambda kv: -len(kv[0])):
        if kind.startswith(frag + "-"):
            verb = kind[len(frag) + 1:]
            if verb in ("increased", "decreased"):
                return f"{word} {verb} from {short(delta.base)} to {short(delta.rev)}"
            if verb == "set":
                return f"{word} set to {short(delta.rev)}"
            return f"{word} removed (was {short(delta.base)})"
    if delta.kind == "wrapped-in-one-of":
        return "moved into a oneOf next to " + ", ".join(f"'{label}'" for label in delta.rev)
    if kind in ("stability-decreased", "stability-increased"):
        return f"x-stability-level {kind.split('-')[1]} from {delta.base} to {delta.rev}"
    if kind in LIFECYCLE_KINDS.values():
        date = parse_sunset(delta.detail)
        return {
            "deprecated": "deprecated",
            "deprecated-with-sunset": f"deprecated, sunset {show(date)}",
            "deprecated-sunset-missing": f"deprecated without x-sunset (the deprecation policy asks for {days} days)",
            "deprecated-sunset-invalid": f"deprecated with an x-sunset that is not a date: {short(delta.detail)}",
            "sunset-date-too-small": f"deprecated with x-sunset {show(date)}, less than the policy's {days} days away",
        }[kind]
    text = kind.replace("-", " ")
    if delta.base is not None and delta.rev is not None and not isinstance(delta.base, bool):
        return f"{text} from {short(delta.base)} to {short(delta.rev)}"
    if delta.rev is not None and not isinstance(delta.rev, bool):
        return f"{text}: {short(delta.rev)}"
    if delta.base is not None and not isinstance(delta.base, bool):
        return f"{text}: {short(delta.base)}"
    return text


def _property_id(direction: str, root: str, delta: Delta, header: bool) -> str | None:
    kind, flags = delta.kind, delta.flags
    required = "required" in flags
    if root == "parameter":
        where = "header" if header else "parameter"
        if kind == "property-added" and required:
            return f"new-required-request-{where}-property"
        if kind == "became-required":
            return f"request-{where}-property-became-required"
        return None
    if direction == "request":
        if "read-only" in flags and kind in ("property-added", "became-required", "property-removed"):
            return None  # clients do not send read-only properties
        default = "-with-default" if "with-default" in flags else ""
        return {
            "property-added": ("new-required-request-property" + default) if required else "new-optional-request-property",
            "property-removed": "request-property-removed",
            "became-required": "request-property-became-required" + default,
            "became-optional": "request-property-became-optional",
        }.get(kind) or (f"request-{'required' if required else 'optional'}-property-{kind}"
                        if kind.startswith("became-") else None)
    write_only = "-write-only" if "write-only" in flags else ""
    req = "required" if required else "optional"
    return {
        "property-added": f"response-{req}{write_only}-property-added",
        "property-removed": f"response-{req}{write_only}-property-removed",
        "became-optional": f"response{write_only}-property-became-optional",
        "became-required": f"response{write_only}-property-became-required",
    }.get(kind) or (f"response-{req}-property-{kind}" if kind.startswith("became-") else None)


PROPERTY_KINDS = ("property-added", "property-removed", "became-required", "became-optional", "became-read-only",
                  "became-not-read-only", "became-write-only", "became-not-write-only")


def parameter_type_kind(delta: Delta, parameter: Parameter | None) -> str:
    """The type change of a parameter itself, judged on the wire, where every value is a string."""
    if delta.detail is None or parameter is None:
        return delta.kind
    bt, _, rt, _, b_items, r_items = delta.detail
    if len(bt) != 1 or len(rt) != 1 or bt == rt:
        return delta.kind
    was, now = next(iter(bt)), next(iter(rt))
    if now == "string" and was in SCALARS:
        return "type-generalized"
    if was == "string" and now in SCALARS:
        return "type-specialized"
    style = parameter.node.get("style") or ("form" if parameter.location in ("query", "cookie") else "simple")
    explode = parameter.node.get("explode", style == "form")
    if style == "form" and explode is True:  # ?a=1&a=2: one value is a one-item array
        if now == "array" and was in SCALARS and r_items == bt:
            return "type-generalized"
        if was == "array" and now in SCALARS and b_items == rt:
            return "type-specialized"
    return delta.kind


def change_id(direction: str, root: str, path: tuple, delta: Delta, parameter: Parameter | None = None,
              policy_days: int = 0, today: dt.date | None = None) -> tuple[str | None, str]:
    """The check id of one delta found at ``path`` below a schema root of kind ``root``
    (``body``, ``parameter`` or ``header``), and the kind as reported; (None, kind) when no check
    covers it."""
    from . import CHECKS

    kind = delta.kind
    header = parameter is not None and parameter.location == "header"
    if kind in PROPERTY_KINDS:
        check_id = _property_id(direction, root, delta, header)
    else:
        if root == "body":
            where = "property" if path else "body"
        elif root == "parameter":
            where = "parameter-property" if path else "parameter"
        else:
            where = "header" if not path else ""
        if not where:
            return None, kind
        if where == "parameter" and kind in TYPE_KINDS:
            kind = parameter_type_kind(delta, parameter)
        elif where == "property" and kind == "wrapped-in-one-of":
            kind = "one-of-added"  # as oasdiff: a property moved into a oneOf is a oneOf branch added
        elif where == "property" and kind == "deprecated":
            kind = LIFECYCLE_KINDS[deprecation_verdict(delta.detail, policy_days, today or dt.date.today())]
        check_id = f"{direction}-{where}-{kind}"
        if where == "property" and direction == "request" and "read-only" in delta.flags:
            check_id = f"request-read-only-property-{kind}"
            if check_id not in CHECKS:
                return None, kind  # clients do not send read-only properties
        elif where == "property" and direction == "response" and "write-only" in delta.flags:
            check_id = f"response-write-only-property-{kind}"
            if check_id not in CHECKS:
                return None, kind  # servers do not send write-only properties
        elif where == "parameter-property" and kind == "became-enum":
            check_id = f"request-{'header' if header else 'parameter'}-property-became-enum"
        elif check_id.endswith("-type-specialized") and check_id not in CHECKS:
            check_id = check_id.replace("-type-specialized", "-type-changed")
        check_id = RENAMES.get(check_id, check_id)
    return (check_id if check_id in CHECKS else None), kind


def _group(root) -> tuple[str, str, bool]:
    return root.direction, root.root, root.parameter is not None and root.parameter.location == "header"


def run(ctx) -> Iterator[Change]:
    """Every schema change under every operation in scope: each once, with all the operations it affects."""
    groups: dict[tuple, list] = {}
    for root in ctx.schema_roots():
        if root.node.changed:
            groups.setdefault(_group(root), []).append(root)
    labels = list(ctx.operation_order)
    today = ctx.policy.today
    operation_lists: dict[int, list[str]] = {}  # many changes share one set of operations
    for members in groups.values():
        found = reach([(m.node, ctx.operation_order[m.operation]) for m in members])
        changes: dict[tuple[str, int], list] = {}
        for state, (index, path) in found.first.items():
            m = members[index]
            bits = found.operations.get(state, 0)
            for delta in found.nodes[state[0]].local:
                full = path + delta.path
                check_id, kind = change_id(m.direction, m.root, full, delta, m.parameter, m.policy_days, today)
                if check_id is None:
                    continue
                entry = changes.get((check_id, id(delta)))
                if entry is not None:
                    entry[1] |= bits
                    continue
                where = "/".join(str(p) for p in full)
                noun = {"body": f"{m.direction} property", "parameter": "property", "header": "property"}[m.root]
                head = f"{m.subject}, {noun} '{where}'" if where else m.subject
                text = describe(delta, kind, m.policy_days) if delta.kind not in PROPERTY_KINDS else \
                    delta.kind.replace("-", " ")
                changes[(check_id, id(delta))] = [Change(check_id, f"{head}: {text}", delta.at, m.operation), bits]
        for change, bits in changes.values():
            ops = operation_lists.get(bits)
            if ops is None:
                ops = operation_lists[bits] = [labels[i] for i in indexes(bits)]
            change.operations = list(ops) or [change.operation]
            change.operation = change.operations[0]
            yield change
