"""The language-neutral SDK model: what every target (Python, JS, Swift, Java) renders from.

``build_sdk_model(api)`` reads an :class:`apictl.model.Api` (which knows OpenAPI 2.0 vs 3.x and ``$ref``s) and
returns an :class:`SdkApi`:

* ``operations``: :class:`Operation` with ``params`` (path/query/header/cookie, in a stable order: path params
  in path order, then required before optional), ``body`` (:class:`RequestBody` with one
  :class:`Content` per media type, each of kind ``json | form | multipart | binary | text``), ``responses``
  (:class:`Response` per status, ``success`` and ``result`` shortcuts) and ``auth`` (alternatives, each a list
  of :class:`AuthScheme` that must all be applied: ``api_key | bearer | basic | sigv4 | request_authorizer``).
* ``models``: every structured schema becomes a :class:`Model` of kind ``object`` (``properties``,
  ``bases`` from ``allOf``, ``additional`` for ``additionalProperties``), ``enum`` (``values``) or ``union``
  (``variants`` from ``oneOf``/``anyOf``/type lists, optional ``discriminator``). Named schemas keep their
  component name as ``raw_name``; inline ones get a context name (``Money`` + ``currency`` -> "Money currency").
* Types are :class:`TypeRef`: ``any string integer number boolean date datetime binary null array map model``,
  with ``nullable``.

Every string that comes from the spec (wire names, descriptions, paths, media types, enum values) is a
:class:`SpecText`. Templates must pass those through an escape filter; rendering one raw raises an error.
Identifiers (``.name`` fields) are empty here: :func:`apictl.sdk.generate.assign_names` fills them per target
language, so one model serves every language.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..model.api import AUTHTYPE, Api
from ..model.depth import MAX_SCHEMA_DEPTH, allow_deep_walks, too_deep
from ..model.nodes import as_list, as_mapping
from ..source.document import Document
from ..source.workspace import format_pointer

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
PRIMITIVES = ("string", "integer", "number", "boolean")
SKIPPED_HEADERS = frozenset({"accept", "content-type", "authorization"})


class SpecText(str):
    """A string taken from the spec. Templates must escape it (``{{ x|py_str }}``); raw output raises."""

    __slots__ = ()


def spec_text(value: Any) -> SpecText:
    return SpecText("" if value is None else value if isinstance(value, str) else str(value))


@dataclass(eq=False)
class TypeRef:
    kind: str  # any | string | integer | number | boolean | date | datetime | binary | null | array | map | model
    format: SpecText | None = None
    items: TypeRef | None = None  # array items
    values: TypeRef | None = None  # map values
    model: Model | None = None
    nullable: bool = False

    def with_nullable(self, nullable: bool) -> TypeRef:
        if not nullable or self.nullable:
            return self
        return TypeRef(self.kind, self.format, self.items, self.values, self.model, True)

    @property
    def is_primitive(self) -> bool:
        return self.kind in ("string", "integer", "number", "boolean", "date", "datetime")

    def models(self) -> list[Model]:
        """Models this type mentions directly (for imports)."""
        if self.model is not None:
            return [self.model]
        inner = self.items or self.values
        return inner.models() if inner else []


ANY = TypeRef("any")


@dataclass(eq=False)
class Property:
    wire_name: SpecText
    type: TypeRef
    required: bool
    description: SpecText
    default: Any = None  # a validated primitive (str/int/float/bool) or None
    read_only: bool = False
    write_only: bool = False
    deprecated: bool = False
    name: str = ""  # identifier, set per target


@dataclass(eq=False)
class EnumValue:
    value: Any  # str | int | float | bool; str values are SpecText
    name: str = ""  # identifier, set per target


@dataclass(eq=False)
class Discriminator:
    """``mapping``: every tag value and the variant it selects, derived once for every language by
    :func:`derive_discriminator_tags` (explicit mapping, then the variant's single-value enum/const of the property,
    then the schema name)."""

    property: SpecText
    mapping: list[tuple[SpecText, TypeRef]] = field(default_factory=list)
    explicit: list[tuple[SpecText, TypeRef]] = field(default_factory=list)  # the spec's own mapping entries


@dataclass(eq=False)
class Model:
    key: str  # unique and stable: "<document>#<pointer>"
    raw_name: str  # what the identifier is made from (component name or context words)
    kind: str  # object | enum | union
    origin: SpecText  # JSON pointer where the schema is written
    named: bool  # declared in components/schemas (definitions)
    description: SpecText = field(default_factory=lambda: SpecText(""))
    properties: list[Property] = field(default_factory=list)
    bases: list[TypeRef] = field(default_factory=list)  # allOf members that are models
    additional: TypeRef | None = None  # additionalProperties (object)
    values: list[EnumValue] = field(default_factory=list)  # enum
    value_type: str = "string"  # enum: string | integer | number | boolean
    variants: list[TypeRef] = field(default_factory=list)  # union
    union_kind: str = "oneOf"  # oneOf | anyOf
    discriminator: Discriminator | None = None
    deprecated: bool = False
    # object models that are variants of discriminated unions: wire name of the discriminator property -> the tag
    # values that select this model (targets type that property as exactly these literals)
    discriminator_values: dict[str, list[SpecText]] = field(default_factory=dict)
    name: str = ""  # identifier, set per target

    @property
    def all_properties(self) -> list[Property]:
        """Own properties plus those inherited through ``allOf`` object bases (own ones win), in order."""
        seen: dict[str, Property] = {}
        for base in self.bases:
            if base.model is not None and base.model.kind == "object" and base.model is not self:
                for prop in base.model.all_properties:
                    seen.setdefault(prop.wire_name, prop)
        for prop in self.properties:
            seen[prop.wire_name] = prop
        return list(seen.values())


@dataclass(eq=False)
class Param:
    wire_name: SpecText
    location: str  # path | query | header | cookie
    required: bool
    type: TypeRef
    description: SpecText
    default: Any = None
    style: str = "form"  # form | simple | deepObject | spaceDelimited | pipeDelimited
    explode: bool = True
    deprecated: bool = False
    name: str = ""


@dataclass(eq=False)
class Encoding:
    """How one property of a form or multipart body is written (the Encoding Object; defaults: style form,
    explode true, and for multipart the content type that fits the value)."""

    content_type: SpecText | None = None
    style: str = "form"  # form | spaceDelimited | pipeDelimited | deepObject
    explode: bool = True


@dataclass(eq=False)
class FormField:
    """One known property of a form or multipart body, with everything the runtimes need to write it."""

    wire_name: SpecText
    style: str
    explode: bool
    content_type: SpecText | None  # the Encoding Object's (first) content type, None for the default
    binary: bool  # a file (or a list of files): multipart sends it as a file part


@dataclass(eq=False)
class Content:
    media_type: SpecText
    kind: str  # json | form | multipart | binary | text
    type: TypeRef
    encoding: dict[str, Encoding] = field(default_factory=dict)  # form / multipart, by property wire name

    @property
    def fields(self) -> list[FormField]:
        """The body's known properties with their encoding (form and multipart bodies of an object type)."""
        if self.kind not in ("form", "multipart") or self.type.model is None or self.type.model.kind != "object":
            return []
        out = []
        for prop in self.type.model.all_properties:
            enc = self.encoding.get(str(prop.wire_name), Encoding())
            t = prop.type.items if prop.type.kind == "array" and prop.type.items is not None else prop.type
            out.append(FormField(prop.wire_name, enc.style, enc.explode, enc.content_type, t.kind == "binary"))
        return out


