"""Exports of the resource graph: ``cloudformation``, ``sam`` and ``terraform`` modules, each with
``export(desired) -> str``. Resources created by importing the body (``in_body``) are not declared
again; each format redeploys when the definition changes (a deployment keyed by its hash)."""
from __future__ import annotations

from typing import Any

from ...source.errors import InputError
from ..jsonio import pretty
from ..pipeline import Desired
from ..resources import Resource

# MethodSetting fields that only the API (and Terraform) know: CloudFormation and SAM have no property for them.
API_ONLY_METHOD_SETTINGS = ("RequireAuthorizationForCacheControl", "UnauthorizedCacheControlHeaderStrategy")
CFN_TEMPLATE_LIMIT = 1_000_000  # bytes: the largest template CloudFormation accepts (from S3)


def declared(desired: Desired) -> list[Resource]:
    """The resources a template declares: all but those the body import creates."""
    return [r for r in desired.graph.resources if not r.in_body]


def check_cloudformation_method_settings(desired: Desired, fmt: str) -> None:
    stage = desired.graph.by_address().get("Stage")
    for setting in (stage.properties.get("MethodSettings") or []) if stage else []:
        for key in API_ONLY_METHOD_SETTINGS:
            if key in setting:
                name = key[:1].lower() + key[1:]
                raise desired.config.error(
                    f"stage '{desired.stage.name}': methodSettings {name} has no {fmt} property "
                    "(AWS::ApiGateway::Stage MethodSetting); use --format terraform or apictl deploy",
                    "stages", desired.stage.name, "methodSettings")


def dump_json(document: Any) -> str:
    return pretty(document)


def size_note(size: int, fmt: str) -> str | None:
    """A note when a template of ``size`` bytes is over CloudFormation's limit."""
    if size > CFN_TEMPLATE_LIMIT:
        return (f"note: the {fmt} template is {size:,} bytes, over CloudFormation's 1 MB template "
                "limit: upload the spec to S3 and use BodyS3Location / DefinitionUri instead of the inline body")
    return None


__all__ = ["declared", "check_cloudformation_method_settings", "dump_json", "size_note", "InputError"]
