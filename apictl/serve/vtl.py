"""Mapping templates through a real VTL engine (airspeed-ext, the Velocity port LocalStack uses), with
the objects API Gateway gives templates (``$input``, ``$util``, ``$context``, ``$stageVariables``)
and API Gateway's quirks (gateway-runtime.md 13):

* a null reference renders as nothing and ``null == ""`` is true;
* maps print Java-style ``{k=v, k2=v2}``, lists print as compact JSON (also inside maps);
* ``$input.body`` of an empty payload is ``{}``; ``$input.params(x)`` looks in path, query string,
  then headers, and gives ``""`` when absent;
* ``$util.escapeJavaScript`` escapes like Java's ``StringEscapeUtils.escapeJavaScript`` (``'`` → ``\\'``,
  ``/`` → ``\\/``, non-ASCII → ``\\uXXXX``); ``$util.urlEncode`` is Java's ``URLEncoder`` (space → ``+``).
"""
from __future__ import annotations

import base64
import json
import math
import re
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus, unquote_plus

import airspeed
from airspeed import operators as _ops

from .request import DROPPED_HEADERS

MAX_FOREACH = 1000


def _loose_eq(a: Any, b: Any) -> bool:
    """Velocity's ``==`` as API Gateway evaluates it: a null reference equals the empty string."""
    if (a is None and b == "") or (b is None and a == ""):
        return True
    return a == b


_ops.BinaryOperator.OPERATORS = {**_ops.BinaryOperator.OPERATORS, "==": _loose_eq, "eq": _loose_eq,
                                 "!=": lambda a, b: not _loose_eq(a, b), "ne": lambda a, b: not _loose_eq(a, b)}
# Java String methods templates use besides the ones airspeed-ext provides.
_ops.__additional_methods__[str].update({
    "toLowerCase": lambda self: self.lower(), "toUpperCase": lambda self: self.upper(),
    "trim": lambda self: self.strip(), "equals": lambda self, other: self == other,
    "equalsIgnoreCase": lambda self, other: isinstance(other, str) and self.lower() == other.lower(),
    "endsWith": lambda self, suffix: self.endswith(suffix), "isEmpty": lambda self: len(self) == 0,
    "replace": lambda self, old, new: self.replace(str(old), str(new)),
    "split": lambda self, pattern: VtlList(re.split(pattern, self)),
    "lastIndexOf": lambda self, sub: self.rfind(sub), "charAt": lambda self, i: self[i],
    "toString": lambda self: self, "concat": lambda self, other: self + str(other),
    "indexOf": lambda self, sub: self.find(sub),
})


