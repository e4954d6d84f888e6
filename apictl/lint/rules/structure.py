"""Structure: the document against the official OpenAPI JSON Schemas.

The schemas are the ones openapi-spec-validator bundles (read from its package folder without
importing it); validation runs in jsonschema-rs (Rust), so the 4 MB Stripe spec validates in
milliseconds instead of seconds. For a failed ``oneOf``/``anyOf`` the most specific nested error
is reported instead of "not valid under any of the schemas", like a careful human would.
"""
from __future__ import annotations

import importlib.util
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from ...model.jsonschema import explain_message, value_at
from ...source.intrinsics import is_intrinsic
from ...source.workspace import parse_pointer
from ..registry import Rule, check, declare

declare(
    Rule("oas-version", "error", "The file is not an OpenAPI 2.0, 3.0 or 3.1 document",
         "Add `openapi: 3.0.3` (or `swagger: \"2.0\"`) at the top level, as a string.", "structure",
         example="info: {title: x, version: '1'}\npaths: {}"),
    Rule("oas-schema", "error", "The document breaks the official OpenAPI JSON Schema",
         "Fix the value at the reported position so that it has the shape the OpenAPI specification requires.",
         "structure", example="openapi: 3.0.3\ninfo: {title: x}\npaths: {}   # info.version is missing"),
)

SCHEMA_FOLDERS = {"2.0": "v2.0", "3.0": "v3.0", "3.1": "v3.1", "3.2": "v3.2"}
_NOISE = ('"$ref" is a required property',)


