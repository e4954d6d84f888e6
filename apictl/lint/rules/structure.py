"""Structure: the document against the official OpenAPI JSON Schemas.

The schemas are the ones openapi-spec-validator bundles (official_schemas.py); validation runs in
jsonschema-rs (Rust), so the 4 MB Stripe spec validates in milliseconds instead of seconds. For a failed
``oneOf``/``anyOf`` the branch the value was meant to be explains the problem (schema_errors.py), not
"not valid under any of the schemas". What whole-document validation cannot see is validated as the kind of
object it stands for (model/fragments.py): nodes in other files named by a ``$ref``, and the branches of
CloudFormation ``Fn::If``s, with positions where they are written.
"""
from __future__ import annotations

from typing import Any

from ...model.fragments import fragments
from ...model.jsonschema import explain_message, value_at
from ...model.object_kinds import kind_at
from ...source.intrinsics import is_intrinsic
from ..official_schemas import knows, validator_for
from ..registry import Rule, check, declare

declare(
    Rule("oas-version", "error", "The file is not an OpenAPI 2.0, 3.0 or 3.1 document",
         "Add `openapi: 3.0.3` (or `swagger: \"2.0\"`) at the top level, as a string.", "structure",
         example="info: {title: x, version: '1'}\npaths: {}"),
    Rule("oas-schema", "error", "The document breaks the official OpenAPI JSON Schema",
         "Fix the value at the reported position so that it has the shape the OpenAPI specification requires.",
         "structure", example="openapi: 3.0.3\ninfo: {title: x}\npaths: {}   # info.version is missing"),
)

_NOISE = ('"$ref" is a required property',)


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
    for fragment in fragments(ctx.api, major):
        for pointer, message in structural_errors(fragment.node, major, fragment.kind):
            yield ctx.finding("oas-schema", f"{message} ({fragment.why})", fragment.pointer + pointer,
                              fragment.document)


def structural_errors(data: Any, major: str, kind: str = "document") -> list[tuple[tuple, str]]:
    """(pointer relative to ``data``, message) for each way ``data`` breaks the official schema, read as a
    whole document or as one ``kind`` of object; one message per place."""
    if not knows(major, kind):
        return []
    validator = validator_for(major, kind)
    found: dict[tuple, list[str]] = {}
    for error in validator.iter_errors(data):
        from ..schema_errors import choice_errors, enum_message, explain  # only documents with errors need it

        pointer = _real_pointer(data, error.instance_path)
        if _inside_intrinsic(data, pointer):
            continue
        details = []
        if type(error.kind).__name__ in ("OneOfNotValid", "AnyOfNotValid"):
            details = choice_errors(major, tuple(error.schema_path)[:-1], value_at(data, pointer), _real_pointer)
        if not details:
            details = [((), enum_message(error) or error.message)]
        for rel, message in details:
            location = pointer + tuple(rel)
            if _inside_intrinsic(data, location) or _under_reference(data, location) or message in _NOISE:
                continue
            message = explain(kind_at(major, kind, location), location,
                              explain_message(_short_message(message), value_at(data, location)))
            if message not in found.setdefault(location, []):
                found[location].append(message)
    return [(location, "; ".join(_join_required(messages))) for location, messages in found.items()]


def _join_required(messages: list[str]) -> list[str]:
    """'"a" is a required property' x2 at one place -> '"a" and "b" are required properties'."""
    suffix = " is a required property"
    names = [m[: -len(suffix)] for m in messages if m.endswith(suffix) and m.startswith('"')]
    if len(names) < 2:
        return messages
    return [" and ".join(names) + " are required properties"] + [m for m in messages if m[: -len(suffix)] not in names]


def _under_reference(data: Any, pointer: tuple) -> bool:
    """A ``{"$ref": "..."}`` on the way: it stands for what it names (JSON Reference), which is checked as the
    kind of object its place expects (model/fragments.py), also where OpenAPI allows no Reference Object."""
    node = data
    for seg in pointer:
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            return True
        if isinstance(node, dict) and seg in node:
            node = node[seg]
        elif isinstance(node, list) and isinstance(seg, int) and seg < len(node):
            node = node[seg]
        else:
            return False
    return isinstance(node, dict) and isinstance(node.get("$ref"), str)


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
