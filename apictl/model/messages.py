"""What an operation receives and returns: request bodies, responses, headers, security.

OpenAPI 2.0 keeps bodies in a ``body`` parameter plus ``consumes``/``produces``; 3.x keeps them in
``requestBody.content`` and ``responses.*.content``. Both become the same small records here, with
every ``$ref`` followed (``components/requestBodies``, ``components/responses``, headers).
"""
from __future__ import annotations

from typing import Any

from ..source.document import Document
from .api import Api, Operation
from ..record import Record

Located = tuple[Document, tuple, Any]  # (document, pointer, node)


class MediaType(Record):
    """One media type of a request body or response, with its resolved schema."""

    def __init__(self, name: str, at: tuple[Document, tuple], schema: Located | None) -> None:
        self.name = name
        self.at = at  # where the media-type object (2.0: the operation) sits
        self.schema = schema  # resolved schema, None when the media type declares none


class RequestBody(Record):
    """What an operation receives: OpenAPI 3 ``requestBody``, or an OpenAPI 2.0 ``body`` parameter."""

    def __init__(self, required: bool, at: tuple[Document, tuple],
                 content: dict[str, MediaType] | None = None) -> None:
        self.required = required
        self.at = at
        self.content = {} if content is None else content


class Header(Record):
    """A response header, its ``$ref`` followed."""

    def __init__(self, name: str, required: bool, at: tuple[Document, tuple], schema: Located | None,
                 node: dict) -> None:
        self.name = name
        self.required = required
        self.at = at
        self.schema = schema
        self.node = node


class Response(Record):
    """One response of an operation (by status code)."""

    def __init__(self, status: str, at: tuple[Document, tuple], content: dict[str, MediaType] | None = None,
                 headers: dict[str, Header] | None = None) -> None:
        self.status = status
        self.at = at
        self.content = {} if content is None else content
        self.headers = {} if headers is None else headers  # lower-cased names

    @property
    def success(self) -> bool:
        return self.status.startswith("2")


def _media_list(api: Api, op: Operation, key: str) -> list[str]:
    value = op.node.get(key, api.data.get(key))
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else ["application/json"]


def _content(api: Api, doc: Document, ptr: tuple, owner: dict) -> dict[str, MediaType]:
    content = owner.get("content")
    out: dict[str, MediaType] = {}
    if not isinstance(content, dict):
        return out
    for name, mt in content.items():
        if not isinstance(mt, dict):
            continue
        mt_ptr = ptr + ("content", name)
        schema = None
        if isinstance(mt.get("schema"), dict):
            schema = api.deref(doc, mt["schema"], mt_ptr + ("schema",))
        out[str(name)] = MediaType(str(name), (doc, mt_ptr), schema)
    return out


def request_body(api: Api, op: Operation) -> RequestBody | None:
    if api.is_swagger:
        for p in op.parameters:
            if p.location == "body":
                schema = api.deref(p.document, p.schema, p.pointer + ("schema",)) if isinstance(p.schema, dict) else None
                body = RequestBody(p.required, (p.document, p.pointer))
                for name in _media_list(api, op, "consumes"):
                    body.content[name] = MediaType(name, (p.document, p.pointer), schema)
                return body
        return None
    raw = op.node.get("requestBody")
    if not isinstance(raw, dict):
        return None
    doc, ptr, node = api.deref(op.document, raw, op.pointer + ("requestBody",))
    if not isinstance(node, dict):
        return None
    return RequestBody(node.get("required") is True, (doc, ptr), _content(api, doc, ptr, node))


def responses(api: Api, op: Operation) -> dict[str, Response]:
    raw = op.node.get("responses")
    out: dict[str, Response] = {}
    if not isinstance(raw, dict):
        return out
    for status, value in raw.items():
        if str(status).startswith("x-"):
            continue
        doc, ptr, node = api.deref(op.document, value, op.pointer + ("responses", status))
        if not isinstance(node, dict):
            continue
        resp = Response(str(status), (doc, ptr))
        if api.is_swagger:
            if isinstance(node.get("schema"), dict):
                schema = api.deref(doc, node["schema"], ptr + ("schema",))
                for name in _media_list(api, op, "produces"):
                    resp.content[name] = MediaType(name, (doc, ptr), schema)
        else:
            resp.content = _content(api, doc, ptr, node)
        headers = node.get("headers")
        if isinstance(headers, dict):
            for name, h in headers.items():
                h_doc, h_ptr, h_node = api.deref(doc, h, ptr + ("headers", name))
                if not isinstance(h_node, dict):
                    continue
                if api.is_swagger:
                    schema: Located | None = (h_doc, h_ptr, h_node)
                elif isinstance(h_node.get("schema"), dict):
                    schema = api.deref(h_doc, h_node["schema"], h_ptr + ("schema",))
                else:
                    schema = None
                resp.headers[str(name).lower()] = Header(str(name), h_node.get("required") is True, (h_doc, h_ptr),
                                                         schema, h_node)
        out[str(status)] = resp
    return out


def security_requirements(api: Api, op: Operation) -> tuple[list[dict[str, list[str]]], tuple]:
    """The security alternatives that apply to ``op`` (its own, else the root's) and where they sit.
    ``[]`` means no authentication; each alternative maps scheme names to scopes."""
    if "security" in op.node:
        raw, where = op.node.get("security"), op.pointer + ("security",)
    else:
        raw, where = api.data.get("security"), ("security",)
    out = []
    if isinstance(raw, list):
        for alt in raw:
            if isinstance(alt, dict):
                out.append({str(k): sorted(str(s) for s in v) if isinstance(v, list) else [] for k, v in alt.items()})
    return out, where


def schema_types(schema: dict) -> tuple[frozenset[str], bool]:
    """Declared types without ``null``, and whether ``null`` is allowed. The 3.0 ``nullable: true``,
    the 3.1 type array with ``"null"`` and ``x-nullable`` (2.0) all mean the same."""
    raw = schema.get("type")
    if isinstance(raw, str):
        types = {raw}
    elif isinstance(raw, list):
        types = {t for t in raw if isinstance(t, str)}
    else:
        types = set()
    nullable = "null" in types or schema.get("nullable") is True or schema.get("x-nullable") is True
    types.discard("null")
    return frozenset(types), nullable