def schema_folder() -> Path:
    spec = importlib.util.find_spec("openapi_spec_validator")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("openapi-spec-validator is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / "schemas"


@lru_cache(maxsize=None)
def validator_for(major: str):
    import jsonschema_rs

    schema = json.loads((schema_folder() / SCHEMA_FOLDERS[major] / "schema.json").read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(schema)


def version_family(data: dict) -> tuple[str | None, str]:
    """('3.0', '') or (None, reason)."""
    if "openapi" in data:
        value = data["openapi"]
        if not isinstance(value, str):
            return None, f"'openapi' must be a version string like \"3.0.3\", not {value!r}"
        for major in ("3.0", "3.1", "3.2"):
            if value == major or value.startswith(major + "."):
                return major, ""
        return None, f"unsupported OpenAPI version '{value}' (supported: 2.0, 3.0.x, 3.1.x)"
    if "swagger" in data:
        value = data["swagger"]
        if value != "2.0":
            return None, f"'swagger' must be \"2.0\" (a string), not {value!r}"
        return "2.0", ""
    return None, "not an OpenAPI document: no 'openapi' or 'swagger' field at the top level"


@check("oas-version", "oas-schema")
def check_structure(ctx):
    data = ctx.document.data
    if not isinstance(data, dict):
        yield ctx.finding("oas-version", "not an OpenAPI document: the top level is a list, not a mapping", ())
        return
    major, reason = version_family(data)
    if major is None:
        pointer = ("openapi",) if "openapi" in data else ("swagger",) if "swagger" in data else ()
        yield ctx.finding("oas-version", reason, pointer)
        return
    for pointer, message in structural_errors(data, major):
        yield ctx.finding("oas-schema", message, pointer)


def structural_errors(data: dict, major: str) -> list[tuple[tuple, str]]:
    validator = validator_for(major)
    top = [e for e in validator.iter_errors(data)]
    if not top:
        return []
    detailed = None
    out: list[tuple[tuple, str]] = []
    for error in top:
        pointer = _real_pointer(data, error.instance_path)
        if _inside_intrinsic(data, pointer):
            continue
        kind = type(error.kind).__name__
        if kind in ("OneOfNotValid", "AnyOfNotValid"):
            if detailed is None:
                detailed = validator.evaluate(data).errors()
            specific = _most_specific(detailed, pointer, data)
            if specific:
                out.extend(specific)
                continue
        out.append((pointer, explain_message(_short_message(error.message), value_at(data, pointer))))
    return out


def _inside_intrinsic(data: Any, pointer: tuple) -> bool:
    node = data
    if is_intrinsic(node):
        return True
    for seg in pointer:
        if isinstance(node, dict) and seg in node:
            node = node[seg]
        elif isinstance(node, list) and isinstance(seg, int) and seg < len(node):
            node = node[seg]
        else:
            return False
        if is_intrinsic(node):
            return True
    return False


def _most_specific(errors: list[dict], pointer: tuple, data: Any) -> list[tuple[tuple, str]]:
    """The deepest nested errors under ``pointer``, without the 'could have been a $ref' noise, from the
    ``oneOf``/``anyOf`` branches that fit the value's kind (see ``_fitting_branches``)."""
    candidates = []
    for err in errors:
        location = _real_pointer(data, parse_pointer(err.get("instanceLocation", "")) or ())
        if location[: len(pointer)] != pointer:
            continue
        message = err.get("error", "")
        if any(n in message for n in _NOISE) or "is not valid under any of the schemas" in message:
            continue
        if _inside_intrinsic(data, location):
            continue
        branch = _BRANCH_RE.match(err.get("schemaLocation", ""))
        candidates.append((location, explain_message(_short_message(message), value_at(data, location)),
                           branch.group(0) if branch else ""))
    if not candidates:
        return []
    branches = _fitting_branches(candidates)
    candidates = [c for c in candidates if c[2] in branches]
    deepest = max(len(loc) for loc, _, _ in candidates)
    grouped: dict[tuple, list[str]] = {}
    for loc, msg, _ in candidates:
        if len(loc) == deepest and msg not in grouped.setdefault(loc, []):
            grouped[loc].append(msg)
    return [(loc, _join_alternatives(msgs)) for loc, msgs in grouped.items()]


# The schema location up to its last oneOf/anyOf branch or named definition (draft-4 locations are resolved
# through $ref): errors with the same prefix come from one branch.
_BRANCH_RE = re.compile(r".*/(?:(?:oneOf|anyOf)/\d+|definitions/[^/]+|\$defs/[^/]+)")
_ENUM_MARKERS = (" is not one of ", " was expected")


def _fitting_branches(candidates: list[tuple[tuple, str, str]]) -> set[str]:
    """Drop the branches that are for another kind of object.

    A branch whose ``enum``/``const`` fails on a field where another branch, failing on fields at the same
    depth, has no error is for another kind (a query parameter's branch when ``in: path``): its errors only confuse. ``in`` decides
    first (parameters), then any other field."""
    branches = {branch for _, _, branch in candidates}
    errors_at: dict[tuple, set[str]] = {}
    enum_errors_at: dict[tuple, set[str]] = {}
    for loc, msg, branch in candidates:
        errors_at.setdefault(loc, set()).add(branch)
        if any(marker in msg for marker in _ENUM_MARKERS):
            enum_errors_at.setdefault(loc, set()).add(branch)
    ordered = sorted(enum_errors_at, key=lambda loc: (loc[-1:] != ("in",), len(loc), [str(s) for s in loc]))
    depth_of = {}
    for loc, _, branch in candidates:
        depth_of[branch] = max(depth_of.get(branch, 0), len(loc))
    for loc in ordered:
        # branches that got down to this level of the value without an error at this field
        clean_here = {b for b in branches - errors_at[loc] if depth_of[b] >= len(loc)}
        wrong_kind = enum_errors_at[loc] & branches
        if clean_here and wrong_kind and wrong_kind != branches:
            branches -= wrong_kind
    return branches


def _join_alternatives(messages: list[str]) -> str:
    """'"a" is a required property' x2 + others -> 'needs "a" or "b"; ...'."""
    required = [m[: -len(" is a required property")] for m in messages if m.endswith(" is a required property")]
    others = sorted(m for m in messages if not m.endswith(" is a required property"))
    parts = []
    if len(required) > 1:
        parts.append("needs one of " + " or ".join(sorted(required)))
    elif required:
        parts.append(f"{required[0]} is a required property")
    return "; ".join(parts + others)


def _real_pointer(data: Any, segments) -> tuple:
    """Segments typed as the data is: keys of mappings are strings, indexes of lists are ints."""
    out = []
    node = data
    for seg in segments:
        if isinstance(node, list):
            try:
                seg = int(seg)
                node = node[seg]
            except (ValueError, IndexError, TypeError):
                node = None
        else:
            seg = str(seg)
            node = node.get(seg) if isinstance(node, dict) else None
        out.append(seg)
    return tuple(out)


def _short_message(message: str) -> str:
    """Replace a long JSON dump of the failing value with 'the value'."""
    for marker in (" is not valid under any of the schemas", " is not of type", " is not one of", " has less than",
                   " is a required property", " is not valid under", " does not match", " is too long",
                   " is too short", " is less than", " is greater than", " has more than", " is not ",
                   " was expected"):
        i = message.find(marker)
        if i > 60:
            return "the value" + message[i:]
    if len(message) > 300:
        return message[:297] + "..."
    return message
