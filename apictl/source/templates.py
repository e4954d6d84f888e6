"""Find OpenAPI documents embedded in CloudFormation and SAM templates.

``AWS::Serverless::Api`` / ``AWS::Serverless::HttpApi`` carry them in ``Properties.DefinitionBody``,
``AWS::ApiGateway::RestApi`` and ``AWS::ApiGatewayV2::Api`` in ``Properties.Body``. Each one is linted
in place: its pointers are relative to the body, its positions are positions in the template.
A body that is an intrinsic (``Fn::Transform`` of an S3 include) cannot be read and is skipped.
"""
from __future__ import annotations

from dataclasses import dataclass

from .document import Document

BODY_PROPERTY = {
    "AWS::Serverless::Api": "DefinitionBody",
    "AWS::Serverless::HttpApi": "DefinitionBody",
    "AWS::ApiGateway::RestApi": "Body",
    "AWS::ApiGatewayV2::Api": "Body",
}
HTTP_TYPES = {"AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api"}


@dataclass
class EmbeddedApi:
    logical_id: str
    resource_type: str
    pointer: tuple  # of the body inside the template

    @property
    def api_type(self) -> str:
        return "http" if self.resource_type in HTTP_TYPES else "rest"


def is_template(data: object) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("Resources"), dict)
        and not ("openapi" in data or "swagger" in data)
    )


def find_embedded_apis(data: dict) -> list[EmbeddedApi]:
    found = []
    for logical_id, resource in data.get("Resources", {}).items():
        if not isinstance(resource, dict):
            continue
        rtype = resource.get("Type")
        prop = BODY_PROPERTY.get(rtype) if isinstance(rtype, str) else None
        props = resource.get("Properties")
        if prop and isinstance(props, dict) and isinstance(props.get(prop), dict):
            body = props[prop]
            if "openapi" in body or "swagger" in body or "paths" in body:
                found.append(EmbeddedApi(logical_id, rtype, ("Resources", logical_id, "Properties", prop)))
    return found


def embedded_document(template: Document, api: EmbeddedApi) -> Document:
    """A view of the body as a document of its own, sharing the template's text and positions."""
    n = len(api.pointer)
    refs = [(p[n:], ref) for p, ref in template.refs if p[:n] == api.pointer]
    view = Document(
        path=template.path,
        display=template.display,
        text=template.text,
        data=template.get(api.pointer),
        kind=template.kind,
        refs=refs,
        base_pointer=api.pointer,
        raw=template.raw,
        on_disk=template.on_disk,
    )
    view._positions = template._positions
    return view
