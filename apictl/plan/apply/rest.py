"""REST APIs through the ``apigateway`` API.

create-rest-api (with the identity tags) then put-rest-api in overwrite mode (the body; terraform
does the same, and unlike import-rest-api it lets the API be tagged in the call that creates it),
create-deployment when the definition changed (the stage moves to it before the old deployment is
deleted), create or update the stage (variables, method settings, access logs, caching, canary,
tracing), usage plans, API keys and their links, the custom domain and its base-path mapping.
Authorizers, request validators and gateway responses come with the body.
"""
from __future__ import annotations

import json
from typing import Any

from ..account import rest as rest_account
from ..aws import get_or_none
from ..identity import has_identity, identity
from ..plan import Action
from ..resources import Resource
from .base import Applier, DeployError

SETTING_PATHS = {  # MethodSetting property -> the path under /{resource}/{method}/ in update-stage
    "MetricsEnabled": "metrics/enabled", "LoggingLevel": "logging/loglevel", "DataTraceEnabled": "logging/dataTrace",
    "ThrottlingBurstLimit": "throttling/burstLimit", "ThrottlingRateLimit": "throttling/rateLimit",
    "CachingEnabled": "caching/enabled", "CacheTtlInSeconds": "caching/ttlInSeconds",
    "CacheDataEncrypted": "caching/dataEncrypted",
    "RequireAuthorizationForCacheControl": "caching/requireAuthorizationForCacheControl",
    "UnauthorizedCacheControlHeaderStrategy": "caching/unauthorizedCacheControlHeaderStrategy",
}
STAGE_PATCHED = ("MethodSettings", "AccessLogSetting", "CanarySetting")  # only update-stage sets them


def body_bytes(applier: Applier) -> bytes:
    """The definition as put: the canonical JSON the plan hashed (serialised once)."""
    return applier.graph.body_json or json.dumps(applier.graph.body, ensure_ascii=False).encode()


