"""CloudFormation (JSON): the resource graph as ``AWS::ApiGateway::*`` / ``AWS::ApiGatewayV2::*``
resources. The deployment's logical id carries the definition's hash (as SAM does), so a changed
definition creates a new deployment and moves the stage to it."""
from __future__ import annotations

from typing import Any

from ..pipeline import Desired
from ..resources import resource_refs
from . import check_cloudformation_method_settings, declared, dump_json


def template(desired: Desired) -> dict[str, Any]:
    check_cloudformation_method_settings(desired, "CloudFormation")
    g = desired.graph
    by_address = g.by_address()
    resources: dict[str, Any] = {}
    for r in declared(desired):
        entry: dict[str, Any] = {"Type": r.type, "Properties": r.properties}
        refs = resource_refs(r)
        extra = sorted(by_address[a].logical_id for a in r.depends_on
                       if not by_address[a].in_body and by_address[a].logical_id not in refs)
        if extra:
            entry["DependsOn"] = extra
        resources[r.logical_id] = entry
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"{g.title}: stage {g.stage} ({g.api_type.upper()} API), exported by apictl",
        "Resources": resources,
        "Outputs": outputs(desired),
    }


def outputs(desired: Desired) -> dict[str, Any]:
    g = desired.graph
    api = "RestApi" if g.api_type == "rest" else "HttpApi"
    path = f"/{g.stage}" if g.stage != "$default" else ""
    return {
        "ApiId": {"Description": "API id", "Value": {"Ref": api}},
        "InvokeUrl": {"Description": f"URL of stage {g.stage}",
                      "Value": {"Fn::Sub": f"https://${{{api}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}{path}"}},
    }


def export(desired: Desired) -> str:
    return dump_json(template(desired))