@dataclass(eq=False)
class RequestBody:
    required: bool
    description: SpecText
    contents: list[Content]

    @property
    def primary(self) -> Content:
        """The content the SDK sends by default: JSON if offered, else the first one."""
        return next((c for c in self.contents if c.kind == "json"), self.contents[0])

    @property
    def choices(self) -> list[Content]:
        """The media types a caller may choose for this body (the primary first): those with the primary's type
        (JSON, form and multipart of one schema), or of the primary's kind (binary types, text types)."""
        primary = self.primary
        structured = ("json", "form", "multipart")
        return [primary] + [c for c in self.contents if c is not primary and (
            c.kind in structured and primary.kind in structured and _same_type(c.type, primary.type)
            or c.kind == primary.kind and c.kind in ("binary", "text"))]

    @property
    def kind(self) -> str:
        return self.primary.kind

    @property
    def type(self) -> TypeRef:
        return self.primary.type

    @property
    def media_types(self) -> list[SpecText]:
        return [c.media_type for c in self.contents]


@dataclass(eq=False)
class Header:
    wire_name: SpecText
    type: TypeRef
    description: SpecText


@dataclass(eq=False)
class Response:
    status: SpecText  # "200", "4XX", "default"
    description: SpecText
    contents: list[Content] = field(default_factory=list)
    headers: list[Header] = field(default_factory=list)

    @property
    def content(self) -> Content | None:
        return next((c for c in self.contents if c.kind == "json"), self.contents[0] if self.contents else None)

    @property
    def type(self) -> TypeRef | None:
        content = self.content
        return content.type if content else None

    @property
    def is_success(self) -> bool:
        return self.status.startswith("2")


@dataclass(eq=False)
class AuthScheme:
    key: SpecText  # the name in securitySchemes
    kind: str  # api_key | bearer | basic | sigv4 | request_authorizer
    location: str = "header"  # header | query | cookie (api_key)
    param_name: SpecText = field(default_factory=lambda: SpecText("Authorization"))
    prefix: SpecText = field(default_factory=lambda: SpecText(""))  # "Bearer " for http bearer / OAuth2
    identity_headers: list[SpecText] = field(default_factory=list)  # request authorizers
    description: SpecText = field(default_factory=lambda: SpecText(""))
    name: str = ""


@dataclass(eq=False)
class Operation:
    key: str
    raw_name: str  # operationId, or "<path words> <method>" when it is missing
    operation_id: SpecText | None
    method: str  # GET, POST, ...
    path: SpecText
    summary: SpecText
    description: SpecText
    tags: list[SpecText]
    params: list[Param]
    body: RequestBody | None
    responses: list[Response]
    auth: list[list[AuthScheme]]  # alternatives; [] = no auth
    deprecated: bool = False
    name: str = ""

    @property
    def idempotent(self) -> bool:
        return self.method in IDEMPOTENT_METHODS

    def params_in(self, location: str) -> list[Param]:
        return [p for p in self.params if p.location == location]

    @property
    def success(self) -> Response | None:
        ok = [r for r in self.responses if r.is_success]
        if ok:
            return ok[0]
        return next((r for r in self.responses if r.status == "default"), None)

    @property
    def result(self) -> TypeRef | None:
        """Type of the success body (None when the success response has no body)."""
        success = self.success
        return success.type if success else None

    @property
    def result_kind(self) -> str:
        """json | binary | text | none: how the SDK reads the success body."""
        success = self.success
        content = success.content if success else None
        return content.kind if content else "none"

    @property
    def errors(self) -> list[Response]:
        """Every response except the success one (typed error bodies)."""
        success = self.success
        return [r for r in self.responses if r is not success]

    @property
    def auth_schemes(self) -> list[AuthScheme]:
        seen: dict[str, AuthScheme] = {}
        for alternative in self.auth:
            for scheme in alternative:
                seen.setdefault(scheme.key, scheme)
        return list(seen.values())


