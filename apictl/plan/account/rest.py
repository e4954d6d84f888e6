"""REST API resources (``apigateway``) as the account holds them, in the plan's shapes."""
from __future__ import annotations

from typing import Any

from ..aws import get_or_none, pages
from . import Context, integration_signature

T = "AWS::ApiGateway::"


def _pascal(settings: dict) -> dict:
    return {k[:1].upper() + k[1:]: v for k, v in settings.items()}


def read_rest_api(ctx: Context, physical: str) -> dict | None:
    api = get_or_none(ctx.clients.read.get_rest_api, restApiId=physical)
    return None if api is None else {"Name": api.get("name")}


def _api(ctx: Context) -> str | None:
    return ctx.physical("RestApi")


def read_in_body(ctx: Context, physical: str) -> dict | None:
    """Authorizers, validators and gateway responses come and go with the body of their API."""
    return {} if _api(ctx) else None


def read_deployment(ctx: Context, physical: str) -> dict | None:
    api = _api(ctx)
    if api is None:
        return None
    deployment = get_or_none(ctx.clients.read.get_deployment, restApiId=api, deploymentId=physical)
    if deployment is None:
        return None
    return {"RestApiId": ctx.ref(api, T + "RestApi"), "Description": deployment.get("description") or ""}


def method_settings(settings: dict) -> list[dict]:
    """get-stage's ``{"~1products/GET": {...}}`` as CloudFormation MethodSettings."""
    out = []
    for key, values in settings.items():
        path, _, method = key.rpartition("/")
        resource_path = "/*" if key == "*/*" else "/" + path
        out.append({"ResourcePath": resource_path, "HttpMethod": method, **_pascal(values or {})})
    return out


def read_stage(ctx: Context, physical: str) -> dict | None:
    api = _api(ctx)
    if api is None:
        return None
    s = get_or_none(ctx.clients.read.get_stage, restApiId=api, stageName=physical)
    if s is None:
        return None
    props: dict[str, Any] = {"RestApiId": ctx.ref(api, T + "RestApi"), "StageName": s.get("stageName", physical),
                             "DeploymentId": ctx.ref(s.get("deploymentId"), T + "Deployment")}
    if s.get("description"):
        props["Description"] = s["description"]
    if s.get("variables"):
        props["Variables"] = dict(s["variables"])
    if s.get("methodSettings"):
        props["MethodSettings"] = method_settings(s["methodSettings"])
    if s.get("accessLogSettings"):
        props["AccessLogSetting"] = _pascal(s["accessLogSettings"])
    for key in ("cacheClusterEnabled", "cacheClusterSize", "tracingEnabled", "clientCertificateId",
                "documentationVersion"):
        if key in s:
            props[key[:1].upper() + key[1:]] = s[key]
    if s.get("canarySettings"):
        props["CanarySetting"] = _pascal(s["canarySettings"])
    return props


def _api_stages(ctx: Context, stages: list[dict]) -> list[dict]:
    out = []
    for s in stages:
        api = ctx.ref(s.get("apiId"), T + "RestApi")
        stage = ctx.ref(s.get("stage"), T + "Stage") if isinstance(api, dict) else s.get("stage")
        out.append({"ApiId": api, "Stage": stage})
    return out


def read_usage_plan(ctx: Context, physical: str) -> dict | None:
    plan = get_or_none(ctx.clients.read.get_usage_plan, usagePlanId=physical)
    if plan is None:
        return None
    props: dict[str, Any] = {"UsagePlanName": plan.get("name"),
                             "ApiStages": _api_stages(ctx, plan.get("apiStages") or [])}
    if plan.get("description"):
        props["Description"] = plan["description"]
    if plan.get("throttle"):
        props["Throttle"] = _pascal(plan["throttle"])
    if plan.get("quota"):
        props["Quota"] = _pascal(plan["quota"])
    return props


