"""The one typed model of an API: the only place that knows OpenAPI 2.0 vs 3.x and ``$ref``s.

Each model object keeps the document and JSON pointer it came from, so that anything reported
about it can be placed exactly. Building the model reads the already-parsed data; it never
re-reads a file.
"""
from __future__ import annotations

from typing import Any, Iterator

from ..source.document import Document
from ..source.intrinsics import branch_label, if_branches
from ..source.workspace import Workspace
from ..record import Record

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
ANY_METHOD = "x-amazon-apigateway-any-method"
INTEGRATION = "x-amazon-apigateway-integration"
AUTHORIZER = "x-amazon-apigateway-authorizer"
AUTHTYPE = "x-amazon-apigateway-authtype"
INTEGRATIONS = "x-amazon-apigateway-integrations"
EXTENSION_PREFIX = "x-amazon-apigateway-"

HTTP_ONLY_ROOT_EXTENSIONS = ("x-amazon-apigateway-cors", "x-amazon-apigateway-importexport-version")
# HTTP API exports write importexport-version; it is copied into REST definitions so often that it is the
# weakest hint: any REST-only evidence outweighs it
ROOT_HINT_WEIGHT = {"x-amazon-apigateway-importexport-version": 1}
REST_ONLY_ROOT_EXTENSIONS = (
    "x-amazon-apigateway-api-key-source", "x-amazon-apigateway-binary-media-types",
    "x-amazon-apigateway-documentation", "x-amazon-apigateway-gateway-responses",
    "x-amazon-apigateway-minimum-compression-size", "x-amazon-apigateway-policy",
    "x-amazon-apigateway-request-validators", "x-amazon-apigateway-request-validator",
    "x-amazon-apigateway-endpoint-access-mode", "x-amazon-apigateway-security-policy",
)


class Located(Record):
    """Something that sits at ``pointer`` in ``document``."""

    def __init__(self, document: Document, pointer: tuple) -> None:
        self.document = document
        self.pointer = pointer


class Parameter(Located):
    """An operation's parameter, path-level ones merged in and ``$ref``s followed."""

    def __init__(self, document: Document, pointer: tuple, name: str, location: str, required: bool, schema: Any,
                 node: dict) -> None:
        super().__init__(document, pointer)
        self.name = name
        self.location = location  # path | query | header | cookie | formData | body
        self.required = required
        self.schema = schema  # the schema node (OAS3 ``schema``; OAS2: the parameter itself, or ``schema`` for body)
        self.node = node

    @property
    def key(self) -> tuple[str, str]:
        loc = self.location
        return (loc, self.name.lower() if loc == "header" else self.name)


class Operation(Located):
    """One operation (path + method) with its parameters."""

    def __init__(self, document: Document, pointer: tuple, path: str, method: str, node: dict,
                 parameters: list[Parameter] | None = None, branch: tuple = ()) -> None:
        super().__init__(document, pointer)
        self.path = path
        self.method = method  # lower-case verb, or "any" for x-amazon-apigateway-any-method
        self.node = node
        self.parameters = [] if parameters is None else parameters
        self.branch = branch  # the Fn::If choices (source.intrinsics.Choice) the operation sits under, if any

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
        if self.branch:
            return f"{self.http_method} {self.path} ({branch_label(self.branch)})"
        return f"{self.http_method} {self.path}"

    @property
    def security(self) -> list | None:
        """The operation's own security requirements (None when it has none of its own)."""
        value = self.node.get("security")
        return value if isinstance(value, list) else None


class Integration(Located):
    """An ``x-amazon-apigateway-integration`` of an operation, or one entry of
    ``components.x-amazon-apigateway-integrations`` (then ``operation`` is None and ``operations`` lists the
    operations whose integration is a ``$ref`` to it). Each integration object is one Integration."""

    def __init__(self, document: Document, pointer: tuple, node: dict, operation: Operation | None = None,
                 name: str = "", operations: list[Operation] | None = None) -> None:
        super().__init__(document, pointer)
        self.node = node
        self.operation = operation
        self.name = name  # the key under components.x-amazon-apigateway-integrations
        self.operations = [] if operations is None else operations  # every operation that uses it

    @property
    def type(self) -> str:
        value = self.node.get("type")
        return value.lower() if isinstance(value, str) else ""

    @property
    def label(self) -> str:
        return self.operation.label if self.operation else f"integration '{self.name}'"


