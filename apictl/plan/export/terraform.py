"""Terraform JSON (``.tf.json``) for the hashicorp/aws provider.

The deployment follows the provider's redeploy pattern: ``triggers = {redeployment =
sha1(<rest api>.body)}`` with ``lifecycle { create_before_destroy = true }``, so a changed
definition replaces the deployment and moves the stage to the new one before the old is deleted.
Every string from the spec or config is escaped for Terraform's template syntax (``${`` and
``%{`` would otherwise be evaluated): the body's ``${stageVariables.env}`` stays literal.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from ...source.errors import InputError
from ...source.intrinsics import contains_intrinsic, first_intrinsic, json_may_contain_intrinsic
from ..pipeline import Desired
from ..resources import Resource, split_method_key
from . import declared, dump_json

IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
PROVIDER = {"aws": {"source": "hashicorp/aws", "version": ">= 5.0"}}

# CloudFormation type -> (Terraform type, attribute a Ref to it means)
TYPES = {
    "AWS::ApiGateway::RestApi": ("aws_api_gateway_rest_api", "id"),
    "AWS::ApiGateway::Deployment": ("aws_api_gateway_deployment", "id"),
    "AWS::ApiGateway::Stage": ("aws_api_gateway_stage", "stage_name"),
    "AWS::ApiGateway::ApiKey": ("aws_api_gateway_api_key", "id"),
    "AWS::ApiGateway::UsagePlan": ("aws_api_gateway_usage_plan", "id"),
    "AWS::ApiGateway::UsagePlanKey": ("aws_api_gateway_usage_plan_key", "id"),
    "AWS::ApiGateway::DomainName": ("aws_api_gateway_domain_name", "domain_name"),
    "AWS::ApiGateway::BasePathMapping": ("aws_api_gateway_base_path_mapping", "id"),
    "AWS::ApiGatewayV2::Api": ("aws_apigatewayv2_api", "id"),
    "AWS::ApiGatewayV2::Deployment": ("aws_apigatewayv2_deployment", "id"),
    "AWS::ApiGatewayV2::Stage": ("aws_apigatewayv2_stage", "name"),
    "AWS::ApiGatewayV2::DomainName": ("aws_apigatewayv2_domain_name", "domain_name"),
    "AWS::ApiGatewayV2::ApiMapping": ("aws_apigatewayv2_api_mapping", "id"),
}


def snake(name: str) -> str:
    """'UsagePlanKeyPartnersPartnerAcme' -> 'usage_plan_key_partners_partner_acme'."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()
    if not IDENTIFIER.match(text):
        raise ValueError(f"not a Terraform identifier: {text!r}")
    return text


