"""SAM (JSON, ``Transform: AWS::Serverless-2016-10-31``): the API, its deployment and its stage
become one ``AWS::Serverless::Api`` (REST) or ``AWS::Serverless::HttpApi`` (HTTP); SAM hashes the
definition into the deployment's logical id itself. Usage plans, keys and domains stay plain
CloudFormation resources that reference the SAM API (``Ref: RestApi``) and its stage
(``Ref: RestApi.Stage``)."""
from __future__ import annotations

from typing import Any

from ...source.errors import InputError
from ..pipeline import Desired
from ..resources import Resource
from . import check_cloudformation_method_settings, declared, dump_json
from .cloudformation import outputs

TRANSFORM = "AWS::Serverless-2016-10-31"
# Stage properties -> AWS::Serverless::Api / HttpApi properties.
REST_STAGE = {"StageName": "StageName", "Variables": "Variables", "MethodSettings": "MethodSettings",
              "AccessLogSetting": "AccessLogSetting", "CacheClusterEnabled": "CacheClusterEnabled",
              "CacheClusterSize": "CacheClusterSize", "CanarySetting": "CanarySetting",
              "TracingEnabled": "TracingEnabled", "Description": "Description"}
HTTP_STAGE = {"StageName": "StageName", "StageVariables": "StageVariables",
              "DefaultRouteSettings": "DefaultRouteSettings", "RouteSettings": "RouteSettings",
              "AccessLogSettings": "AccessLogSettings", "Description": "Description", "Tags": "Tags"}
FOLDED = ("Stage", "Deployment")  # addresses SAM generates itself


def template(desired: Desired) -> dict[str, Any]:
    check_cloudformation_method_settings(desired, "SAM")
    g = desired.graph
    by_address = g.by_address()
    rest = g.api_type == "rest"
    api_id = "RestApi" if rest else "HttpApi"
    api_props: dict[str, Any] = {}
    if rest:
        api_props["Name"] = by_address["RestApi"].properties["Name"]
    api_props["DefinitionBody"] = g.body
    if rest:
        api_props["Mode"] = "overwrite"
    stage = by_address["Stage"]
    mapping = REST_STAGE if rest else HTTP_STAGE
    for key, value in stage.properties.items():
        if key in ("RestApiId", "ApiId", "DeploymentId", "AutoDeploy"):
            continue
        if key == "Tags" and rest:
            api_props["Tags"] = {t["Key"]: t["Value"] for t in value}
            continue
        if key not in mapping:
            raise InputError(f"stage '{g.stage}': {key} cannot be expressed in SAM "
                             f"({'AWS::Serverless::Api' if rest else 'AWS::Serverless::HttpApi'}); "
                             "use --format cloudformation", str(desired.config.path))
        api_props[mapping[key]] = value
    if not rest and stage.properties.get("AutoDeploy") is False:
        raise InputError(f"stage '{g.stage}': autoDeploy: false cannot be expressed in SAM (AWS::Serverless::HttpApi "
                         "always deploys automatically); use --format cloudformation", str(desired.config.path))
    resources: dict[str, Any] = {api_id: {"Type": "AWS::Serverless::Api" if rest else "AWS::Serverless::HttpApi",
                                          "Properties": api_props}}
    stage_ref = f"{api_id}.Stage"
    for r in declared(desired):
        if r.address in (api_id, *FOLDED):
            continue
        resources[r.logical_id] = {"Type": r.type, "Properties": _refs_to_sam(r.properties, stage.logical_id, stage_ref)}
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": TRANSFORM,
        "Description": f"{g.title}: stage {g.stage} ({g.api_type.upper()} API), exported by apictl",
        "Resources": resources,
        "Outputs": outputs(desired),
    }


def _refs_to_sam(value: Any, stage_id: str, stage_ref: str) -> Any:
    """``Ref: Stage`` becomes ``Ref: RestApi.Stage`` (the stage SAM creates for the API)."""
    if isinstance(value, dict):
        if value == {"Ref": stage_id}:
            return {"Ref": stage_ref}
        return {k: _refs_to_sam(v, stage_id, stage_ref) for k, v in value.items()}
    if isinstance(value, list):
        return [_refs_to_sam(v, stage_id, stage_ref) for v in value]
    return value


def export(desired: Desired) -> str:
    return dump_json(template(desired))


__all__ = ["export", "template", "Resource"]