class SecurityScheme(Located):
    """A security scheme (OpenAPI 3 ``components/securitySchemes``, 2.0 ``securityDefinitions``)."""

    def __init__(self, document: Document, pointer: tuple, name: str, node: dict) -> None:
        super().__init__(document, pointer)
        self.name = name
        self.node = node

    @property
    def type(self) -> str | None:
        value = self.node.get("type")
        return value if isinstance(value, str) else None

    @property
    def authorizer(self) -> dict | None:
        value = self.node.get(AUTHORIZER)
        return value if isinstance(value, dict) else None


class Api(Record):
    """The API model lint rules read: operations, security schemes and the API type."""

    def __init__(self, workspace: Workspace, version: str) -> None:
        self.workspace = workspace
        self.version = version  # as written: "2.0", "3.0.3", "3.1.0"; "" when missing
        self.operations: list[Operation] = []
        self.webhooks: list[Operation] = []  # OpenAPI 3.1 ``webhooks``: path "webhook:<name>"
        self.security_schemes: dict[str, SecurityScheme] = {}
        self.api_type = "rest"  # rest | http
        self.api_type_reason = ""
        self.targets_gateway = False  # the spec is meant for API Gateway (its extensions, or --api-type/a template)

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

    def alternatives(self, document: Document, node: Any, pointer: tuple,
                     branch: tuple = ()) -> Iterator[tuple[Document, tuple, Any, tuple]]:
        """(document, pointer, node, Fn::If choices) for each value a node takes once CloudFormation has
        resolved it and API Gateway has followed its ``$ref``: each branch of an ``Fn::If`` (none for
        ``AWS::NoValue``), a ``$ref`` followed. A plain node is its own single value."""
        for ptr, value, choices in if_branches(node, pointer, branch):
            doc, ptr, value = self.deref(document, value, ptr)
            yield doc, ptr, value, choices

    def path_items(self, items: dict | None = None,
                   where: tuple = ("paths",)) -> Iterator[tuple[str, Document, tuple, dict, tuple]]:
        """(path, document, pointer, path item, Fn::If choices) for every path item (of ``paths``, or of another
        map of them such as ``webhooks``), through $refs and Fn::If."""
        for path, item in (self.paths if items is None else items).items():
            for doc, ptr, node, choices in self.alternatives(self.document, item, where + (path,)):
                if isinstance(node, dict):
                    yield str(path), doc, ptr, node, choices

    def integrations(self) -> list[Integration]:
        """Every integration object once: the reusable ones under components first (with the operations that
        $ref them), then each operation's own (each branch of an ``Fn::If`` one)."""
        out: list[Integration] = []
        by_place: dict[tuple[int, tuple], Integration] = {}
        components = self.data.get("components")
        shared = components.get(INTEGRATIONS) if isinstance(components, dict) else None
        if isinstance(shared, dict):
            for name, node in shared.items():
                if isinstance(node, dict):
                    integ = Integration(self.document, ("components", INTEGRATIONS, name), node, None, str(name))
                    by_place[(id(self.document), integ.pointer)] = integ
                    out.append(integ)
        for op in self.operations:
            raw = op.node.get(INTEGRATION)
            for doc, ptr, node, _ in self.alternatives(op.document, raw, op.pointer + (INTEGRATION,)):
                if not isinstance(node, dict) or "$ref" in node:
                    continue
                integ = by_place.get((id(doc), ptr))
                if integ is None:
                    integ = by_place[(id(doc), ptr)] = Integration(doc, ptr, node, op)
                    out.append(integ)
                integ.operations.append(op)
        return out

    def request_body_schemas(self, op: Operation) -> list[tuple[Document, tuple, Any]]:
        """(document, pointer, schema) of each request body schema of an operation (2.0: the body parameter)."""
        if self.is_swagger:
            return [(p.document, p.pointer + ("schema",), p.schema) for p in op.parameters
                    if p.location == "body" and p.schema is not None]
        body = op.node.get("requestBody")
        if body is None:
            return []
        doc, ptr, node = self.deref(op.document, body, op.pointer + ("requestBody",))
        content = node.get("content") if isinstance(node, dict) else None
        if not isinstance(content, dict):
            return []
        return [(doc, ptr + ("content", media, "schema"), media_node["schema"]) for media, media_node in content.items()
                if isinstance(media_node, dict) and "schema" in media_node]

    def walk_schemas(self, holders: set[int] | None = None) -> Iterator[tuple[Document, tuple, dict]]:
        """Every schema object written in the root document, once (refs not followed); with ``holders``, only
        those among them or owned by one (model.schemas.iter_schema_nodes)."""
        from .schemas import iter_schema_nodes

        yield from iter_schema_nodes(self, holders)