def read_api_key(ctx: Context, physical: str) -> dict | None:
    key = get_or_none(ctx.clients.read.get_api_key, apiKey=physical)
    return None if key is None else {"Name": key.get("name"), "Enabled": bool(key.get("enabled"))}


def read_usage_plan_key(ctx: Context, physical: str) -> dict | None:
    plan_id, _, key_id = physical.partition(":")
    if not isinstance(ctx.ref(plan_id, T + "UsagePlan"), dict):
        return None  # its usage plan is gone, and a link lives and dies with its plan
    link = get_or_none(ctx.clients.read.get_usage_plan_key, usagePlanId=plan_id, keyId=key_id)
    if link is None:
        return None
    return {"UsagePlanId": ctx.ref(plan_id, T + "UsagePlan"), "KeyId": ctx.ref(key_id, T + "ApiKey"),
            "KeyType": link.get("type", "API_KEY")}


def read_domain_name(ctx: Context, physical: str) -> dict | None:
    d = get_or_none(ctx.clients.read.get_domain_name, domainName=physical)
    if d is None:
        return None
    props: dict[str, Any] = {"DomainName": d.get("domainName", physical)}
    if d.get("securityPolicy"):
        props["SecurityPolicy"] = d["securityPolicy"]
    if (d.get("endpointConfiguration") or {}).get("types"):
        props["EndpointConfiguration"] = {"Types": list(d["endpointConfiguration"]["types"])}
    for key in ("certificateArn", "regionalCertificateArn"):
        if d.get(key):
            props[key[:1].upper() + key[1:]] = d[key]
    return props


def read_base_path_mapping(ctx: Context, physical: str) -> dict | None:
    domain, _, base = physical.partition("/")
    m = get_or_none(ctx.clients.read.get_base_path_mapping, domainName=domain, basePath=base or "(none)")
    if m is None:
        return None
    api = ctx.ref(m.get("restApiId"), T + "RestApi")
    props: dict[str, Any] = {"DomainName": ctx.ref(domain, T + "DomainName"), "RestApiId": api,
                             "Stage": ctx.ref(m.get("stage"), T + "Stage") if isinstance(api, dict) else m.get("stage")}
    if m.get("basePath") and m["basePath"] != "(none)":
        props["BasePath"] = m["basePath"]
    return props


def read_operations(ctx: Context, api_id: str) -> dict[str, dict]:
    """'GET /products' -> the integration's type, method and URI, for every method of the API."""
    ops = {}
    for resource in pages(ctx.clients.read, "get_resources", "items", restApiId=api_id, embed=["methods"], limit=500):
        for method, node in (resource.get("resourceMethods") or {}).items():
            ops[f"{method.upper()} {resource.get('path', '/')}"] = integration_signature(node.get("methodIntegration"))
    return ops


# type -> (reader, properties it reads)
READERS = {
    T + "RestApi": (read_rest_api, ("Name",)),
    T + "Authorizer": (read_in_body, ()),
    T + "RequestValidator": (read_in_body, ()),
    T + "GatewayResponse": (read_in_body, ()),
    T + "Deployment": (read_deployment, ()),  # a snapshot: it exists or not (its description is a label)
    T + "Stage": (read_stage, ("DeploymentId", "Description", "Variables", "MethodSettings", "AccessLogSetting",
                               "CacheClusterEnabled", "CacheClusterSize", "TracingEnabled", "ClientCertificateId",
                               "DocumentationVersion", "CanarySetting")),
    T + "UsagePlan": (read_usage_plan, ("UsagePlanName", "Description", "Throttle", "Quota", "ApiStages")),
    T + "ApiKey": (read_api_key, ("Name", "Enabled")),
    T + "UsagePlanKey": (read_usage_plan_key, ("UsagePlanId", "KeyId")),
    T + "DomainName": (read_domain_name, ("SecurityPolicy", "EndpointConfiguration", "CertificateArn",
                                          "RegionalCertificateArn")),
    T + "BasePathMapping": (read_base_path_mapping, ("RestApiId", "Stage")),
}