def java_string(value: Any) -> str:
    """How Java's toString shows a JSON value inside a map."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 1e7:
            return f"{value:.1f}"
        return repr(value)
    if isinstance(value, VtlList):
        return str(value)
    if isinstance(value, list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={java_string(v)}" for k, v in value.items()) + "}"
    return str(value)


class VtlMap(dict):
    """A JSON object as a template sees it: a Java map."""

    def __str__(self) -> str:
        return java_string(dict(self))

    __repr__ = __str__

    def size(self) -> int:
        return len(self)

    def get(self, key: Any, default: Any = None) -> Any:  # noqa: D102 - Java Map.get
        return dict.get(self, key, default)

    def put(self, key: Any, value: Any) -> Any:
        old = dict.get(self, key)
        self[key] = value
        return old

    def putAll(self, other: dict) -> None:  # noqa: N802 - Java name
        self.update(other)

    def keySet(self) -> "VtlList":  # noqa: N802
        return VtlList(self.keys())

    def values(self) -> "VtlList":  # type: ignore[override]
        return VtlList(dict.values(self))

    def entrySet(self) -> "VtlList":  # noqa: N802
        return VtlList(VtlMap(key=k, value=v) for k, v in self.items())

    def containsKey(self, key: Any) -> bool:  # noqa: N802
        return key in self

    def isEmpty(self) -> bool:  # noqa: N802
        return not self

    def remove(self, key: Any) -> Any:
        return self.pop(key, None)

    def toString(self) -> str:  # noqa: N802
        return str(self)


class VtlList(list):
    """A JSON array as a template sees it: prints as compact JSON."""

    def __str__(self) -> str:
        return json.dumps(_plain(self), separators=(",", ":"), ensure_ascii=False)

    __repr__ = __str__

    def size(self) -> int:
        return len(self)

    def get(self, index: int) -> Any:
        return self[index]

    def contains(self, value: Any) -> bool:
        return value in self

    def isEmpty(self) -> bool:  # noqa: N802
        return not self

    def add(self, value: Any) -> bool:
        self.append(value)
        return True

    def toString(self) -> str:  # noqa: N802
        return str(self)


def wrap(value: Any) -> Any:
    if isinstance(value, dict) and not isinstance(value, VtlMap):
        return VtlMap((k, wrap(v)) for k, v in value.items())
    if isinstance(value, list) and not isinstance(value, VtlList):
        return VtlList(wrap(v) for v in value)
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def escape_javascript(value: Any) -> str:
    if value is None:
        return ""
    out = []
    for ch in str(value):
        code = ord(ch)
        if ch in "'\"\\/":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\b":
            out.append("\\b")
        elif ch == "\f":
            out.append("\\f")
        elif code < 0x20 or code > 0x7E:
            if code > 0xFFFF:  # Java strings are UTF-16: each surrogate is escaped
                code -= 0x10000
                out.append("\\u%04X\\u%04X" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)))
            else:
                out.append("\\u%04X" % code)
        else:
            out.append(ch)
    return "".join(out)


class Util:
    """``$util``."""

    def escapeJavaScript(self, value: Any) -> str:  # noqa: N802
        return escape_javascript(value)

    def parseJson(self, value: Any) -> Any:  # noqa: N802
        return wrap(json.loads(str(value)))

    def urlEncode(self, value: Any) -> str:  # noqa: N802
        if value is None:
            return ""
        return quote_plus(str(value), safe="*").replace("~", "%7E")

    def urlDecode(self, value: Any) -> str:  # noqa: N802
        return "" if value is None else unquote_plus(str(value))

    def base64Encode(self, value: Any) -> str:  # noqa: N802
        return "" if value is None else base64.b64encode(str(value).encode("utf-8")).decode("ascii")

    def base64Decode(self, value: Any) -> str:  # noqa: N802
        return "" if value is None else base64.b64decode(str(value)).decode("utf-8", errors="replace")


@lru_cache(maxsize=512)
def _jsonpath(expression: str) -> Any:
    from jsonpath_ng import parse

    return parse(expression)


MISSING = object()


def json_path(document: Any, expression: str, missing: Any = None) -> Any:
    """Jayway-style: a definite path gives the value (``missing`` when absent), an indefinite one a list."""
    expression = expression.strip() or "$"
    if expression == "$":
        return document
    indefinite = any(token in expression for token in ("*", "..", "?(", ","))
    try:
        matches = [m.value for m in _jsonpath(expression).find(document)]
    except Exception as exc:  # noqa: BLE001 - jsonpath-ng raises plain Exceptions for bad paths
        raise ValueError(f"invalid JSONPath '{expression}': {exc}") from None
    if indefinite:
        return matches
    return matches[0] if matches else missing


class Input:
    """``$input`` over the integration request (or response) payload."""

    def __init__(self, body: str, params: dict[str, dict[str, str]]):
        self._body = body
        self._params = params
        self._parsed: Any = None
        self._parsed_ok: bool | None = None

    @property
    def body(self) -> str:
        return self._body if self._body else "{}"

    def _document(self) -> Any:
        if self._parsed_ok is None:
            text = self._body or "{}"
            try:
                self._parsed = json.loads(text)
                self._parsed_ok = True
            except ValueError:
                self._parsed = text
                self._parsed_ok = False
        return self._parsed

    def json(self, expression: str = "$") -> str:
        document = self._document()
        if not self._parsed_ok and expression.strip() == "$":
            return json.dumps(document)
        value = json_path(document, expression, MISSING) if self._parsed_ok else MISSING
        if value is MISSING:
            return '""'  # an absent path renders as an empty JSON string
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

    def path(self, expression: str = "$") -> Any:
        document = self._document()
        if not self._parsed_ok:
            return document if expression.strip() == "$" else None
        return wrap(json_path(document, expression))

    def params(self, name: str | None = None) -> Any:
        if name is None:
            return VtlMap((k, VtlMap(v)) for k, v in self._params.items())
        for where in ("path", "querystring"):
            if name in self._params.get(where, {}):
                return self._params[where][name]
        headers = self._params.get("header", {})
        if name in headers:
            return headers[name]
        lower = name.lower()
        return next((v for k, v in headers.items() if k.lower() == lower), "")


def input_params(path: dict[str, str], query: dict[str, str], headers: list[tuple[str, str]]) -> dict:
    header_map: dict[str, str] = {}
    for name, value in headers:
        if name.lower() not in DROPPED_HEADERS:
            header_map[name] = value
    return {"path": dict(path), "querystring": dict(query), "header": header_map}


class TemplateFailure(Exception):
    """A template that cannot be parsed or fails while rendering (the message goes to the log)."""


@lru_cache(maxsize=1024)
def _compile(text: str) -> airspeed.Template:
    template = airspeed.Template(text)
    template.ensure_compiled()
    return template


def render(text: str, *, input: Input, context: VtlMap, stage_variables: dict[str, str]) -> str:
    namespace = {"input": input, "util": Util(), "context": context, "stageVariables": VtlMap(stage_variables)}
    try:
        return _compile(text).merge(namespace)
    except airspeed.TemplateError as exc:
        raise TemplateFailure(str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__) from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, ZeroDivisionError, RecursionError) as exc:
        raise TemplateFailure(f"{type(exc).__name__}: {exc}") from None


def template_context(ctx: dict[str, Any]) -> VtlMap:
    """``$context`` for a template: the request's context plus writable override maps."""
    out = wrap(ctx)
    out.setdefault("requestOverride", VtlMap(header=VtlMap(), querystring=VtlMap(), path=VtlMap()))
    out.setdefault("responseOverride", VtlMap(header=VtlMap()))
    return out