def build_api(workspace: Workspace, api_type: str | None = None, api_type_reason: str = "set by --api-type") -> Api:
    doc = workspace.root
    data = doc.data if isinstance(doc.data, dict) else {}
    raw_version = data.get("openapi", data.get("swagger", ""))
    version = str(raw_version) if isinstance(raw_version, (str, int, float)) else ""
    api = Api(workspace=workspace, version=version)
    _collect_security_schemes(api)
    _collect_operations(api)
    _collect_webhooks(api)
    if api_type:
        api.api_type, api.api_type_reason = api_type, api_type_reason
    else:
        api.api_type, api.api_type_reason = infer_api_type(api)
    api.targets_gateway = bool(api_type) or doc.base_pointer != () or any(
        EXTENSION_PREFIX in d.text for d in workspace.documents.values())
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
    api.operations.extend(_path_item_operations(api, api.paths, ("paths",), str))


def _collect_webhooks(api: Api) -> None:
    hooks = api.data.get("webhooks")
    if isinstance(hooks, dict):
        api.webhooks.extend(_path_item_operations(api, hooks, ("webhooks",), lambda name: f"webhook:{name}"))


def _path_item_operations(api: Api, items: dict, where: tuple, path_of) -> list[Operation]:
    out = []
    for path, item_doc, item_ptr, item_node, item_branch in api.path_items(items, where):
        path_params = _parameters(api, item_doc, item_ptr, item_node.get("parameters"))
        for method, raw in item_node.items():
            if method not in HTTP_METHODS and method != ANY_METHOD:
                continue
            for op_doc, op_ptr, op_node, branch in api.alternatives(item_doc, raw, item_ptr + (method,), item_branch):
                if not isinstance(op_node, dict):
                    continue
                own = _parameters(api, op_doc, op_ptr, op_node.get("parameters"))
                merged = {p.key: p for p in path_params}
                merged.update({p.key: p for p in own})
                out.append(Operation(
                    document=op_doc, pointer=op_ptr, path=path_of(path),
                    method="any" if method == ANY_METHOD else method, node=op_node,
                    parameters=list(merged.values()), branch=branch,
                ))
    return out


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
    """REST or HTTP API, from what only one of them accepts. Returns (type, reason).

    Every hint is weighed (a real spec may carry a stray extension of the other kind, as when an
    HTTP API's CORS block is pasted into a REST API): the side with more weight wins, REST on a tie.
    """
    if api.is_swagger:
        return "rest", "OpenAPI 2.0 can only be imported as a REST API"
    hints = api_type_hints(api)
    score = {"rest": 0, "http": 0}
    for kind, weight, _ in hints:
        score[kind] += weight
    if not hints:
        return "rest", "nothing HTTP-API specific found; REST is the default"
    kind = "http" if score["http"] > score["rest"] else "rest"
    reason = max(((w, -i, r) for i, (k, w, r) in enumerate(hints) if k == kind))[2]  # the strongest, first on a tie
    other = "http" if kind == "rest" else "rest"
    if score[other]:
        reason += f"; outweighs {sum(1 for k, _, _ in hints if k == other)} {other.upper()} hint(s)"
    return kind, reason


