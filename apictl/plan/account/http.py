"""HTTP API resources (``apigatewayv2``) as the account holds them, in the plan's shapes."""
from __future__ import annotations

from typing import Any

from ..aws import get_or_none, pages
from . import Context

T = "AWS::ApiGatewayV2::"


def _api(ctx: Context) -> str | None:
    return ctx.physical("HttpApi")


def read_http_api(ctx: Context, physical: str) -> dict | None:
    api = get_or_none(ctx.clients.read.get_api, ApiId=physical)
    return None if api is None else {}


def read_in_body(ctx: Context, physical: str) -> dict | None:
    return {} if _api(ctx) else None


def read_deployment(ctx: Context, physical: str) -> dict | None:
    api = _api(ctx)
    if api is None:
        return None
    d = get_or_none(ctx.clients.read.get_deployment, ApiId=api, DeploymentId=physical)
    return None if d is None else {"ApiId": ctx.ref(api, T + "Api"), "Description": d.get("Description") or ""}


def read_stage(ctx: Context, physical: str) -> dict | None:
    api = _api(ctx)
    if api is None:
        return None
    s = get_or_none(ctx.clients.read.get_stage, ApiId=api, StageName=physical)
    if s is None:
        return None
    props: dict[str, Any] = {"ApiId": ctx.ref(api, T + "Api"), "StageName": s.get("StageName", physical),
                             "AutoDeploy": bool(s.get("AutoDeploy"))}
    if s.get("DeploymentId") and not s.get("AutoDeploy"):
        props["DeploymentId"] = ctx.ref(s["DeploymentId"], T + "Deployment")
    for key in ("Description", "StageVariables", "DefaultRouteSettings", "RouteSettings", "AccessLogSettings"):
        if s.get(key):
            props[key] = s[key]
    return props


def read_domain_name(ctx: Context, physical: str) -> dict | None:
    d = get_or_none(ctx.clients.read.get_domain_name, DomainName=physical)
    if d is None:
        return None
    configs = [{k: c[k] for k in ("CertificateArn", "EndpointType", "SecurityPolicy") if k in c}
               for c in d.get("DomainNameConfigurations") or []]
    return {"DomainName": d.get("DomainName", physical), "DomainNameConfigurations": configs}


def read_api_mapping(ctx: Context, physical: str) -> dict | None:
    domain, _, mapping_id = physical.partition("/")
    m = get_or_none(ctx.clients.read.get_api_mapping, ApiMappingId=mapping_id, DomainName=domain)
    if m is None:
        return None
    api = ctx.ref(m.get("ApiId"), T + "Api")
    props: dict[str, Any] = {"DomainName": ctx.ref(domain, T + "DomainName"), "ApiId": api,
                             "Stage": ctx.ref(m.get("Stage"), T + "Stage") if isinstance(api, dict) else m.get("Stage")}
    if m.get("ApiMappingKey"):
        props["ApiMappingKey"] = m["ApiMappingKey"]
    return props


def read_operations(ctx: Context, api_id: str) -> dict[str, dict]:
    """'GET /notes' -> the integration's type (routes of an HTTP API and what they call)."""
    integrations = {i.get("IntegrationId"): i for i in pages(ctx.clients.read, "get_integrations", "Items",
                                                              ApiId=api_id)}
    ops = {}
    for route in pages(ctx.clients.read, "get_routes", "Items", ApiId=api_id):
        target = str(route.get("Target") or "")
        integration = integrations.get(target.rpartition("/")[2]) or {}
        ops[str(route.get("RouteKey"))] = ({"type": str(integration["IntegrationType"]).upper()}
                                           if integration.get("IntegrationType") else {})
    return ops


READERS = {
    T + "Api": (read_http_api, ()),
    T + "Authorizer": (read_in_body, ()),
    T + "Deployment": (read_deployment, ()),  # a snapshot: it exists or not (its description is a label)
    T + "Stage": (read_stage, ("AutoDeploy", "DeploymentId", "Description", "StageVariables", "DefaultRouteSettings",
                               "RouteSettings", "AccessLogSettings")),
    T + "DomainName": (read_domain_name, ("DomainNameConfigurations",)),
    T + "ApiMapping": (read_api_mapping, ("ApiId", "Stage", "ApiMappingKey")),
}
