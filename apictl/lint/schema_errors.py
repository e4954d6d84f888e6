"""One clear message per problem from the official OpenAPI JSON Schemas.

A JSON Schema ``oneOf``/``anyOf`` that fails says only "not valid under any of the schemas"; its branches
say what each alternative wanted, most of them about another kind of object ("'header' is not one of
'body'" from the body-parameter branch of a header parameter). A careful reader picks the branch the value
was meant to be and reports what that branch wants:

- a branch for a ``$ref`` is out when the value has no ``$ref``;
- a branch whose ``enum``/``const`` fails on a field that another failing branch accepts (``in``, ``type``)
  is for another kind of object;
- the errors of the branches left are reported, nested choices resolved the same way, and alternatives at
  one place merged ("is not one of path, query, header or cookie"; "needs one of content or schema");
- a few well-known shapes get the message a person would write (``explain``).

The branches are read from the evaluation of the failing value alone (small), through ``evaluationPath``,
which keeps the ``oneOf/N`` steps that ``$ref`` resolution hides in ``schemaLocation``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable

from ..lazy_re import lazy_compile
from ..model.object_kinds import kind_name
from .official_schemas import container_validator

_CHOICE = lazy_compile(r"/(oneOf|anyOf)/(\d+)")
_REFERENCE_DEFINITIONS = ("/Reference", "/jsonReference", "/reference")
_REQUIRED = lazy_compile(r'^"(.+)" is a required property$')


@dataclass
class Unit:
    """One error of a JSON Schema evaluation."""

    location: tuple  # instance location, relative to the value that was evaluated
    keyword: str
    message: str
    evaluation: str  # evaluation path (with $ref and oneOf/N steps)
    schema_location: str


def choice_errors(major: str, container_path: tuple, value: Any, real_pointer: Callable) -> list[tuple[tuple, str]]:
    """(location relative to ``value``, message) for a failed ``oneOf``/``anyOf`` held by the object at
    ``container_path`` of the official schema of ``major``, evaluated against ``value`` alone."""
    compiled = container_validator(major, container_path)
    if compiled is None:
        return []
    validator, container = compiled
    try:
        details = validator.evaluate(value).list()["details"]
    except Exception:  # noqa: BLE001 - values the validator cannot evaluate: the summary message stays
        return []
    units = []
    for d in details:
        if d.get("valid") or "errors" not in d:
            continue
        location = real_pointer(value, _split(d.get("instanceLocation", "")))
        for keyword, messages in d["errors"].items():
            for message in (messages if isinstance(messages, list) else [messages]):
                units.append(Unit(location, keyword, str(message), d.get("evaluationPath", ""),
                                  d.get("schemaLocation", "")))
    units = [u for u in units if u.keyword not in ("oneOf", "anyOf", "$ref")]
    return _merge(_select(units, 0, value), container)


def _split(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]


def _split_choices(units: list[Unit], start: int):
    """(units under no choice below evaluation-path offset ``start``, {choice head: ({branch: units},
    {branch: offset after the branch's index})})."""
    direct: list[Unit] = []
    groups: dict[str, tuple[dict[int, list[Unit]], dict[int, int]]] = {}
    for u in units:
        m = _CHOICE.search(u.evaluation, start)
        if m is None:
            direct.append(u)
            continue
        branches, ends = groups.setdefault(u.evaluation[: m.start()], ({}, {}))
        branches.setdefault(int(m.group(2)), []).append(u)
        ends[int(m.group(2))] = m.end()
    return direct, groups


def _select(units: list[Unit], start: int, value: Any) -> list[Unit]:
    """The units that explain the failure below evaluation-path offset ``start``: those under no choice as
    they are; for each choice, those of the branches the value was meant to be (nested choices likewise)."""
    direct, groups = _split_choices(units, start)
    out = list(direct)
    for branches, ends in groups.values():
        for index, kept in sorted(_fitting(branches, ends, value).items()):
            out += _select(kept, ends[index], value)
    return out


def _necessary(units: list[Unit], start: int, value: Any, enum_only: bool) -> set[tuple]:
    """The places where every way through the choices below ``start`` fails (on an enum/const only, if
    ``enum_only``)."""
    direct, groups = _split_choices(units, start)
    out = {u.location for u in direct if not enum_only or u.keyword in ("enum", "const")}
    for branches, ends in groups.values():
        alive = _fitting(branches, ends, value) or branches
        out |= set.intersection(*(_necessary(branches[i], ends[i], value, enum_only) for i in alive))
    return out


def _fitting(branches: dict[int, list[Unit]], ends: dict[int, int], value: Any) -> dict[int, list[Unit]]:
    """The branches the value was meant to be, with the units that explain it."""
    base = _common_location([u for us in branches.values() for u in us])
    node = _at(value, base)
    is_ref = isinstance(node, dict) and "$ref" in node
    references = {i for i, us in branches.items() if _for_reference(us)}
    if is_ref and references:
        return {i: branches[i] for i in sorted(references)}  # a $ref is a Reference Object, whatever else it has
    alive = {i: us for i, us in branches.items() if i not in references}
    if len(alive) < 2:
        return alive
    enum_at = {i: _necessary(us, ends[i], value, True) for i, us in alive.items()}
    error_at = {i: _necessary(us, ends[i], value, False) for i, us in alive.items()}
    undecided = set.intersection(*enum_at.values())
    if undecided:
        # the field that tells the kinds apart fits none of them (`in: querry`): that is the problem
        return {i: [u for u in us if u.location in undecided and u.keyword in ("enum", "const")]
                for i, us in alive.items()}
    # `in` decides first (parameters), then the shallowest fields
    places = sorted({loc for locs in enum_at.values() for loc in locs},
                    key=lambda loc: (loc[-1:] != ("in",), len(loc), [str(s) for s in loc]))
    for loc in places:
        wrong = {i for i in alive if loc in enum_at[i]}
        fine = {i for i in alive if loc not in error_at[i]}
        if wrong and fine:
            alive = {i: us for i, us in alive.items() if i not in wrong}
    return alive


def _for_reference(units: list[Unit]) -> bool:
    """All of a branch's failures come from a Reference Object definition."""
    return all(any(d in u.schema_location for d in _REFERENCE_DEFINITIONS) for u in units)


def _common_location(units: list[Unit]) -> tuple:
    locations = [u.location for u in units]
    if not locations:
        return ()
    common = locations[0]
    for loc in locations[1:]:
        n = 0
        while n < len(common) and n < len(loc) and common[n] == loc[n]:
            n += 1
        common = common[:n]
    return common


def _at(value: Any, location: tuple) -> Any:
    for seg in location:
        if isinstance(value, dict):
            value = value.get(seg)
        elif isinstance(value, list) and isinstance(seg, int) and 0 <= seg < len(value):
            value = value[seg]
        else:
            return None
    return value


def _merge(units: list[Unit], schema: dict) -> list[tuple[tuple, str]]:
    by_location: dict[tuple, list[Unit]] = {}
    for u in units:
        by_location.setdefault(u.location, []).append(u)
    out = []
    for location, us in by_location.items():
        messages: list[str] = []
        if any(u.keyword == "type" for u in us):
            us = [u for u in us if u.keyword == "type"]  # a value of the wrong type: the rest follows from it
        enums = [u for u in us if u.keyword in ("enum", "const")]
        allowed = _allowed_values(enums, schema)
        if allowed:
            messages.append(f"{_value_text(enums[0].message)} is not one of {_or_list(allowed)}")
            us = [u for u in us if u not in enums]
        messages += _required_messages([u for u in us if _REQUIRED.match(u.message)])
        for u in us:
            if not _REQUIRED.match(u.message) and u.message not in messages:
                messages.append(u.message)
        out.append((location, "; ".join(messages)))
    return out


def _required_messages(units: list[Unit]) -> list[str]:
    """Missing properties: those one `required` keyword lists are all needed ("a" and "b"); those of the
    branches of one choice are alternatives (needs one of "content" or "schema")."""
    groups: dict[str, list[str]] = {}
    for u in units:
        name = _REQUIRED.match(u.message).group(1)
        if name not in groups.setdefault(u.evaluation, []):
            groups[u.evaluation].append(name)
    clusters: list[list[str]] = []  # evaluation paths that are branches of one choice
    for path in sorted(groups):
        for cluster in clusters:
            common = _common_prefix(cluster[0], path)
            if re.search(r"/(oneOf|anyOf)/$", common) or re.search(r"/(oneOf|anyOf)/\d*$", common):
                cluster.append(path)
                break
        else:
            clusters.append([path])
    needed, out = [], []
    for cluster in clusters:
        if len(cluster) == 1:
            needed += [n for n in groups[cluster[0]] if n not in needed]
        else:
            names = sorted({n for path in cluster for n in groups[path]})
            out.append("needs one of " + " or ".join(f'"{n}"' for n in names))
    if len(needed) > 1:
        out.insert(0, " and ".join(f'"{n}"' for n in sorted(needed)) + " are required properties")
    elif needed:
        out.insert(0, f'"{needed[0]}" is a required property')
    return out


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return a[:n]


def _allowed_values(enums: list[Unit], schema: dict) -> list | None:
    """Every value the failed enum/const keywords allow together, read from the schema (None if unknown)."""
    allowed: list = []
    for u in enums:
        keyword_value = _schema_at(schema, u.schema_location, missing=_MISSING)
        if keyword_value is _MISSING or (u.keyword == "enum" and not isinstance(keyword_value, list)):
            return None
        for v in (keyword_value if u.keyword == "enum" else [keyword_value]):
            if v not in allowed:
                allowed.append(v)
    return allowed or None


_MISSING = object()


def enum_message(error: Any) -> str | None:
    """Every allowed value of a failed ``enum`` (jsonschema-rs names two and counts the others)."""
    options = getattr(error.kind, "options", None) if type(error.kind).__name__ == "Enum" else None
    if not isinstance(options, list) or len(options) > 12:
        return None
    return f"{_value_text(error.message)} is not one of {_or_list(options)}"


def _schema_at(schema: dict, location: str, missing: Any = None) -> Any:
    node: Any = schema
    for seg in _split(location):
        if isinstance(node, dict) and seg in node:
            node = node[seg]
        elif isinstance(node, list) and seg.isdigit() and int(seg) < len(node):
            node = node[int(seg)]
        else:
            return missing
    return node


def _value_text(message: str) -> str:
    """The value at the start of a jsonschema message ('"querry" is not one of ...' -> '"querry"')."""
    return message.split(" is not ", 1)[0] if " is not " in message else "the value"


def _or_list(values: list) -> str:
    shown = [json.dumps(v) for v in values]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


# -- the message a person would write, for well-known shapes --------------------------------------------------

def explain(kind: str | None, location: tuple, message: str) -> str:
    """A clearer message for a problem at an object of ``kind`` (object_kinds), or the message itself."""
    if kind in ("parameter", "header") and 'needs one of "content" or "schema"' in message:
        return message.replace('needs one of "content" or "schema"', f"{kind_name(kind)} has neither `schema` nor "
                               "`content`")
    if kind == "parameter" and message.startswith('"type" is a required property'):
        rest = message[len('"type" is a required property'):]
        return f"parameter is missing `type` (string, number, integer, boolean, array or file){rest}"
    if kind == "paths" and message.startswith("Additional properties are not allowed ("):
        names = re.findall(r"'((?:[^']|'')*)'", message)
        if names:
            return "path " + ", ".join(f"'{n}'" for n in names) + " must start with '/'"
    return message