REST_ONLY_INTEGRATION_FIELDS = ("requestTemplates", "responses", "passthroughBehavior", "contentHandling",
                                "cacheKeyParameters", "cacheNamespace", "responseTransferMode", "integrationTarget",
                                "integration-target")
HTTP_ONLY_INTEGRATION_FIELDS = ("payloadFormatVersion", "integrationSubtype", "responseParameters")


def api_type_hints(api: Api) -> list[tuple[str, int, str]]:
    """(rest|http, weight, reason) for each distinct thing only one API type understands."""
    data = api.data
    hints: list[tuple[str, int, str]] = []
    for ext in HTTP_ONLY_ROOT_EXTENSIONS:
        if ext in data:
            hints.append(("http", ROOT_HINT_WEIGHT.get(ext, 2), f"root has {ext} (HTTP APIs only)"))
    components = data.get("components")
    if isinstance(components, dict) and INTEGRATIONS in components:
        hints.append(("http", 3, f"components has {INTEGRATIONS} (HTTP APIs only)"))
    for ext in REST_ONLY_ROOT_EXTENSIONS:
        if ext in data:
            hints.append(("rest", 2, f"root has {ext} (REST APIs only)"))
    if "/$default" in api.paths:
        hints.append(("http", 3, "path /$default is the HTTP API default route"))
    seen: set[str] = set()
    for op in api.operations:
        integration = op.integration or {}
        for field_name in HTTP_ONLY_INTEGRATION_FIELDS:
            if field_name in integration and field_name not in seen:
                seen.add(field_name)
                hints.append(("http", 3, f"{op.label} integration has {field_name} (HTTP APIs only)"))
        for field_name in REST_ONLY_INTEGRATION_FIELDS:
            if field_name in integration and field_name not in seen:
                seen.add(field_name)
                hints.append(("rest", 3, f"{op.label} integration has {field_name} (REST APIs only)"))
        kind = integration.get("type")
        if isinstance(kind, str) and kind.lower() in ("aws", "http", "mock") and "type" not in seen:
            seen.add("type")
            hints.append(("rest", 3, f"{op.label} integration has type {kind} (REST APIs only)"))
        if op.method == "any" and "isDefaultRoute" in op.node and "isDefaultRoute" not in seen:
            seen.add("isDefaultRoute")
            hints.append(("http", 3, f"{op.label} has isDefaultRoute (HTTP APIs only)"))
    for scheme in api.security_schemes.values():
        hints += _authorizer_hints(scheme)
    return hints


HTTP_ONLY_AUTHORIZER_FIELDS = ("authorizerPayloadFormatVersion", "enableSimpleResponses", "jwtConfiguration")
REST_ONLY_AUTHORIZER_FIELDS = ("identityValidationExpression", "providerARNs")


def _authorizer_hints(scheme: SecurityScheme) -> list[tuple[str, int, str]]:
    auth = scheme.authorizer or {}
    auth_type = str(auth.get("type", "")).lower()
    name = f"security scheme '{scheme.name}'"
    if auth_type == "jwt":
        return [("http", 3, f"{name} is a JWT authorizer (HTTP APIs only)")]
    if auth_type in ("token", "cognito_user_pools"):
        return [("rest", 3, f"{name} is a {auth_type} authorizer (REST APIs only)")]
    hints = [("http", 3, f"{name} authorizer has {f} (HTTP APIs only)") for f in HTTP_ONLY_AUTHORIZER_FIELDS if f in auth]
    hints += [("rest", 3, f"{name} authorizer has {f} (REST APIs only)") for f in REST_ONLY_AUTHORIZER_FIELDS if f in auth]
    source = auth.get("identitySource")
    first = source.split(",")[0].strip() if isinstance(source, str) else ""
    if first.startswith(("method.request.", "stageVariables.", "context.")):
        hints.append(("rest", 3, f"{name} reads identity source {first} (REST syntax)"))
    elif first.startswith(("$request.", "$context.", "$stageVariables.")):
        hints.append(("http", 3, f"{name} reads identity source {first} (HTTP API syntax)"))
    return hints
