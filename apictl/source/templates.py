"""Find OpenAPI documents embedded in (or named by) CloudFormation and SAM templates.

``AWS::Serverless::Api`` / ``AWS::Serverless::HttpApi`` carry them in ``Properties.DefinitionBody``,
``AWS::ApiGateway::RestApi`` and ``AWS::ApiGatewayV2::Api`` in ``Properties.Body``. Each one is linted
in place: its pointers are relative to the body, its positions are positions in the template.

CloudFormation resolves intrinsics before API Gateway sees the body, and so do we where the template says
which document it is:

- a body under ``Fn::If`` is each of its branches (``AWS::NoValue`` is none); every branch is linted and
  named in the findings;
- SAM ``DefinitionUri`` with a local path, and ``Fn::Transform`` ``AWS::Include`` with a local
  ``Location``, name a file relative to the template: that file is linted, with positions in it.

S3 locations (``s3://``, ``{Bucket, Key}``, ``BodyS3Location``) are not ours to read and are skipped.
The stages the template declares for each API (SAM ``Variables``/``StageVariables``, ``AWS::ApiGateway::Stage``,
``AWS::ApiGatewayV2::Stage``, a ``Deployment`` with a ``StageName``) come with it, for the stage-variable rule.
"""
from __future__ import annotations

from typing import Any, Iterator

from ..record import Value
from .document import Document
from .intrinsics import branch_label, if_branches, is_intrinsic

BODY_PROPERTY = {
    "AWS::Serverless::Api": "DefinitionBody",
    "AWS::Serverless::HttpApi": "DefinitionBody",
    "AWS::ApiGateway::RestApi": "Body",
    "AWS::ApiGatewayV2::Api": "Body",
}
URI_PROPERTY = {"AWS::Serverless::Api": "DefinitionUri", "AWS::Serverless::HttpApi": "DefinitionUri"}
HTTP_TYPES = {"AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api"}


class EmbeddedApi(Value):
    """An API found in a SAM/CloudFormation template: inline body or a local file."""

    _fields = ("logical_id", "resource_type", "pointer", "branch", "location", "stages", "template", "event_routes")

    def __init__(self, logical_id: str, resource_type: str, pointer: tuple, branch: str = "", location: str = "",
                 stages: dict[str, set[str]] | None = None, template: str = "",
                 event_routes: set[tuple[str, str]] | None = None):
        self.logical_id = logical_id
        self.resource_type = resource_type
        self.pointer = pointer  # of the body inside the template; for a file it names: of the path string
        self.branch = branch  # which Fn::If branch(es) the body is, e.g. "Fn::If IsProd: true branch"
        self.location = location  # a local file named by DefinitionUri or AWS::Include (relative to the template)
        self.stages = {} if stages is None else stages  # stage (as the template names it) -> variable names
        self.template = template  # the template's display name, for an API in a file of its own
        # (path, lower-case method or "any") of the SAM function and state machine `Api` events on this API: SAM
        # adds their x-amazon-apigateway-integration to the definition
        self.event_routes = set() if event_routes is None else event_routes

    @property
    def api_type(self) -> str:
        return "http" if self.resource_type in HTTP_TYPES else "rest"

    @property
    def label(self) -> str:
        return f"{self.logical_id}, {self.branch}" if self.branch else self.logical_id


def is_template(data: object) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("Resources"), dict)
        and not ("openapi" in data or "swagger" in data)
    )


def find_embedded_apis(data: dict) -> list[EmbeddedApi]:
    found = []
    resources = data.get("Resources", {})
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict):
            continue
        rtype = resource.get("Type")
        props = resource.get("Properties")
        if not isinstance(rtype, str) or rtype not in BODY_PROPERTY or not isinstance(props, dict):
            continue
        base = ("Resources", logical_id, "Properties")
        apis = []
        prop = BODY_PROPERTY[rtype]
        if prop in props:
            for pointer, branch, node in _branches(props[prop], base + (prop,)):
                location = _include_location(node)
                if location is not None:
                    path_pointer = pointer + ("Fn::Transform", "Parameters", "Location")
                    apis.append(EmbeddedApi(str(logical_id), rtype, path_pointer, branch, location))
                elif isinstance(node, dict) and ("openapi" in node or "swagger" in node or "paths" in node):
                    apis.append(EmbeddedApi(str(logical_id), rtype, pointer, branch))
        uri_prop = URI_PROPERTY.get(rtype)
        if uri_prop and uri_prop in props:
            for pointer, branch, node in _branches(props[uri_prop], base + (uri_prop,)):
                if isinstance(node, str) and _is_local(node):
                    apis.append(EmbeddedApi(str(logical_id), rtype, pointer, branch, node))
        if apis:
            stages = template_stages(data, str(logical_id))
            routes = sam_event_routes(data, str(logical_id)) if rtype in _SAM_STAGE else set()
            for api in apis:
                api.stages, api.event_routes = stages, routes
        found += apis
    return found


def _branches(node: Any, pointer: tuple) -> Iterator[tuple[tuple, str, Any]]:
    for branch_pointer, value, choices in if_branches(node, pointer):
        yield branch_pointer, branch_label(choices), value