@dataclass(eq=False)
class Server:
    url: SpecText  # may hold {variables}
    description: SpecText
    variables: dict[str, SpecText] = field(default_factory=dict)  # name -> default


@dataclass(eq=False)
class SdkApi:
    title: SpecText
    version: SpecText
    description: SpecText
    servers: list[Server]
    operations: list[Operation]
    models: list[Model]
    auth_schemes: list[AuthScheme]
    notes: list[str] = field(default_factory=list)  # things left out, renamed, ... (printed as warnings)

    @property
    def base_url(self) -> SpecText:
        """The first server's URL with its variables' defaults filled in ("" when the spec names none)."""
        if not self.servers:
            return SpecText("")
        server = self.servers[0]
        url = re.sub(r"\{([^{}]*)\}", lambda m: server.variables.get(m.group(1), m.group(0)), server.url)
        return SpecText(url)

    @property
    def server_url_template(self) -> SpecText:
        """The first server's URL as written, with ``{name}`` for each variable (set at run time by the SDKs)."""
        return self.servers[0].url if self.servers else SpecText("")

    @property
    def server_variables(self) -> list[tuple[SpecText, SpecText]]:
        """(name, default) of the first server's variables that its URL uses, in order of appearance."""
        if not self.servers:
            return []
        server = self.servers[0]
        names = dict.fromkeys(re.findall(r"\{([^{}]*)\}", server.url))
        return [(SpecText(n), server.variables[n]) for n in names if n in server.variables]

    @property
    def auth_kinds(self) -> set[str]:
        return {s.kind for op in self.operations for alt in op.auth for s in alt}

    def tag_groups(self) -> list[tuple[SpecText, list[Operation]]]:
        groups: dict[str, list[Operation]] = {}
        for op in self.operations:
            groups.setdefault(op.tags[0] if op.tags else SpecText(""), []).append(op)
        return [(SpecText(k), v) for k, v in groups.items()]


# ---------------------------------------------------------------------------------------------------------------------
def build_sdk_model(api: Api, include_cors: bool = False) -> SdkApi:
    """``include_cors``: keep CORS preflight operations (OPTIONS answered by a mock integration), which clients
    never call themselves; by default they are left out (and a note says how many)."""
    allow_deep_walks()
    return _Builder(api, include_cors).build()


def body_variants(op: Operation) -> list[Operation]:
    """The operation, plus one more per request-body schema its primary media type does not share (Discord's
    multipart body adds ``files[n]`` to the JSON one): every media type stays reachable with a body type that fits
    it, as ``<operation> multipart`` / ``form`` / ``json``... (named per language like any operation)."""
    if op.body is None:
        return [op]
    choices = {id(c) for c in op.body.choices}
    rest = [c for c in op.body.contents if id(c) not in choices]
    out = [op]
    while rest:
        body = RequestBody(op.body.required, op.body.description, rest)
        picked = {id(c) for c in body.choices}
        kind = body.primary.kind
        variant = Operation(
            key=op.key, raw_name=f"{op.raw_name} {kind}",
            operation_id=op.operation_id, method=op.method, path=op.path, summary=op.summary,
            description=op.description, tags=op.tags, params=op.params, body=body, responses=op.responses,
            auth=op.auth, deprecated=op.deprecated)
        out.append(variant)
        rest = [c for c in rest if id(c) not in picked]
    return out


def is_cors_preflight(op) -> bool:
    """An OPTIONS operation that API Gateway answers with a mock integration (what "Enable CORS" creates)."""
    if op.http_method != "OPTIONS":
        return False
    integration = op.integration or {}
    return str(integration.get("type", "")).lower() == "mock"


def derive_discriminator_tags(models: list[Model]) -> None:
    """The one rule, for every language, for which tag values select which variant of a discriminated union:

    1. the spec's explicit ``mapping`` entries;
    2. for a variant no entry names, the single value of an ``enum``/``const`` on the discriminator property in
       that variant (inherited through ``allOf`` too): what APIs without a mapping rely on (``type: message``);
    3. else the variant's schema name (OpenAPI's implicit mapping).

    Also records, on each object variant, the tags that select it (``Model.discriminator_values``)."""
    for model in models:
        disc = model.discriminator
        if model.kind != "union" or disc is None:
            continue
        mapping = list(disc.explicit)
        named = {id(t.model) for _, t in mapping if t.model is not None}
        for variant in model.variants:
            target = variant.model
            if target is None or id(target) in named:
                continue
            tags = _own_tags(target, disc.property)
            if not tags and target.named:
                tags = [spec_text(target.raw_name)]
            for tag in tags:
                mapping.append((tag, variant))
        disc.mapping = mapping
        for tag, t in mapping:
            if t.model is not None and t.model.kind == "object":
                values = t.model.discriminator_values.setdefault(str(disc.property), [])
                if tag not in values:
                    values.append(tag)