class RestApplier(Applier):
    api_address = "RestApi"
    readers = rest_account

    @property
    def api_id(self) -> str:
        return self.physical["RestApi"]

    # RestApi
    def create_restapi(self, r: Resource) -> str:
        api_id = self.ensure(r.address, lambda: self.find_tagged("get_rest_apis", "items", r.address, "id", limit=500),
                             lambda: self.c.once.create_rest_api(name=r.properties["Name"],
                                                                 tags=self.tags(r.address))["id"])
        self.record(r.address, api_id, pending=("Body",))
        self.put_body(api_id)
        return api_id

    def put_body(self, api_id: str) -> None:
        self.c.read.put_rest_api(restApiId=api_id, mode="overwrite", body=body_bytes(self), failOnWarnings=False)

    def update_restapi(self, r: Resource, action: Action) -> str:
        self.put_body(self.api_id)
        return self.api_id

    def delete_restapi(self, address: str, physical_id: str) -> None:
        self.gone_ok(lambda: self.c.read.delete_rest_api(restApiId=physical_id))

    # Deployment: no tags, but its description names the definition it snapshots
    def create_deployment(self, r: Resource) -> str:
        description = r.properties["Description"]

        def find() -> str | None:
            items = self.c.read.get_deployments(restApiId=self.api_id, limit=500).get("items") or []
            return next((d["id"] for d in items if d.get("description") == description), None)

        return self.ensure(r.address, find, lambda: self.c.once.create_deployment(
            restApiId=self.api_id, description=description)["id"])

    def update_deployment(self, r: Resource, action: Action) -> str:
        return self.physical[r.address]  # only the description differs; deployments are snapshots

    def delete_deployment(self, address: str, physical_id: str) -> None:
        if "RestApi" in self.physical:
            self.gone_ok(lambda: self.c.read.delete_deployment(restApiId=self.api_id, deploymentId=physical_id))

    # Stage: its name is unique inside the API
    def create_stage(self, r: Resource) -> str:
        p = self.resolve(r.properties)
        name = p["StageName"]
        args: dict[str, Any] = {"restApiId": self.api_id, "stageName": name, "deploymentId": p["DeploymentId"]}
        for key, arg in (("Description", "description"), ("Variables", "variables"),
                         ("CacheClusterEnabled", "cacheClusterEnabled"), ("CacheClusterSize", "cacheClusterSize"),
                         ("TracingEnabled", "tracingEnabled"), ("DocumentationVersion", "documentationVersion")):
            if key in p:
                args[arg] = p[key]
        args["tags"] = self.tags(r.address, {t["Key"]: t["Value"] for t in p.get("Tags") or []})

        def find() -> str | None:
            return name if get_or_none(self.c.read.get_stage, restApiId=self.api_id, stageName=name) else None

        self.ensure(r.address, find, lambda: self.c.once.create_stage(**args)["stageName"])
        if r.address in self.adopted:
            self.converge_adopted(r, name)
            return name
        patches = self.stage_patches(p, {})
        if patches:
            self.record(r.address, name, pending=STAGE_PATCHED)
            self.c.read.update_stage(restApiId=self.api_id, stageName=name, patchOperations=patches)
        return name

    def update_stage(self, r: Resource, action: Action | None) -> str:
        p = self.resolve(r.properties)
        before = self.before(r.address)
        patches = [{"op": "replace", "path": "/deploymentId", "value": p["DeploymentId"]}]
        for key, path in (("Description", "/description"), ("CacheClusterEnabled", "/cacheClusterEnabled"),
                          ("CacheClusterSize", "/cacheClusterSize"), ("TracingEnabled", "/tracingEnabled"),
                          ("DocumentationVersion", "/documentationVersion")):
            if key in p:
                patches.append({"op": "replace", "path": path, "value": _text(p[key])})
        for name in (before.get("Variables") or {}):
            if name not in (p.get("Variables") or {}):
                patches.append({"op": "remove", "path": f"/variables/{name}"})
        for name, value in (p.get("Variables") or {}).items():
            patches.append({"op": "replace", "path": f"/variables/{name}", "value": value})
        patches.extend(self.stage_patches(p, before))
        self.c.read.update_stage(restApiId=self.api_id, stageName=p["StageName"], patchOperations=patches)
        return p["StageName"]

    def stage_patches(self, p: dict, before: dict) -> list[dict]:
        """Method settings, access logs and canary: only update-stage sets them."""
        patches = []
        wanted = {(m["ResourcePath"], m["HttpMethod"]) for m in p.get("MethodSettings") or []}
        for old in before.get("MethodSettings") or []:
            if isinstance(old, dict) and (old.get("ResourcePath"), old.get("HttpMethod")) not in wanted:
                patches.append({"op": "remove", "path": f"{_setting_prefix(old)}"})
        for setting in p.get("MethodSettings") or []:
            for key, value in setting.items():
                if key in SETTING_PATHS:
                    patches.append({"op": "replace", "path": f"{_setting_prefix(setting)}/{SETTING_PATHS[key]}",
                                    "value": _text(value)})
        if "AccessLogSetting" in p:
            logs = p["AccessLogSetting"]
            patches.append({"op": "replace", "path": "/accessLogSettings/destinationArn",
                            "value": logs["DestinationArn"]})
            if "Format" in logs:
                patches.append({"op": "replace", "path": "/accessLogSettings/format", "value": logs["Format"]})
        elif before.get("AccessLogSetting"):
            patches.append({"op": "remove", "path": "/accessLogSettings"})
        canary = p.get("CanarySetting")
        if canary:
            for key, path in (("PercentTraffic", "percentTraffic"), ("UseStageCache", "useStageCache")):
                if key in canary:
                    patches.append({"op": "replace", "path": f"/canarySettings/{path}", "value": _text(canary[key])})
            for name, value in (canary.get("StageVariableOverrides") or {}).items():
                patches.append({"op": "replace", "path": f"/canarySettings/stageVariableOverrides/{name}",
                                "value": value})
        return patches

    def delete_stage(self, address: str, physical_id: str) -> None:
        if "RestApi" in self.physical:
            self.gone_ok(lambda: self.c.read.delete_stage(restApiId=self.api_id, stageName=physical_id))

    # API keys
    def create_apikey(self, r: Resource) -> str:
        key_id = self.ensure(r.address, lambda: self.find_tagged("get_api_keys", "items", r.address, "id", limit=500),
                             lambda: self.c.once.create_api_key(name=r.properties["Name"],
                                                                enabled=r.properties.get("Enabled", True),
                                                                tags=self.tags(r.address))["id"])
        if r.address in self.adopted:
            self.converge_adopted(r, key_id)
        return key_id

    def update_apikey(self, r: Resource, action: Action | None) -> str:
        key_id = self.physical[r.address]
        self.c.read.update_api_key(apiKey=key_id, patchOperations=[
            {"op": "replace", "path": "/enabled", "value": _text(r.properties.get("Enabled", True))}])
        return key_id

    def delete_apikey(self, address: str, physical_id: str) -> None:
        self.gone_ok(lambda: self.c.read.delete_api_key(apiKey=physical_id))

    # Usage plans: their API stages are a list, so adding one is not idempotent (see converge)
    def create_usageplan(self, r: Resource) -> str:
        p = self.resolve(r.properties)
        args: dict[str, Any] = {"name": p["UsagePlanName"], "tags": self.tags(r.address),
                                "apiStages": [{"apiId": s["ApiId"], "stage": s["Stage"]} for s in p["ApiStages"]]}
        if "Description" in p:
            args["description"] = p["Description"]
        if "Throttle" in p:
            args["throttle"] = _camel(p["Throttle"])
        if "Quota" in p:
            args["quota"] = _camel(p["Quota"])
        plan_id = self.ensure(r.address, lambda: self.find_tagged("get_usage_plans", "items", r.address, "id",
                                                                  limit=500),
                              lambda: self.c.once.create_usage_plan(**args)["id"])
        if r.address in self.adopted:
            self.converge_adopted(r, plan_id)
        return plan_id

    def update_usageplan(self, r: Resource, action: Action | None) -> str:
        p = self.resolve(r.properties)
        plan_id = self.physical[r.address]
        patches = [{"op": "replace", "path": "/name", "value": p["UsagePlanName"]}]
        if "Description" in p:
            patches.append({"op": "replace", "path": "/description", "value": p["Description"]})
        for group, section in (("Throttle", "throttle"), ("Quota", "quota")):
            for key, value in (p.get(group) or {}).items():
                patches.append({"op": "replace", "path": f"/{section}/{key[:1].lower() + key[1:]}",
                                "value": _text(value)})
        self.c.read.update_usage_plan(usagePlanId=plan_id, patchOperations=patches)
        wanted = {(s["ApiId"], s["Stage"]) for s in p["ApiStages"]}

        def stage_patches() -> list[dict]:
            have = {(s["apiId"], s["stage"]) for s in self.c.read.get_usage_plan(usagePlanId=plan_id).get("apiStages")
                    or []}
            return ([{"op": "remove", "path": "/apiStages", "value": f"{a}:{s}"} for a, s in sorted(have - wanted)]
                    + [{"op": "add", "path": "/apiStages", "value": f"{a}:{s}"} for a, s in sorted(wanted - have)])

        self.converge(stage_patches, lambda todo: self.c.once.update_usage_plan(usagePlanId=plan_id,
                                                                                patchOperations=todo))
        return plan_id

    def delete_usageplan(self, address: str, physical_id: str) -> None:
        plan = get_or_none(self.c.read.get_usage_plan, usagePlanId=physical_id)
        if plan is None:
            return
        removals = [{"op": "remove", "path": "/apiStages", "value": f"{s['apiId']}:{s['stage']}"}
                    for s in plan.get("apiStages") or []]
        if removals:
            self.gone_ok(lambda: self.c.read.update_usage_plan(usagePlanId=physical_id, patchOperations=removals))
        self.gone_ok(lambda: self.c.read.delete_usage_plan(usagePlanId=physical_id))

    # Usage plan keys: a link, unique per plan and key
    def create_usageplankey(self, r: Resource) -> str:
        p = self.resolve(r.properties)
        plan_id, key_id = p["UsagePlanId"], p["KeyId"]

        def find() -> str | None:
            found = get_or_none(self.c.read.get_usage_plan_key, usagePlanId=plan_id, keyId=key_id)
            return f"{plan_id}:{key_id}" if found else None

        def create() -> str:
            self.c.once.create_usage_plan_key(usagePlanId=plan_id, keyId=key_id, keyType=p["KeyType"])
            return f"{plan_id}:{key_id}"

        return self.ensure(r.address, find, create)

    def delete_usageplankey(self, address: str, physical_id: str) -> None:
        plan_id, _, key_id = physical_id.partition(":")
        self.gone_ok(lambda: self.c.read.delete_usage_plan_key(usagePlanId=plan_id, keyId=key_id))

    # Custom domain: the name is unique in the account; adopted only when it carries our identity
    def create_domainname(self, r: Resource) -> str:
        p = r.properties
        name = p["DomainName"]
        args: dict[str, Any] = {"domainName": name, "securityPolicy": p["SecurityPolicy"],
                                "endpointConfiguration": {"types": p["EndpointConfiguration"]["Types"]},
                                "tags": self.tags(r.address)}
        if "CertificateArn" in p:
            args["certificateArn"] = p["CertificateArn"]
        if "RegionalCertificateArn" in p:
            args["regionalCertificateArn"] = p["RegionalCertificateArn"]

        def find() -> str | None:
            domain = get_or_none(self.c.read.get_domain_name, domainName=name)
            if domain is None:
                return None
            if not has_identity(domain, identity(self.graph, r.address)):
                raise DeployError(f"the custom domain {name} already exists and apictl did not create it for this "
                                  "stage: record it with `apictl import`, or remove it")
            return name

        self.ensure(r.address, find, lambda: self.c.once.create_domain_name(**args)["domainName"])
        if r.address in self.adopted:
            self.converge_adopted(r, name)
        return name

    def update_domainname(self, r: Resource, action: Action | None) -> str:
        p = r.properties
        patches = [{"op": "replace", "path": "/securityPolicy", "value": p["SecurityPolicy"]}]
        for key, path in (("CertificateArn", "/certificateArn"), ("RegionalCertificateArn", "/regionalCertificateArn")):
            if key in p:
                patches.append({"op": "replace", "path": path, "value": p[key]})
        self.c.read.update_domain_name(domainName=p["DomainName"], patchOperations=patches)
        return p["DomainName"]

    def delete_domainname(self, address: str, physical_id: str) -> None:
        self.gone_ok(lambda: self.c.read.delete_domain_name(domainName=physical_id))

    def create_basepathmapping(self, r: Resource) -> str:
        p = self.resolve(r.properties)
        base = p.get("BasePath") or "(none)"
        physical = f"{p['DomainName']}/{base}"
        args = {"domainName": p["DomainName"], "restApiId": p["RestApiId"], "stage": p["Stage"]}
        if "BasePath" in p:
            args["basePath"] = p["BasePath"]

        def find() -> str | None:
            mapping = get_or_none(self.c.read.get_base_path_mapping, domainName=p["DomainName"], basePath=base)
            if mapping is None:
                return None
            if mapping.get("restApiId") != p["RestApiId"]:
                raise DeployError(f"the base path '{base}' of {p['DomainName']} is mapped to another API "
                                  f"({mapping.get('restApiId')})")
            return physical

        def create() -> str:
            self.c.once.create_base_path_mapping(**args)
            return physical

        self.ensure(r.address, find, create)
        if r.address in self.adopted:
            self.converge_adopted(r, physical)
        return physical

    def update_basepathmapping(self, r: Resource, action: Action | None) -> str:
        p = self.resolve(r.properties)
        self.c.read.update_base_path_mapping(domainName=p["DomainName"], basePath=p.get("BasePath") or "(none)",
                                             patchOperations=[{"op": "replace", "path": "/stage", "value": p["Stage"]}])
        return f"{p['DomainName']}/{p.get('BasePath') or '(none)'}"

    def delete_basepathmapping(self, address: str, physical_id: str) -> None:
        domain, _, base = physical_id.partition("/")
        self.gone_ok(lambda: self.c.read.delete_base_path_mapping(domainName=domain, basePath=base))


def _camel(group: dict) -> dict:
    return {k[:1].lower() + k[1:]: v for k, v in group.items()}


def _setting_prefix(setting: dict) -> str:
    """The update-stage path of one method setting: '/*/*' or '/~1products/GET'."""
    return f"{setting['ResourcePath']}/{setting['HttpMethod']}" if setting["ResourcePath"] != "/*" else "/*/*"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
