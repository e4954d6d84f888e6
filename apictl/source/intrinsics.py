"""CloudFormation intrinsic functions inside specs: recognised, treated as opaque values."""
from __future__ import annotations

import re
from typing import Any, Iterator, NamedTuple

from ..lazy_re import lazy_compile

_SUB_VAR = lazy_compile(r"\$\{([^}!]+)\}")


def is_intrinsic(value: Any) -> bool:
    """``{"Ref": ...}``, ``{"Fn::Sub": ...}``, ``{"Fn::GetAtt": ...}``, ``{"Condition": ...}``..."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    key = next(iter(value))
    return isinstance(key, str) and (key == "Ref" or key == "Condition" or key.startswith("Fn::"))


def contains_intrinsic(value: Any) -> bool:
    if is_intrinsic(value):
        return True
    if isinstance(value, dict):
        return any(contains_intrinsic(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_intrinsic(v) for v in value)
    return False


def first_intrinsic(value: Any) -> tuple | None:
    """The JSON pointer (as a tuple) of the first intrinsic object inside ``value``, in document order; None if none."""
    stack: list[tuple[tuple, Any]] = [((), value)]
    while stack:
        pointer, node = stack.pop()
        if is_intrinsic(node):
            return pointer
        if isinstance(node, dict):
            stack.extend(reversed([(pointer + (k,), v) for k, v in node.items()]))
        elif isinstance(node, list):
            stack.extend(reversed([(pointer + (i,), v) for i, v in enumerate(node)]))
    return None


def json_may_contain_intrinsic(compact: bytes) -> bool:
    """False when the compact JSON text of a value (no spaces after ':', as orjson or
    ``json.dumps(separators=(",", ":"))`` write it) has no key an intrinsic starts with: then
    ``contains_intrinsic`` is False too, without a walk over every node."""
    return b'"Ref":' in compact or b'"Condition":' in compact or b'"Fn::' in compact


def substitute(value: Any, params: dict[str, str]) -> Any:
    """Best-effort static value of an intrinsic: ``Fn::Sub`` with known ``${KEY}``s, ``Ref`` to a
    known parameter, ``Fn::Join`` of known parts. Returns the value unchanged when it is not an
    intrinsic, and None when it cannot be worked out statically."""
    if not is_intrinsic(value):
        return value
    key, arg = next(iter(value.items()))
    if key == "Ref":
        return params.get(arg) if isinstance(arg, str) else None
    if key == "Fn::Sub":
        template, local = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1]) if (
            isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], dict)) else (None, {})
        if template is None:
            return None
        missing = False

        def repl(m: re.Match) -> str:
            nonlocal missing
            name = m.group(1).strip()
            if name in local:
                v = substitute(local[name], params)
                if isinstance(v, str):
                    return v
            if name in params:
                return params[name]
            missing = True
            return m.group(0)

        result = _SUB_VAR.sub(repl, template).replace("${!", "${")
        return None if missing else result
    if key == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], list):
        parts = [substitute(p, params) for p in arg[1]]
        if all(isinstance(p, str) for p in parts):
            return arg[0].join(parts)
        return None
    return None


def sub_variables(template: str) -> list[str]:
    return [m.group(1).strip() for m in _SUB_VAR.finditer(template)]


NO_VALUE = {"Ref": "AWS::NoValue"}


class Choice(NamedTuple):
    """One decision of an ``Fn::If``: which branch (1 true, 2 false) of the one at ``pointer``."""

    pointer: tuple
    index: int
    condition: str


def if_branches(node: Any, pointer: tuple, choices: tuple = ()) -> Iterator[tuple[tuple, Any, tuple]]:
    """(pointer, value, choices) for each value ``node`` takes once CloudFormation resolves its ``Fn::If``s
    (nested ones too); an ``AWS::NoValue`` branch is no value. Anything else is its own single value."""
    if is_intrinsic(node) and "Fn::If" in node:
        arg = node["Fn::If"]
        if isinstance(arg, list) and len(arg) == 3:
            condition = arg[0] if isinstance(arg[0], str) else "?"
            for index in (1, 2):
                yield from if_branches(arg[index], pointer + ("Fn::If", index),
                                       choices + (Choice(pointer, index, condition),))
            return
    if node == NO_VALUE:
        return
    yield pointer, node, choices


def branch_label(choices: tuple) -> str:
    """'Fn::If IsProd: true branch' (nested ones joined with ' / ')."""
    return " / ".join(f"Fn::If {c.condition}: {'true' if c.index == 1 else 'false'} branch" for c in choices)


def exclusive(a: tuple, b: tuple) -> bool:
    """True when two sets of choices can never hold together (another branch of the same Fn::If)."""
    return any(x.pointer == y.pointer and x.index != y.index for x in a for y in b)