def _include_location(node: Any) -> str | None:
    """The local file of ``{"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": ...}}}``."""
    if not (is_intrinsic(node) and "Fn::Transform" in node):
        return None
    transform = node["Fn::Transform"]
    if not isinstance(transform, dict) or transform.get("Name") != "AWS::Include":
        return None
    params = transform.get("Parameters")
    location = params.get("Location") if isinstance(params, dict) else None
    return location if isinstance(location, str) and _is_local(location) else None


def _is_local(path: str) -> bool:
    return bool(path.strip()) and "://" not in path


def embedded_document(template: Document, api: EmbeddedApi) -> Document:
    """A view of the body as a document of its own, sharing the template's text and positions."""
    n = len(api.pointer)
    inside = api.pointer
    view = Document(
        path=template.path,
        display=template.display,
        text=template.text,
        data=template.get(api.pointer),
        kind=template.kind,
        refs=[(p[n:], ref) for p, ref in template.refs if p[:n] == inside],
        extensions=[(p[n:], key) for p, key in template.extensions if p[:n] == inside],
        value_sites=[p[n:] for p in template.value_sites if p[:n] == inside],
        base_pointer=api.pointer,
        raw=template.raw,
        on_disk=template.on_disk,
    )
    view._positions = template._positions
    return view


# -- stages ------------------------------------------------------------------------------------------------

_SAM_STAGE = {"AWS::Serverless::Api": ("Api", "Variables"), "AWS::Serverless::HttpApi": ("HttpApi", "StageVariables")}
_STAGE_RESOURCES = {  # type -> (property naming the API, property with the variables)
    "AWS::ApiGateway::Stage": ("RestApiId", ("Variables",)),
    "AWS::ApiGateway::Deployment": ("RestApiId", ("StageDescription", "Variables")),
    "AWS::ApiGatewayV2::Stage": ("ApiId", ("StageVariables",)),
}


def resource_type(resource: Any) -> str | None:
    """The ``Type`` of a template resource when it is a name; None for anything else (a mapping or a list there
    cannot be looked up in a table: it is not hashable)."""
    rtype = resource.get("Type") if isinstance(resource, dict) else None
    return rtype if isinstance(rtype, str) else None


def template_stages(data: dict, logical_id: str) -> dict[str, set[str]]:
    """The stages the template declares for the API ``logical_id``, each with the names of its stage
    variables. A stage whose variables are an intrinsic (unknown until deployment) is left out."""
    resources = data.get("Resources", {})
    out: dict[str, set[str]] = {}
    api = resources.get(logical_id, {})
    sam = _SAM_STAGE.get(resource_type(api))
    props = api.get("Properties") if isinstance(api.get("Properties"), dict) else {}
    if sam:
        section, key = sam
        globals_ = data.get("Globals", {}).get(section) if isinstance(data.get("Globals"), dict) else None
        variables = props.get(key, globals_.get(key) if isinstance(globals_, dict) else None)
        default = "$default" if section == "HttpApi" else "(no StageName)"
        name = props.get("StageName", default)
        names = _variable_names(variables)
        if names is not None:
            out[f"{name if isinstance(name, str) else logical_id} ({logical_id})"] = names
    for stage_id, resource in resources.items():
        if resource_type(resource) not in _STAGE_RESOURCES:
            continue
        api_key, path = _STAGE_RESOURCES[resource["Type"]]
        stage_props = resource.get("Properties")
        if not isinstance(stage_props, dict) or stage_props.get(api_key) != {"Ref": logical_id}:
            continue
        if resource["Type"] == "AWS::ApiGateway::Deployment" and "StageName" not in stage_props:
            continue  # a deployment without StageName creates no stage
        variables: Any = stage_props
        for key in path:
            variables = variables.get(key) if isinstance(variables, dict) else None
        names = _variable_names(variables)
        if names is not None:
            name = stage_props.get("StageName")
            out[f"{name if isinstance(name, str) else stage_id} ({stage_id})"] = names
    return out


def _variable_names(variables: Any) -> set[str] | None:
    if variables is None:
        return set()
    if isinstance(variables, dict) and not is_intrinsic(variables):
        return {str(k) for k in variables}
    return None


_EVENT_SOURCES = {"AWS::Serverless::Function": "Api", "AWS::Serverless::StateMachine": "Api"}


def sam_event_routes(data: dict, logical_id: str) -> set[tuple[str, str]]:
    """(path, lower-case method) of every SAM ``Api`` event whose ``RestApiId`` is ``logical_id``."""
    out = set()
    for resource in data.get("Resources", {}).values():
        if resource_type(resource) not in _EVENT_SOURCES:
            continue
        props = resource.get("Properties")
        events = props.get("Events") if isinstance(props, dict) else None
        if not isinstance(events, dict):
            continue
        for event in events.values():
            if not isinstance(event, dict) or event.get("Type") != _EVENT_SOURCES[resource["Type"]]:
                continue
            event_props = event.get("Properties")
            if not isinstance(event_props, dict) or event_props.get("RestApiId") != {"Ref": logical_id}:
                continue
            path, method = event_props.get("Path"), event_props.get("Method")
            if isinstance(path, str) and isinstance(method, str):
                out.add((path, method.lower()))
    return out
