"""The one typed model of an API: the only place that knows OpenAPI 2.0 vs 3.x and ``$ref``s.

Each model object keeps the document and JSON pointer it came from, so that anything reported
about it can be placed exactly. Building the model reads the already-parsed data; it never
re-reads a file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ..source.document import Document
from ..source.workspace import Workspace

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
ANY_METHOD = "x-amazon-apigateway-any-method"
INTEGRATION = "x-amazon-apigateway-integration"
AUTHORIZER = "x-amazon-apigateway-authorizer"
AUTHTYPE = "x-amazon-apigateway-authtype"

HTTP_ONLY_ROOT_EXTENSIONS = ("x-amazon-apigateway-cors", "x-amazon-apigateway-importexport-version")
REST_ONLY_ROOT_EXTENSIONS = (
    "x-amazon-apigateway-api-key-source", "x-amazon-apigateway-binary-media-types",
    "x-amazon-apigateway-documentation", "x-amazon-apigateway-gateway-responses",
    "x-amazon-apigateway-minimum-compression-size", "x-amazon-apigateway-policy",
    "x-amazon-apigateway-request-validators", "x-amazon-apigateway-request-validator",
    "x-amazon-apigateway-endpoint-access-mode", "x-amazon-apigateway-security-policy",
)


@dataclass(eq=False)
class Located:
    """Something that sits at ``pointer`` in ``document``."""

    document: Document
    pointer: tuple


@dataclass(eq=False)
class Parameter(Located):
    name: str
    location: str  # path | query | header | cookie | formData | body
    required: bool
    schema: Any  # the schema node (OAS3 ``schema``; OAS2: the parameter itself, or ``schema`` for body)
    node: dict

    @property
    def key(self) -> tuple[str, str]:
        loc = self.location
        return (loc, self.name.lower() if loc == "header" else self.name)


@dataclass(eq=False)
class Operation(Located):
    path: str
    method: str  # lower-case verb, or "any" for x-amazon-apigateway-any-method
    node: dict
    parameters: list[Parameter] = field(default_factory=list)

    @property
    def operation_id(self) -> str | None:
        value = self.node.get("operationId")
        return value if isinstance(value, str) else None

    @property
    def http_method(self) -> str:
        return "ANY" if self.method == "any" else self.method.upper()

    @property
    def integration(self) -> dict | None:
        value = self.node.get(INTEGRATION)
        return value if isinstance(value, dict) else None

    @property
    def label(self) -> str:
        return f"{self.http_method} {self.path}"


@dataclass(eq=False)
class SecurityScheme(Located):
    name: str
    node: dict

    @property
    def type(self) -> str | None:
        value = self.node.get("type")
        return value if isinstance(value, str) else None

    @property
    def authorizer(self) -> dict | None:
        value = self.node.get(AUTHORIZER)
        return value if isinstance(value, dict) else None


@dataclass(eq=False)
class Api:
    workspace: Workspace
    version: str  # as written: "2.0", "3.0.3", "3.1.0"; "" when missing
    operations: list[Operation] = field(default_factory=list)
    security_schemes: dict[str, SecurityScheme] = field(default_factory=dict)
    api_type: str = "rest"  # rest | http
    api_type_reason: str = ""

    @property
    def document(self) -> Document:
        return self.workspace.root

    @property
    def data(self) -> dict:
        return self.document.data if isinstance(self.document.data, dict) else {}

    @property
    def major(self) -> str:
        """'2.0', '3.0', '3.1' or '' (unknown)."""
        if self.version.startswith("2"):
            return "2.0"
        if self.version.startswith("3.0"):
            return "3.0"
        if self.version.startswith("3.1"):
            return "3.1"
        return ""

    @property
    def title(self) -> str:
        info = self.data.get("info")
        title = info.get("title") if isinstance(info, dict) else None
        return title if isinstance(title, str) else ""

    def root_extension(self, name: str) -> Any:
        """The value of a root-level ``x-amazon-apigateway-*`` extension (None when absent)."""
        return self.data.get(name)

    @property
    def is_swagger(self) -> bool:
        return self.major == "2.0"

    @property
    def paths(self) -> dict:
        value = self.data.get("paths")
        return value if isinstance(value, dict) else {}

    @property
    def schemas_pointer(self) -> tuple:
        return ("definitions",) if self.is_swagger else ("components", "schemas")

    @property
    def security_schemes_pointer(self) -> tuple:
        return ("securityDefinitions",) if self.is_swagger else ("components", "securitySchemes")

    def schemas(self) -> dict:
        value = self.document.get(self.schemas_pointer, {})
        return value if isinstance(value, dict) else {}

    def deref(self, document: Document, node: Any, pointer: tuple) -> tuple[Document, tuple, Any]:
        return self.workspace.deref(document, node, pointer)

    def walk_schemas(self) -> Iterator[tuple[Document, tuple, dict]]:
        """Every schema object written in any document of the spec, once (refs not followed)."""
        from .schemas import iter_schema_nodes

        yield from iter_schema_nodes(self)


def build_api(workspace: Workspace, api_type: str | None = None) -> Api:
    doc = workspace.root
    data = doc.data if isinstance(doc.data, dict) else {}
    raw_version = data.get("openapi", data.get("swagger", ""))
    version = str(raw_version) if isinstance(raw_version, (str, int, float)) else ""
    api = Api(workspace=workspace, version=version)
    _collect_security_schemes(api)
    _collect_operations(api)
    if api_type:
        api.api_type, api.api_type_reason = api_type, "set by --api-type"
    else:
        api.api_type, api.api_type_reason = infer_api_type(api)
    return api


def _collect_security_schemes(api: Api) -> None:
    pointer = api.security_schemes_pointer
    schemes = api.document.get(pointer, {})
    if not isinstance(schemes, dict):
        return
    for name, node in schemes.items():
        doc, ptr, resolved = api.deref(api.document, node, pointer + (name,))
        if isinstance(resolved, dict):
            api.security_schemes[name] = SecurityScheme(doc, ptr, name, resolved)


def _collect_operations(api: Api) -> None:
    doc = api.document
    for path, item in api.paths.items():
        item_doc, item_ptr, item_node = api.deref(doc, item, ("paths", path))
        if not isinstance(item_node, dict):
            continue
        path_params = _parameters(api, item_doc, item_ptr, item_node.get("parameters"))
        for method, op_node in item_node.items():
            if method not in HTTP_METHODS and method != ANY_METHOD:
                continue
            op_doc, op_ptr, op_node = api.deref(item_doc, op_node, item_ptr + (method,))
            if not isinstance(op_node, dict):
                continue
            own = _parameters(api, op_doc, op_ptr, op_node.get("parameters"))
            merged = {p.key: p for p in path_params}
            merged.update({p.key: p for p in own})
            api.operations.append(Operation(
                document=op_doc, pointer=op_ptr, path=str(path),
                method="any" if method == ANY_METHOD else method, node=op_node,
                parameters=list(merged.values()),
            ))


def _parameters(api: Api, doc: Document, owner_ptr: tuple, nodes: Any) -> list[Parameter]:
    if not isinstance(nodes, list):
        return []
    out = []
    for i, node in enumerate(nodes):
        p_doc, p_ptr, p_node = api.deref(doc, node, owner_ptr + ("parameters", i))
        if not isinstance(p_node, dict):
            continue
        name, loc = p_node.get("name"), p_node.get("in")
        if not isinstance(name, str) or not isinstance(loc, str):
            continue
        if api.is_swagger:
            schema = p_node.get("schema") if loc == "body" else p_node
        else:
            schema = p_node.get("schema")
            if schema is None and isinstance(p_node.get("content"), dict):
                first = next(iter(p_node["content"].values()), None)
                schema = first.get("schema") if isinstance(first, dict) else None
        out.append(Parameter(p_doc, p_ptr, name, loc, bool(p_node.get("required", loc == "path")), schema, p_node))
    return out


def infer_api_type(api: Api) -> tuple[str, str]:
    """REST or HTTP API, from what only one of them accepts. Returns (type, reason)."""
    data = api.data
    if api.is_swagger:
        return "rest", "OpenAPI 2.0 can only be imported as a REST API"
    for ext in HTTP_ONLY_ROOT_EXTENSIONS:
        if ext in data:
            return "http", f"root has {ext} (HTTP APIs only)"
    components = data.get("components")
    if isinstance(components, dict) and "x-amazon-apigateway-integrations" in components:
        return "http", "components has x-amazon-apigateway-integrations (HTTP APIs only)"
    for ext in REST_ONLY_ROOT_EXTENSIONS:
        if ext in data:
            return "rest", f"root has {ext} (REST APIs only)"
    for op in api.operations:
        integration = op.integration
        if integration and "payloadFormatVersion" in integration:
            return "http", f"{op.label} integration has payloadFormatVersion (HTTP APIs only)"
        if integration and any(k in integration for k in ("requestTemplates", "responses", "passthroughBehavior")):
            return "rest", f"{op.label} integration uses mapping templates/responses (REST APIs only)"
    for scheme in api.security_schemes.values():
        auth = scheme.authorizer or {}
        if str(auth.get("type", "")).lower() == "jwt":
            return "http", f"security scheme '{scheme.name}' is a JWT authorizer (HTTP APIs only)"
        if str(auth.get("type", "")).lower() in ("token", "cognito_user_pools"):
            return "rest", f"security scheme '{scheme.name}' is a {auth['type']} authorizer (REST APIs only)"
    return "rest", "nothing HTTP-API specific found; REST is the default"
