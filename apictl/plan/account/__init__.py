"""What the AWS account holds, read back in the plan's own shapes (CloudFormation property names,
``{"Ref": logical id}`` for references), so refresh and import can compare it with a state or a spec.

A reader per resource type (``rest.READERS``, ``http.READERS``) returns the properties it can read
(None when the resource is gone). Properties API Gateway does not return (the body, ``Mode``) are
not read; the body is compared operation by operation instead (:func:`operations_differ`).
Comparisons are semantic: 50 equals 50.0, settings API Gateway adds with their defaults are not
drift, a variable added in the console is.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..aws import Clients
from ..resources import sha256

# Properties whose mappings have user-chosen keys (every key counts); other mappings are records
# whose fields apictl sets (fields API Gateway adds on its own are ignored).
MAP_PROPERTIES = {"Variables", "StageVariables", "StageVariableOverrides", "RouteSettings", "Tags",
                  "ResponseParameters", "ResponseTemplates"}
# Properties apictl removes when the config no longer sets them: set outside apictl, they are drift.
REMOVABLE = {"Variables", "StageVariables", "MethodSettings", "AccessLogSetting", "AccessLogSettings"}
# Lists of records matched by these fields rather than by position.
LIST_KEYS = {"MethodSettings": ("ResourcePath", "HttpMethod")}


@dataclass
class Known:
    """A resource the reader may refer to: its type, logical id and physical id."""
    type: str
    logical_id: str
    physical_id: str


@dataclass
class Context:
    clients: Clients
    known: dict[str, Known]  # address -> what is known to exist (grows as the walk confirms resources)
    gone: set[str] = field(default_factory=set)  # addresses found missing

    def physical(self, address: str) -> str | None:
        k = self.known.get(address)
        return k.physical_id if k else None

    def ref(self, value: Any, type_: str) -> Any:
        """``{"Ref": logical id}`` when ``value`` is the physical id of a live resource of ``type_``."""
        for k in self.known.values():
            if k.type == type_ and k.physical_id == value:
                return {"Ref": k.logical_id}
        return value

    def address_of(self, type_: str) -> str | None:
        return next((a for a, k in self.known.items() if k.type == type_), None)


Reader = Callable[[Context, str], "dict | None"]


def same(a: Any, b: Any) -> bool:
    """Equal as API Gateway means it: numbers by value (50 == 50.0), containers element by element."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (isinstance(a, bool) and isinstance(b, bool) and a == b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def project(actual: Any, expected: Any, name: str = "") -> Any:
    """``actual`` reduced to what ``expected`` specifies: record fields apictl does not set are
    dropped; map entries and list elements are all kept (an extra one is a real difference)."""
    if isinstance(actual, dict) and isinstance(expected, dict):
        if name in MAP_PROPERTIES:
            return {k: project(v, expected.get(k), k) for k, v in actual.items()}
        return {k: project(actual[k], expected[k], k) for k in expected if k in actual}
    if isinstance(actual, list) and isinstance(expected, list):
        keys = LIST_KEYS.get(name)
        if keys:  # matched by key, in the expected order, then the ones only the account has
            def key_of(e: Any) -> tuple:
                return tuple(e.get(k) for k in keys) if isinstance(e, dict) else (id(e),)

            by_key = {key_of(a): a for a in actual}
            order = [key_of(e) for e in expected] + [key_of(a) for a in actual]
            wanted = {key_of(e): e for e in expected}
            return [project(by_key[k], wanted.get(k), name) for k in dict.fromkeys(order) if k in by_key]
        return [project(a, expected[i] if i < len(expected) else None, name) for i, a in enumerate(actual)]
    return actual


def compare(expected: dict[str, Any], actual: dict[str, Any], readable: tuple[str, ...]) -> dict[str, tuple]:
    """Per readable property that differs: (expected value, actual value projected); None = absent."""
    out = {}
    for key in readable:
        want, have = expected.get(key), actual.get(key)
        if want is None and (have is None or key not in REMOVABLE):
            continue  # not set by apictl: API Gateway's value (often its default) is not drift
        shown = project(have, want, key) if have is not None else None
        if not same(want, shown):
            out[key] = (want, shown)
    return out


def integration_signature(integration: dict | None) -> dict:
    """The parts of an integration apictl compares with the account: type, method and URI."""
    if not isinstance(integration, dict):
        return {}
    out = {}
    for key in ("type", "httpMethod", "uri"):
        value = integration.get(key)
        if isinstance(value, str):
            out[key] = value.upper() if key != "uri" else value
    return out


def operations_differ(spec_ops: dict[str, dict], account_ops: dict[str, dict]) -> dict[str, str]:
    """Operation label -> '+' (only in the spec), '-' (only in the account), '~' (integration differs)."""
    out = {}
    for label, sig in spec_ops.items():
        if label not in account_ops:
            out[label] = "+"
        elif any(account_ops[label].get(k) != v for k, v in sig.items()):
            out[label] = "~"
    for label in account_ops:
        if label not in spec_ops:
            out[label] = "-"
    return out


def account_body_marker(account_ops: dict[str, dict]) -> str:
    """A body hash that no spec has: what the account serves when it differs from every recorded body."""
    return "account-" + sha256(account_ops)[:24]