def _own_tags(model: Model, prop_name: str) -> list[SpecText]:
    """The values a variant itself fixes for the discriminator property: a single-value enum or a const."""
    if model.kind != "object":
        return []
    prop = next((p for p in model.all_properties if p.wire_name == prop_name), None)
    enum = prop.type.model if prop is not None and prop.type.kind == "model" else None
    if enum is None or enum.kind != "enum" or len(enum.values) != 1 or not isinstance(enum.values[0].value, str):
        return []
    return [spec_text(enum.values[0].value)]


def _media_kind(media: str, schema: Any) -> str:
    m = media.lower().split(";")[0].strip()
    if m == "application/json" or m.endswith("+json") or m == "*/*" and _looks_json(schema) or m.endswith("/json"):
        return "json"
    if m == "multipart/form-data" or m.startswith("multipart/"):
        return "multipart"
    if m == "application/x-www-form-urlencoded":
        return "form"
    if m.startswith("text/"):
        return "text"
    return "binary"


def _raw_content(node: dict) -> bool:
    """A 3.1 string schema that stands for raw bytes: ``contentEncoding: binary``, or a ``contentMediaType`` that is
    not text, without an encoding (a file part of a multipart body)."""
    encoding = node.get("contentEncoding")
    if isinstance(encoding, str):
        return encoding.lower() == "binary"
    media = node.get("contentMediaType")
    if not isinstance(media, str):
        return False
    media = media.lower()
    return not (media.startswith("text/") or "json" in media or "xml" in media)


def _looks_json(schema: Any) -> bool:
    return isinstance(schema, dict) and (schema.get("type") in ("object", "array") or "$ref" in schema)


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})\Z")


def _valid_default(value: Any, t: TypeRef) -> Any:
    """Defaults go into code as literals: keep only plain values that match the type (a date default must be a
    date, "Assigned" is not a date-time)."""
    if t.kind == "string" and isinstance(value, str):
        return spec_text(value)
    if t.kind in ("date", "datetime") and isinstance(value, str):
        return spec_text(value) if (_DATE if t.kind == "date" else _DATE_TIME).match(value) else None
    if t.kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if t.kind == "number" and isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return value
    if t.kind == "boolean" and isinstance(value, bool):
        return value
    if t.kind == "model" and t.model is not None and t.model.kind == "enum" and \
            any(v.value == value and type(v.value) is type(value) for v in t.model.values):
        return spec_text(value) if isinstance(value, str) else value
    return None