def literal(value: Any) -> Any:
    """A value from the spec or config, escaped so Terraform's templates leave it as written."""
    if isinstance(value, str):
        return value.replace("${", "$${").replace("%{", "%%{")
    if isinstance(value, dict):
        return {literal(k): literal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [literal(v) for v in value]
    return value


class _Translator:
    def __init__(self, desired: Desired):
        self.desired = desired
        self.by_logical = desired.graph.by_logical_id()

    def address(self, r: Resource) -> str:
        return f"{TYPES[r.type][0]}.{snake(r.address)}"

    def ref(self, value: Any) -> str:
        """``{"Ref": id}`` -> ``${aws_x.name.attr}``; anything else is a literal."""
        if isinstance(value, dict) and set(value) == {"Ref"}:
            target = self.by_logical[value["Ref"]]
            return f"${{{self.address(target)}.{TYPES[target.type][1]}}}"
        return literal(value)

    def depends_on(self, r: Resource) -> list[str]:
        by_address = self.desired.graph.by_address()
        return sorted(self.address(by_address[a]) for a in r.depends_on if not by_address[a].in_body)


def _settings(values: dict, names: dict[str, str]) -> dict:
    return {names[k]: literal(v) for k, v in values.items() if k in names}


METHOD_SETTINGS = {
    "MetricsEnabled": "metrics_enabled", "LoggingLevel": "logging_level", "DataTraceEnabled": "data_trace_enabled",
    "ThrottlingBurstLimit": "throttling_burst_limit", "ThrottlingRateLimit": "throttling_rate_limit",
    "CachingEnabled": "caching_enabled", "CacheTtlInSeconds": "cache_ttl_in_seconds",
    "CacheDataEncrypted": "cache_data_encrypted",
    "RequireAuthorizationForCacheControl": "require_authorization_for_cache_control",
    "UnauthorizedCacheControlHeaderStrategy": "unauthorized_cache_control_header_strategy",
}
ROUTE_SETTINGS = {"ThrottlingBurstLimit": "throttling_burst_limit", "ThrottlingRateLimit": "throttling_rate_limit",
                  "DetailedMetricsEnabled": "detailed_metrics_enabled", "LoggingLevel": "logging_level",
                  "DataTraceEnabled": "data_trace_enabled"}


def _rest_api(t: _Translator, r: Resource, p: dict) -> dict:
    return {"name": literal(p["Name"]), "body": literal(canonical_body(t.desired)), "put_rest_api_mode": "overwrite"}


def _http_api(t: _Translator, r: Resource, p: dict) -> dict:
    return {"name": literal(t.desired.graph.title or t.desired.stage.name), "protocol_type": "HTTP",
            "body": literal(canonical_body(t.desired))}


def _deployment(api_address: str, tf_key: str, cfn_key: str) -> Callable[[_Translator, Resource, dict], dict]:
    def build(t: _Translator, r: Resource, p: dict) -> dict:
        return {
            tf_key: t.ref(p[cfn_key]),
            "description": literal(p["Description"]),
            "triggers": {"redeployment": f"${{sha1({api_address}.body)}}"},
            "lifecycle": {"create_before_destroy": True},
        }
    return build


def _rest_stage(t: _Translator, r: Resource, p: dict) -> dict:
    out: dict[str, Any] = {"rest_api_id": t.ref(p["RestApiId"]), "deployment_id": t.ref(p["DeploymentId"]),
                           "stage_name": literal(p["StageName"])}
    simple = {"Description": "description", "Variables": "variables", "CacheClusterEnabled": "cache_cluster_enabled",
              "CacheClusterSize": "cache_cluster_size", "TracingEnabled": "xray_tracing_enabled",
              "ClientCertificateId": "client_certificate_id", "DocumentationVersion": "documentation_version"}
    out.update(_settings(p, simple))
    if "AccessLogSetting" in p:
        out["access_log_settings"] = {"destination_arn": literal(p["AccessLogSetting"]["DestinationArn"]),
                                      "format": literal(p["AccessLogSetting"].get("Format", "$context.requestId"))}
    if "CanarySetting" in p:
        out["canary_settings"] = _settings(p["CanarySetting"], {
            "PercentTraffic": "percent_traffic", "StageVariableOverrides": "stage_variable_overrides",
            "UseStageCache": "use_stage_cache"})
    if "Tags" in p:
        out["tags"] = {literal(tag["Key"]): literal(tag["Value"]) for tag in p["Tags"]}
    return out


def _http_stage(t: _Translator, r: Resource, p: dict) -> dict:
    out: dict[str, Any] = {"api_id": t.ref(p["ApiId"]), "name": literal(p["StageName"]),
                           "auto_deploy": bool(p.get("AutoDeploy"))}
    if "DeploymentId" in p:
        out["deployment_id"] = t.ref(p["DeploymentId"])
    out.update(_settings(p, {"Description": "description", "StageVariables": "stage_variables", "Tags": "tags"}))
    if "DefaultRouteSettings" in p:
        out["default_route_settings"] = _settings(p["DefaultRouteSettings"], ROUTE_SETTINGS)
    if "RouteSettings" in p:
        out["route_settings"] = [{"route_key": literal(key), **_settings(s, ROUTE_SETTINGS)}
                                 for key, s in p["RouteSettings"].items()]
    if "AccessLogSettings" in p:
        out["access_log_settings"] = {"destination_arn": literal(p["AccessLogSettings"]["DestinationArn"]),
                                      "format": literal(p["AccessLogSettings"].get("Format", "$context.requestId"))}
    return out


def _usage_plan(t: _Translator, r: Resource, p: dict) -> dict:
    out: dict[str, Any] = {"name": literal(p["UsagePlanName"]),
                           "api_stages": [{"api_id": t.ref(s["ApiId"]), "stage": t.ref(s["Stage"])}
                                          for s in p["ApiStages"]]}
    if "Description" in p:
        out["description"] = literal(p["Description"])
    if "Quota" in p:
        out["quota_settings"] = _settings(p["Quota"], {"Limit": "limit", "Offset": "offset", "Period": "period"})
    if "Throttle" in p:
        out["throttle_settings"] = _settings(p["Throttle"], {"BurstLimit": "burst_limit", "RateLimit": "rate_limit"})
    return out


def _api_key(t: _Translator, r: Resource, p: dict) -> dict:
    return {"name": literal(p["Name"]), "enabled": bool(p.get("Enabled", True))}


def _usage_plan_key(t: _Translator, r: Resource, p: dict) -> dict:
    return {"key_id": t.ref(p["KeyId"]), "key_type": p["KeyType"], "usage_plan_id": t.ref(p["UsagePlanId"])}


def _domain_name(t: _Translator, r: Resource, p: dict) -> dict:
    out = {"domain_name": literal(p["DomainName"]),
           "endpoint_configuration": {"types": literal(p["EndpointConfiguration"]["Types"])},
           "security_policy": literal(p["SecurityPolicy"])}
    out.update(_settings(p, {"CertificateArn": "certificate_arn", "RegionalCertificateArn": "regional_certificate_arn"}))
    return out


def _base_path_mapping(t: _Translator, r: Resource, p: dict) -> dict:
    out = {"api_id": t.ref(p["RestApiId"]), "stage_name": t.ref(p["Stage"]), "domain_name": t.ref(p["DomainName"])}
    if "BasePath" in p:
        out["base_path"] = literal(p["BasePath"])
    return out


def _http_domain_name(t: _Translator, r: Resource, p: dict) -> dict:
    config = p["DomainNameConfigurations"][0]
    return {"domain_name": literal(p["DomainName"]), "domain_name_configuration": {
        "certificate_arn": literal(config["CertificateArn"]), "endpoint_type": config["EndpointType"],
        "security_policy": config["SecurityPolicy"]}}


def _api_mapping(t: _Translator, r: Resource, p: dict) -> dict:
    out = {"api_id": t.ref(p["ApiId"]), "domain_name": t.ref(p["DomainName"]), "stage": t.ref(p["Stage"])}
    if "ApiMappingKey" in p:
        out["api_mapping_key"] = literal(p["ApiMappingKey"])
    return out


BUILDERS: dict[str, Callable[[_Translator, Resource, dict], dict]] = {
    "AWS::ApiGateway::RestApi": _rest_api,
    "AWS::ApiGateway::Deployment": _deployment("aws_api_gateway_rest_api.rest_api", "rest_api_id", "RestApiId"),
    "AWS::ApiGateway::Stage": _rest_stage,
    "AWS::ApiGateway::UsagePlan": _usage_plan,
    "AWS::ApiGateway::ApiKey": _api_key,
    "AWS::ApiGateway::UsagePlanKey": _usage_plan_key,
    "AWS::ApiGateway::DomainName": _domain_name,
    "AWS::ApiGateway::BasePathMapping": _base_path_mapping,
    "AWS::ApiGatewayV2::Api": _http_api,
    "AWS::ApiGatewayV2::Deployment": _deployment("aws_apigatewayv2_api.http_api", "api_id", "ApiId"),
    "AWS::ApiGatewayV2::Stage": _http_stage,
    "AWS::ApiGatewayV2::DomainName": _http_domain_name,
    "AWS::ApiGatewayV2::ApiMapping": _api_mapping,
}


def canonical_body(desired: Desired) -> str:
    return desired.graph.body_json.decode()


def document(desired: Desired) -> dict[str, Any]:
    if json_may_contain_intrinsic(desired.graph.body_json) and contains_intrinsic(desired.graph.body):
        line, column = desired.source.document.position(first_intrinsic(desired.graph.body) or ())
        raise InputError("the spec uses CloudFormation intrinsic functions (Fn::Sub, Ref...), which Terraform "
                         "cannot evaluate: export it as cloudformation or sam", desired.source.document.display,
                         line, column)
    t = _Translator(desired)
    resources: dict[str, dict[str, Any]] = {}
    stage = None
    for r in declared(desired):
        tf_type, _ = TYPES[r.type]
        block = BUILDERS[r.type](t, r, r.properties)
        deps = t.depends_on(r)
        if deps:
            block["depends_on"] = deps
        resources.setdefault(tf_type, {})[snake(r.address)] = block
        if r.address == "Stage":
            stage = r
    if stage is not None and stage.type == "AWS::ApiGateway::Stage":
        settings_blocks = resources.setdefault("aws_api_gateway_method_settings", {})
        for setting in stage.properties.get("MethodSettings") or []:
            name = _method_settings_name(setting)
            if name in settings_blocks:
                name = f"{name}_{len(settings_blocks)}"
            settings_blocks[name] = {
                "rest_api_id": t.ref(stage.properties["RestApiId"]),
                "stage_name": f"${{{t.address(stage)}.stage_name}}",
                "method_path": literal(_method_path(setting)),
                "settings": _settings(setting, METHOD_SETTINGS),
            }
    api = "aws_api_gateway_rest_api.rest_api" if desired.graph.api_type == "rest" else "aws_apigatewayv2_api.http_api"
    outputs = {"api_id": {"value": f"${{{api}.id}}"}}
    if stage is not None:
        outputs["invoke_url"] = {"value": f"${{{t.address(stage)}.invoke_url}}"}
    return {"terraform": {"required_providers": PROVIDER}, "resource": resources, "output": outputs}


def _method_path(setting: dict) -> str:
    """CloudFormation's '/~1products' + 'GET' -> the provider's 'products/GET' ('*/*' for all)."""
    if setting["ResourcePath"] == "/*":
        return f"*/{setting['HttpMethod']}"
    path = setting["ResourcePath"][1:].replace("~1", "/").lstrip("/")
    return f"{path}/{setting['HttpMethod']}"


def _method_settings_name(setting: dict) -> str:
    path, method = split_method_key(_method_path(setting))
    words = re.findall(r"[a-z0-9]+", f"{path} {method}".lower().replace("*", " all "))
    return "settings_" + "_".join(words)


def export(desired: Desired) -> str:
    return dump_json(document(desired))