class _Builder:
    def __init__(self, api: Api, include_cors: bool = False):
        self.api = api
        self.include_cors = include_cors
        self.models: list[Model] = []
        self.memo: dict[str, TypeRef] = {}
        self.schemes: dict[str, AuthScheme] = {}
        self.notes: list[str] = []
        self.swagger = api.is_swagger
        self.schemas_pointer = api.schemas_pointer
        self.depth = 0  # schemas being classified right now (bounded: $ref chains have no length limit)

    # -- top level ------------------------------------------------------------------------------------------------
    def build(self) -> SdkApi:
        api = self.api
        data = api.data
        info = data.get("info") if isinstance(data.get("info"), dict) else {}
        for name, node in api.schemas().items():
            self.type_of(api.document, self.schemas_pointer + (name,), node, [str(name)])
        for name, scheme in api.security_schemes.items():
            self.schemes[name] = self.auth_scheme(name, scheme.node)
        operations = []
        preflights = []
        for op in api.operations:
            if op.method == "any":
                self.notes.append(f"{op.label}: x-amazon-apigateway-any-method has no SDK method; left out")
                continue
            if not self.include_cors and is_cors_preflight(op):
                preflights.append(op.path)
                continue
            operations.extend(body_variants(self.operation(op)))
        if preflights:
            self.notes.append(f"{len(preflights)} CORS preflight operation{'s' if len(preflights) > 1 else ''} "
                              "(OPTIONS with a mock integration) left out; --include-cors keeps them")
        derive_discriminator_tags(self.models)
        used = {s.key for op in operations for alt in op.auth for s in alt}
        return SdkApi(
            title=spec_text(info.get("title") or "API"), version=spec_text(info.get("version") or "0.0.0"),
            description=spec_text(info.get("description") or ""), servers=self.servers(),
            operations=operations, models=self.models,
            auth_schemes=[s for k, s in self.schemes.items() if k in used], notes=self.notes,
        )

    def servers(self) -> list[Server]:
        data = self.api.data
        if self.swagger:
            host = data.get("host")
            if not isinstance(host, str) or not host:
                return []
            schemes = data.get("schemes") if isinstance(data.get("schemes"), list) else ["https"]
            scheme = "https" if "https" in schemes or not schemes else str(schemes[0])
            base = data.get("basePath") if isinstance(data.get("basePath"), str) else ""
            return [Server(spec_text(f"{scheme}://{host}{base}".rstrip("/")), SpecText(""))]
        out = []
        for server in as_list(data.get("servers")):
            if not isinstance(server, dict) or not isinstance(server.get("url"), str):
                continue
            variables = {}
            for name, var in as_mapping(server.get("variables")).items():
                if isinstance(var, dict) and "default" in var:
                    variables[str(name)] = spec_text(var["default"])
            out.append(Server(spec_text(server["url"]), spec_text(server.get("description")), variables))
        return out

    # -- schemas --------------------------------------------------------------------------------------------------
    def type_of(self, doc: Document, ptr: tuple, node: Any, hint: list[str]) -> TypeRef:
        if isinstance(node, dict) and "$ref" in node:
            tdoc, tptr, target = self.api.deref(doc, node, ptr)
            if isinstance(target, dict) and "$ref" in target or target is None:
                self.notes.append(f"{format_pointer(ptr)}: unresolved $ref {node.get('$ref')!s}; typed as any")
                return ANY
            named = len(tptr) == len(self.schemas_pointer) + 1 and tptr[:-1] == self.schemas_pointer
            return self.type_of(tdoc, tptr, target, [str(tptr[-1])] if named or tptr else hint)
        if node is True or node == {} or not isinstance(node, dict):
            return ANY
        key = f"{doc.display}#{format_pointer(ptr)}"
        if key in self.memo:
            return self.memo[key]
        named = len(ptr) == len(self.schemas_pointer) + 1 and ptr[:-1] == self.schemas_pointer and \
            doc is self.api.document
        if self.depth >= MAX_SCHEMA_DEPTH:
            raise too_deep(doc, ptr, "the SDK model")
        self.depth += 1
        try:
            result = self._classify(doc, ptr, node, hint, key, named)
        finally:
            self.depth -= 1
        self.memo[key] = result
        return result

    def _nullable(self, node: dict) -> bool:
        t = node.get("type")
        return node.get("nullable") is True or node.get("x-nullable") is True or \
            (isinstance(t, list) and "null" in t)

    def _new_model(self, key: str, hint: list[str], kind: str, ptr: tuple, named: bool, node: dict) -> Model:
        model = Model(key=key, raw_name=" ".join(hint), kind=kind, origin=spec_text(format_pointer(ptr)), named=named,
                      description=spec_text(node.get("description") or node.get("title") or ""),
                      deprecated=node.get("deprecated") is True)
        self.models.append(model)
        return model

    def _classify(self, doc: Document, ptr: tuple, node: dict, hint: list[str], key: str, named: bool) -> TypeRef:
        nullable = self._nullable(node)
        types = node.get("type")
        if isinstance(types, list):
            non_null = [t for t in types if t != "null"]
            types = non_null[0] if len(non_null) == 1 else (non_null or None)
        if "const" in node and "enum" not in node:
            node = {**node, "enum": [node["const"]]}
        if isinstance(node.get("enum"), list):
            return self._enum(doc, ptr, node, hint, key, named, types, nullable)
        for combiner in ("oneOf", "anyOf"):
            parts = node.get(combiner)
            if isinstance(parts, list) and parts and not node.get("properties"):
                return self._union(doc, ptr, node, combiner, parts, hint, key, named, nullable)
        all_of = node.get("allOf")
        if isinstance(all_of, list) and all_of:
            if len(all_of) == 1 and not node.get("properties"):
                inner = self.type_of(doc, ptr + ("allOf", 0), all_of[0], hint)
                return inner.with_nullable(nullable)
            return self._object(doc, ptr, node, hint, key, named, nullable)
        if isinstance(types, list):
            fake = {"oneOf": [{"type": t} for t in types]}
            return self._union(doc, ptr, fake, "anyOf", fake["oneOf"], hint, key, named, nullable)
        if types == "array" or (types is None and "items" in node):
            items = node.get("items")
            item_type = self.type_of(doc, ptr + ("items",), items, hint + ["item"]) if isinstance(items, dict) else ANY
            return TypeRef("array", items=item_type, nullable=nullable)
        if types == "object" or (types is None and ("properties" in node or "additionalProperties" in node)):
            if isinstance(node.get("properties"), dict) and node["properties"]:
                return self._object(doc, ptr, node, hint, key, named, nullable)
            extra = node.get("additionalProperties")
            values = self.type_of(doc, ptr + ("additionalProperties",), extra, hint + ["value"]) \
                if isinstance(extra, dict) else ANY
            return TypeRef("map", values=values, nullable=nullable)
        fmt = node.get("format") if isinstance(node.get("format"), str) else None
        if types == "string":
            kind = {"date": "date", "date-time": "datetime", "binary": "binary"}.get(fmt or "", "string")
            if kind == "string" and _raw_content(node):
                kind = "binary"
            return TypeRef(kind, format=spec_text(fmt) if fmt else None, nullable=nullable)
        if types == "file":
            return TypeRef("binary", nullable=nullable)
        if types in ("integer", "number", "boolean", "null"):
            return TypeRef(types, format=spec_text(fmt) if fmt else None, nullable=nullable or types == "null")
        return TypeRef("any", nullable=nullable)

    def _enum(self, doc, ptr, node, hint, key, named, types, nullable) -> TypeRef:
        raw = node["enum"]
        nullable = nullable or None in raw
        kinds = {"string": str, "integer": int, "number": (int, float), "boolean": bool}
        value_type = types if isinstance(types, str) and types in kinds else None
        if value_type is None:
            present = {type(v) for v in raw if v is not None}
            value_type = "string" if present <= {str} else "integer" if present <= {int} else \
                "boolean" if present <= {bool} else "number" if present <= {int, float} else "mixed"
        if value_type == "mixed" or not [v for v in raw if v is not None]:
            return TypeRef("any", nullable=True) if not [v for v in raw if v is not None] else ANY
        values, seen = [], set()
        for v in raw:
            ok = isinstance(v, kinds[value_type]) and not (isinstance(v, bool) and value_type != "boolean") and \
                not (isinstance(v, float) and not math.isfinite(v))
            if ok and (type(v), v) not in seen:
                seen.add((type(v), v))
                values.append(EnumValue(spec_text(v) if isinstance(v, str) else v))
        if not values:
            return ANY
        model = self._new_model(key, hint, "enum", ptr, named, node)
        model.values, model.value_type = values, value_type
        ref = TypeRef("model", model=model, nullable=nullable)
        self.memo[key] = ref
        return ref

    def _union(self, doc, ptr, node, combiner, parts, hint, key, named, nullable) -> TypeRef:
        variants_nodes = []
        for i, part in enumerate(parts):
            _, _, resolved = self.api.deref(doc, part, ptr + (combiner, i))
            if isinstance(resolved, dict) and resolved.get("type") == "null":
                nullable = True
                continue
            variants_nodes.append((i, part))
        if not variants_nodes:
            return TypeRef("null", nullable=True)
        if len(variants_nodes) == 1:
            i, part = variants_nodes[0]
            return self.type_of(doc, ptr + (combiner, i), part, hint).with_nullable(nullable)
        model = self._new_model(key, hint, "union", ptr, named, node)
        model.union_kind = combiner
        ref = TypeRef("model", model=model, nullable=nullable)
        self.memo[key] = ref
        variants: list[TypeRef] = []
        for n, (i, part) in enumerate(variants_nodes):
            t = self.type_of(doc, ptr + (combiner, i), part, hint + [f"option{n + 1}"])
            if not any(_same_type(t, v) for v in variants):
                variants.append(t)
        model.variants = variants
        disc = node.get("discriminator")
        if isinstance(disc, dict) and isinstance(disc.get("propertyName"), str):
            model.discriminator = self._discriminator(doc, ptr, disc, variants)
        return ref

    def _discriminator(self, doc, ptr, disc: dict, variants: list[TypeRef]) -> Discriminator:
        """The spec's explicit mapping; :func:`derive_discriminator_tags` adds the implicit tags once every model
        is complete (a variant's properties may still be in the making here, in a cycle)."""
        result = Discriminator(spec_text(disc["propertyName"]))
        mapping = disc.get("mapping") if isinstance(disc.get("mapping"), dict) else {}
        for value, target in mapping.items():
            if isinstance(target, str):
                ref = target if target.startswith("#") or "/" in target else \
                    "#" + format_pointer(self.schemas_pointer + (target,))
                t = self.type_of(doc, ptr + ("discriminator", "mapping", value), {"$ref": ref}, [str(value)])
                if t.model is not None:
                    result.explicit.append((spec_text(value), t))
        return result

    def _object(self, doc, ptr, node, hint, key, named, nullable) -> TypeRef:
        model = self._new_model(key, hint, "object", ptr, named, node)
        ref = TypeRef("model", model=model, nullable=nullable)
        self.memo[key] = ref
        props: dict[str, Property] = {}
        for i, part in enumerate(as_list(node.get("allOf"))):
            pdoc, pptr, resolved = self.api.deref(doc, part, ptr + ("allOf", i))
            if isinstance(part, dict) and "$ref" not in part and isinstance(resolved, dict) and \
                    not any(k in resolved for k in ("allOf", "oneOf", "anyOf", "enum")):
                self._properties(pdoc, pptr, resolved, hint, props, model)
                continue
            t = self.type_of(doc, ptr + ("allOf", i), part, hint + [f"part{i + 1}"])
            if t.model is not None:
                model.bases.append(t)
        self._properties(doc, ptr, node, hint, props, model)
        model.properties = list(props.values())
        return ref

    def _properties(self, doc, ptr, node: dict, hint, props: dict[str, Property], model: Model) -> None:
        required = set(r for r in as_list(node.get("required")) if isinstance(r, str))
        properties = node.get("properties") if isinstance(node.get("properties"), dict) else {}
        for name, sub in properties.items():
            name = str(name)
            t = self.type_of(doc, ptr + ("properties", name), sub, hint + [name])
            _, _, resolved = self.api.deref(doc, sub, ptr + ("properties", name))
            resolved = resolved if isinstance(resolved, dict) else {}
            props[name] = Property(
                wire_name=spec_text(name), type=t, required=name in required,
                description=spec_text(resolved.get("description") or ""),
                default=_valid_default(resolved.get("default"), t),
                read_only=resolved.get("readOnly") is True, write_only=resolved.get("writeOnly") is True,
                deprecated=resolved.get("deprecated") is True)
        for name in required:
            if name in props:
                props[name].required = True
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            model.additional = self.type_of(doc, ptr + ("additionalProperties",), extra, hint + ["value"])
        elif extra is True:
            model.additional = ANY

    # -- operations -----------------------------------------------------------------------------------------------
    def operation(self, op) -> Operation:
        node = op.node
        raw_name = op.operation_id or " ".join([*re.findall(r"[A-Za-z0-9]+", op.path), op.method])
        hint = [raw_name]
        params: list[Param] = []
        body: RequestBody | None = None
        form_fields = []
        for p in op.parameters:
            if p.location == "body":
                body = self.swagger_body(op, p, hint)
                continue
            if p.location == "formData":
                form_fields.append(p)
                continue
            if p.location not in ("path", "query", "header", "cookie"):
                continue
            if p.location == "header" and p.name.lower() in SKIPPED_HEADERS:
                continue
            params.append(self.param(op, p, hint))
        if form_fields:
            body = self.swagger_form(op, form_fields, hint)
        if not self.swagger and isinstance(node.get("requestBody"), dict):
            bdoc, bptr, bnode = self.api.deref(op.document, node["requestBody"], op.pointer + ("requestBody",))
            if isinstance(bnode, dict):
                contents = self.contents(bdoc, bptr, bnode, hint + ["request"])
                if contents:
                    body = RequestBody(bnode.get("required") is True, spec_text(bnode.get("description")), contents)
        order = re.findall(r"\{([^{}]+)\}", op.path)
        params.sort(key=lambda p: (("path", "query", "header", "cookie").index(p.location),
                                   order.index(p.wire_name) if p.location == "path" and p.wire_name in order else 0,
                                   not p.required))
        tags = [spec_text(t) for t in as_list(node.get("tags")) if isinstance(t, str)]
        return Operation(
            key=f"{op.http_method} {op.path}", raw_name=raw_name,
            operation_id=spec_text(op.operation_id) if op.operation_id else None, method=op.http_method,
            path=spec_text(op.path), summary=spec_text(node.get("summary")),
            description=spec_text(node.get("description")), tags=tags, params=params, body=body,
            responses=self.responses(op, hint), auth=self.security(op), deprecated=node.get("deprecated") is True)

    def param(self, op, p, hint) -> Param:
        node = p.node
        ptr = p.pointer if self.swagger else p.pointer + ("schema",)
        t = self.type_of(p.document, ptr, p.schema, hint + [p.name]) if p.schema is not None else TypeRef("string")
        schema = p.schema if isinstance(p.schema, dict) else {}
        _, _, resolved = self.api.deref(p.document, schema, ptr)
        resolved = resolved if isinstance(resolved, dict) else {}
        if self.swagger:
            fmt = node.get("collectionFormat", "csv")
            style = {"ssv": "spaceDelimited", "pipes": "pipeDelimited"}.get(fmt, "form" if p.location == "query"
                                                                          else "simple")
            explode = fmt == "multi"
        else:
            style = node.get("style") or ("form" if p.location in ("query", "cookie") else "simple")
            explode = node.get("explode", style == "form") is True
        return Param(spec_text(p.name), p.location, p.required, t, spec_text(node.get("description")),
                     default=_valid_default(resolved.get("default"), t), style=str(style), explode=explode,
                     deprecated=node.get("deprecated") is True)

    def _consumes(self, op, key: str) -> list[str]:
        value = op.node.get(key, self.api.data.get(key))
        return [str(v) for v in value] if isinstance(value, list) and value else ["application/json"]

    def swagger_body(self, op, p, hint) -> RequestBody | None:
        if not isinstance(p.schema, dict):
            return None
        t = self.type_of(p.document, p.pointer + ("schema",), p.schema, hint + ["request"])
        contents = [Content(spec_text(m), _media_kind(m, p.schema), t if _media_kind(m, p.schema) == "json"
                            else TypeRef("binary")) for m in self._consumes(op, "consumes")]
        return RequestBody(p.required, spec_text(p.node.get("description")), contents)

    def swagger_form(self, op, fields, hint) -> RequestBody:
        key = f"{op.document.display}#{format_pointer(op.pointer)}/formData"
        model = self._new_model(key, hint + ["form"], "object", op.pointer, False, {})
        encoding: dict[str, Encoding] = {}
        for f in fields:
            t = self.type_of(f.document, f.pointer, f.node, hint + [f.name])
            model.properties.append(Property(spec_text(f.name), t, f.required, spec_text(f.node.get("description"))))
            if f.node.get("type") == "array":  # collectionFormat: csv (the default), ssv, tsv, pipes or multi
                fmt = f.node.get("collectionFormat", "csv")
                encoding[str(f.name)] = Encoding(None, {"ssv": "spaceDelimited", "pipes": "pipeDelimited"}.get(
                    fmt, "form"), fmt == "multi")
        consumes = self._consumes(op, "consumes")
        media = next((m for m in consumes if m.startswith("multipart/")), None) or \
            ("multipart/form-data" if any(f.node.get("type") == "file" for f in fields)
             else "application/x-www-form-urlencoded")
        return RequestBody(True, SpecText(""), [Content(spec_text(media), _media_kind(media, None),
                                                        TypeRef("model", model=model), encoding)])

    def contents(self, doc, ptr, owner: dict, hint) -> list[Content]:
        out = []
        content = owner.get("content")
        if not isinstance(content, dict):
            return out
        for media, mt in content.items():
            media = str(media)
            schema = mt.get("schema") if isinstance(mt, dict) else None
            kind = _media_kind(media, schema)
            if kind in ("json", "form", "multipart"):
                t = self.type_of(doc, ptr + ("content", media, "schema"), schema, hint) if schema is not None else ANY
            elif kind == "text":
                t = TypeRef("string")
            else:
                t = TypeRef("binary")
            encoding = self.encoding(mt.get("encoding")) if isinstance(mt, dict) and kind in ("form", "multipart") \
                else {}
            out.append(Content(spec_text(media), kind, t, encoding))
        return out

    @staticmethod
    def encoding(node: Any) -> dict[str, Encoding]:
        """The Encoding Objects of a form or multipart media type, by property name."""
        out: dict[str, Encoding] = {}
        if not isinstance(node, dict):
            return out
        for name, enc in node.items():
            if not isinstance(enc, dict):
                continue
            style = enc.get("style") if enc.get("style") in ("form", "spaceDelimited", "pipeDelimited",
                                                              "deepObject") else "form"
            explode = enc.get("explode", style == "form") is True
            content_type = enc.get("contentType")
            first = str(content_type).split(",")[0].strip() if isinstance(content_type, str) else ""
            out[str(name)] = Encoding(spec_text(first) if first else None, str(style), explode)
        return out

    def responses(self, op, hint) -> list[Response]:
        out = []
        responses = op.node.get("responses")
        if not isinstance(responses, dict):
            return out
        for status, resp in responses.items():
            rdoc, rptr, rnode = self.api.deref(op.document, resp, op.pointer + ("responses", status))
            if not isinstance(rnode, dict):
                continue
            status = str(status)
            rhint = hint + (["response"] if status.startswith("2") else [status])
            if self.swagger:
                contents = []
                if isinstance(rnode.get("schema"), dict):
                    schema = rnode["schema"]
                    for media in self._consumes(op, "produces")[:1]:
                        kind = _media_kind(media, schema)
                        t = self.type_of(rdoc, rptr + ("schema",), schema, rhint) if kind == "json" else \
                            TypeRef("string" if kind == "text" else "binary")
                        contents.append(Content(spec_text(media), kind, t))
            else:
                contents = self.contents(rdoc, rptr, rnode, rhint)
            headers = []
            for hname, h in as_mapping(rnode.get("headers")).items():
                hdoc, hptr, hnode = self.api.deref(rdoc, h, rptr + ("headers", hname))
                if isinstance(hnode, dict):
                    schema = hnode if self.swagger else hnode.get("schema")
                    hp = hptr if self.swagger else hptr + ("schema",)
                    t = self.type_of(hdoc, hp, schema, rhint + [str(hname)]) if isinstance(schema, dict) else ANY
                    headers.append(Header(spec_text(hname), t, spec_text(hnode.get("description"))))
            out.append(Response(spec_text(status), spec_text(rnode.get("description")), contents, headers))
        out.sort(key=lambda r: (r.status == "default", r.status))
        return out

    # -- auth -----------------------------------------------------------------------------------------------------
    def auth_scheme(self, name: str, node: dict) -> AuthScheme:
        kind_of_type = str(node.get("type", "")).lower()
        authtype = str(node.get(AUTHTYPE, "")).lower()
        authorizer = node.get("x-amazon-apigateway-authorizer")
        authorizer = authorizer if isinstance(authorizer, dict) else {}
        desc = spec_text(node.get("description"))
        header = spec_text(node.get("name") or "Authorization")
        if authtype.startswith("aws"):
            return AuthScheme(spec_text(name), "sigv4", description=desc)
        if kind_of_type == "http" and str(node.get("scheme", "")).lower() == "basic" or kind_of_type == "basic":
            return AuthScheme(spec_text(name), "basic", description=desc)
        if kind_of_type in ("http", "oauth2", "openidconnect"):
            return AuthScheme(spec_text(name), "bearer", prefix=SpecText("Bearer "), description=desc)
        if authtype == "cognito_user_pools" or str(authorizer.get("type", "")).lower() in ("cognito_user_pools",
                                                                                           "token", "jwt"):
            return AuthScheme(spec_text(name), "bearer", param_name=header, description=desc)
        if str(authorizer.get("type", "")).lower() == "request":
            source = str(authorizer.get("identitySource", ""))
            headers = [spec_text(h.strip()[len("method.request.header."):]) for h in source.split(",")
                       if h.strip().lower().startswith("method.request.header.")]
            return AuthScheme(spec_text(name), "request_authorizer", identity_headers=headers, description=desc)
        location = str(node.get("in", "header"))
        return AuthScheme(spec_text(name), "api_key", location=location if location in ("header", "query", "cookie")
                          else "header", param_name=header, description=desc)

    def security(self, op) -> list[list[AuthScheme]]:
        aws_auth = op.node.get("x-amazon-apigateway-auth")
        if isinstance(aws_auth, dict) and str(aws_auth.get("type", "")).upper() == "AWS_IAM":
            scheme = self.schemes.setdefault("x-amazon-apigateway-auth",
                                             AuthScheme(SpecText("x-amazon-apigateway-auth"), "sigv4"))
            return [[scheme]]
        requirements = op.node.get("security", self.api.data.get("security"))
        if not isinstance(requirements, list):
            return []
        out: list[list[AuthScheme]] = []
        for requirement in requirements:
            if not isinstance(requirement, dict):
                continue
            alternative = [self.schemes[k] for k in requirement if k in self.schemes]
            if alternative and alternative not in out:
                out.append(alternative)
        return out


def _same_type(a: TypeRef, b: TypeRef) -> bool:
    if a.kind != b.kind or a.model is not b.model:
        return False
    if a.kind == "array":
        return a.items is not None and b.items is not None and _same_type(a.items, b.items)
    if a.kind == "map":
        return a.values is not None and b.values is not None and _same_type(a.values, b.values)
    return True


def host_region(url: str) -> str | None:
    """The AWS region of an execute-api URL (``https://id.execute-api.eu-west-1.amazonaws.com/prod``)."""
    host = urlsplit(url).hostname or ""
    match = re.search(r"\.execute-api\.([a-z0-9-]+)\.amazonaws\.com", host)
    return match.group(1) if match else None
