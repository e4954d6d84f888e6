"""Apply a plan through the API Gateway API (boto3; ``pip install 'apictl[deploy]'``).

REST: import-rest-api (new) or put-rest-api in overwrite mode (existing), create-deployment when
the definition changed (the stage is moved to it before the old deployment is deleted), create or
update the stage (variables, method settings, access logs, caching, canary, tracing), usage plans,
API keys and their links, the custom domain and its base-path mapping. HTTP: create-api +
reimport-api, the stage (auto-deploy), domain and API mapping. Authorizers, request validators and
gateway responses come with the body. The state file is written after every step, so a failed
deploy records what it did.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from ..progress import track
from ..source.errors import InputError
from ..source.intrinsics import contains_intrinsic
from .pipeline import Desired
from .plan import Action, Plan
from .resources import Resource
from .state import State, state_from_graph, write_state

SETTING_PATHS = {  # MethodSetting property -> the path under /{resource}/{method}/ in update-stage
    "MetricsEnabled": "metrics/enabled", "LoggingLevel": "logging/loglevel", "DataTraceEnabled": "logging/dataTrace",
    "ThrottlingBurstLimit": "throttling/burstLimit", "ThrottlingRateLimit": "throttling/rateLimit",
    "CachingEnabled": "caching/enabled", "CacheTtlInSeconds": "caching/ttlInSeconds",
    "CacheDataEncrypted": "caching/dataEncrypted",
    "RequireAuthorizationForCacheControl": "caching/requireAuthorizationForCacheControl",
    "UnauthorizedCacheControlHeaderStrategy": "caching/unauthorizedCacheControlHeaderStrategy",
}


class DeployError(Exception):
    pass


def deploy(desired: Desired, plan: Plan, state: State | None, endpoint_url: str | None, region: str | None,
           state_path: Path | None, show_progress: bool = False) -> int:
    try:
        import boto3
        import botocore.exceptions as boto_errors
    except ImportError:
        raise InputError("apictl deploy needs boto3: pip install 'apictl[deploy]'") from None
    if contains_intrinsic(desired.graph.body):
        raise InputError("the spec uses CloudFormation intrinsic functions (Fn::Sub, Ref...), which only "
                         "CloudFormation evaluates: use `apictl export --format cloudformation`",
                         desired.source.document.display)
    region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") \
        or boto3.session.Session().region_name
    if not region:
        raise InputError("no AWS region: pass --region or set AWS_REGION")
    known = {address for address, r in (state.resources if state else {}).items() if r.physical_id}
    missing = [a.address for a in plan.actions if a.action != "create" and not a.in_body and a.address not in known]
    if missing:
        raise InputError(f"the state has no physical ids for {', '.join(missing)} (a state written by `apictl plan "
                         "--write-state` records the plan, not a deploy): deploy needs the state its last deploy wrote",
                         str(state_path))
    service = "apigateway" if desired.graph.api_type == "rest" else "apigatewayv2"
    client = boto3.client(service, endpoint_url=endpoint_url, region_name=region)
    applier = (_RestApplier if desired.graph.api_type == "rest" else _HttpApplier)(client, desired, state, state_path)
    current = None
    try:
        # (no name for the iterator: when a step fails, the bar must be gone before the error is printed)
        for action in track(plan.actions, f"Deploying {desired.graph.stage}", enabled=show_progress,
                            note=lambda a: a.address):
            current = action
            applier.apply(action)
            done = {"create": "created", "update": "updated", "replace": "replaced", "delete": "deleted"}[action.action]
            how = " (with the body)" if action.in_body else ""
            physical = applier.physical.get(action.address) if action.action != "delete" else None
            sys.stdout.write(f"{action.symbol:>3} {action.address} ({action.type}): {done}{how}"
                      f"{' -> ' + physical if physical else ''}\n")
        applier.finish()
    except (boto_errors.NoCredentialsError, boto_errors.NoRegionError) as exc:
        raise InputError(f"AWS credentials: {exc}") from None
    except (boto_errors.BotoCoreError, boto_errors.ClientError, DeployError) as exc:
        sys.stderr.write(f"apictl: error: deploy failed at {current.address if current else '?'} "
                         f"({current.action if current else ''}): {exc}\n")
        if state_path:
            sys.stderr.write(f"apictl: the state of what was done is in {state_path}\n")
        return 1
    counts = plan.counts()
    g = desired.graph
    sys.stdout.write(f"\nDeployed stage '{g.stage}' of '{g.title}': {counts['create']} created, {counts['update']} updated, "
              f"{counts['replace']} replaced, {counts['delete']} deleted ({len(plan.unchanged)} unchanged).\n")
    api_id = applier.physical.get("RestApi") or applier.physical.get("HttpApi")
    sys.stdout.write(f"API id: {api_id}; invoke URL: https://{api_id}.execute-api.{region}.amazonaws.com"
              f"{'' if g.stage == '$default' else '/' + g.stage}\n")
    return 0


class _Applier:
    def __init__(self, client: Any, desired: Desired, state: State | None, state_path: Path | None):
        self.client = client
        self.desired = desired
        self.graph = desired.graph
        self.by_address = self.graph.by_address()
        self.by_logical = self.graph.by_logical_id()
        self.old = state
        self.state_path = state_path
        self.physical: dict[str, str] = {a: r.physical_id for a, r in (state.resources if state else {}).items()
                                         if r.physical_id}
        self.done = State(title=self.graph.title, api_type=self.graph.api_type, stage=self.graph.stage,
                          body_sha256=state.body_sha256 if state else "",
                          body_index=dict(state.body_index) if state else {},
                          resources=dict(state.resources) if state else {})
        self.later: list[tuple[str, str, str]] = []  # (type, address, physical id) deleted at the end

    # -- bookkeeping ------------------------------------------------------------------------
    def record(self, address: str, physical_id: str | None, removed: bool = False) -> None:
        """Note in the state that ``address`` now exists (with its physical id) or was removed; save."""
        if removed:
            self.done.resources.pop(address, None)
            self.physical.pop(address, None)
        else:
            if physical_id is not None:
                self.physical[address] = physical_id
            fresh = state_from_graph(self.graph, self.physical)
            self.done.resources[address] = fresh.resources[address]
            if address in ("RestApi", "HttpApi"):
                self.done.body_sha256, self.done.body_index = fresh.body_sha256, fresh.body_index
        self.save()

    def save(self) -> None:
        if self.state_path is not None:
            ordered = {a: self.done.resources[a] for a in [*self.by_address, *self.done.resources]
                       if a in self.done.resources}
            self.done.resources = ordered
            write_state(self.state_path, self.done)

    def resolve(self, value: Any) -> Any:
        """Replace ``{"Ref": logical id}`` by the physical id of what was created."""
        if isinstance(value, dict):
            if set(value) == {"Ref"}:
                target = self.by_logical[value["Ref"]]
                if target.address not in self.physical:
                    raise DeployError(f"{target.address} has not been created")
                return self.physical[target.address]
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    def short(self, type_: str) -> str:
        return type_.rsplit("::", 1)[1].lower()

    # -- the walk ---------------------------------------------------------------------------
    def apply(self, action: Action) -> None:
        if action.in_body:  # applied by the import of the body, which runs first
            self.record(action.address, None, removed=action.action == "delete")
            return
        kind = self.short(action.type)
        if action.action == "delete":
            old = self.done.resources[action.address]
            getattr(self, f"delete_{kind}")(action.address, old.physical_id)
            self.record(action.address, None, removed=True)
            return
        r = self.by_address[action.address]
        if action.action == "create":
            self.record(r.address, getattr(self, f"create_{kind}")(r))
        elif action.action == "update":
            self.record(r.address, getattr(self, f"update_{kind}")(r, action))
        elif action.create_before_destroy:
            old_id = self.physical.get(r.address)
            self.record(r.address, getattr(self, f"create_{kind}")(r))
            if old_id:
                self.later.append((kind, r.address, old_id))
        else:
            old_id = self.physical.get(r.address)
            if old_id:
                getattr(self, f"delete_{kind}")(r.address, old_id)
            self.record(r.address, getattr(self, f"create_{kind}")(r))

    def finish(self) -> None:
        for kind, address, old_id in self.later:
            sys.stdout.write(f"{address}: deleting the replaced {kind} {old_id}...\n")
            getattr(self, f"delete_{kind}")(address, old_id)
        self.save()


def _body_bytes(desired: Desired) -> bytes:
    return json.dumps(desired.graph.body, ensure_ascii=False).encode()


class _RestApplier(_Applier):
    @property
    def api_id(self) -> str:
        return self.physical["RestApi"]

    # RestApi
    def create_restapi(self, r: Resource) -> str:
        return self.client.import_rest_api(body=_body_bytes(self.desired), failOnWarnings=False)["id"]

    def update_restapi(self, r: Resource, action: Action) -> str:
        self.client.put_rest_api(restApiId=self.api_id, mode="overwrite", body=_body_bytes(self.desired),
                                 failOnWarnings=False)
        return self.api_id

    def delete_restapi(self, address: str, physical_id: str) -> None:
        self.client.delete_rest_api(restApiId=physical_id)

    # Deployment
    def create_deployment(self, r: Resource) -> str:
        return self.client.create_deployment(restApiId=self.api_id, description=r.properties["Description"])["id"]

    def update_deployment(self, r: Resource, action: Action) -> str:
        return self.physical[r.address]  # only the description differs; deployments are snapshots

    def delete_deployment(self, address: str, physical_id: str) -> None:
        self.client.delete_deployment(restApiId=self.api_id, deploymentId=physical_id)

    # Stage
    def create_stage(self, r: Resource) -> str:
        p = self.resolve(r.properties)
        args: dict[str, Any] = {"restApiId": self.api_id, "stageName": p["StageName"], "deploymentId": p["DeploymentId"]}
        for key, name in (("Description", "description"), ("Variables", "variables"),
                          ("CacheClusterEnabled", "cacheClusterEnabled"), ("CacheClusterSize", "cacheClusterSize"),
                          ("TracingEnabled", "tracingEnabled"), ("DocumentationVersion", "documentationVersion")):
            if key in p:
                args[name] = p[key]
        if "Tags" in p:
            args["tags"] = {t["Key"]: t["Value"] for t in p["Tags"]}
        self.client.create_stage(**args)
        patches = self.stage_patches(p, {})
        if patches:
            self.client.update_stage(restApiId=self.api_id, stageName=p["StageName"], patchOperations=patches)
        return p["StageName"]

    def update_stage(self, r: Resource, action: Action) -> str:
        p = self.resolve(r.properties)
        before = self.done.resources[r.address].values if r.address in self.done.resources else {}
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
        self.client.update_stage(restApiId=self.api_id, stageName=p["StageName"], patchOperations=patches)
        return p["StageName"]

    def stage_patches(self, p: dict, before: dict) -> list[dict]:
        """Method settings, access logs and canary: only update-stage sets them."""
        patches = []
        wanted = {(m["ResourcePath"], m["HttpMethod"]) for m in p.get("MethodSettings") or []}
        for old in before.get("MethodSettings") or []:
            if (old["ResourcePath"], old["HttpMethod"]) not in wanted:
                patches.append({"op": "remove", "path": f"{_setting_prefix(old)}"})
        for setting in p.get("MethodSettings") or []:
            for key, value in setting.items():
                if key in SETTING_PATHS:
                    patches.append({"op": "replace", "path": f"{_setting_prefix(setting)}/{SETTING_PATHS[key]}",
                                    "value": _text(value)})
        if "AccessLogSetting" in p:
            logs = p["AccessLogSetting"]
            patches.append({"op": "replace", "path": "/accessLogSettings/destinationArn", "value": logs["DestinationArn"]})
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
        self.client.delete_stage(restApiId=self.api_id, stageName=physical_id)

    # API keys, usage plans and their links
    def create_apikey(self, r: Resource) -> str:
        return self.client.create_api_key(name=r.properties["Name"], enabled=r.properties.get("Enabled", True))["id"]

    def update_apikey(self, r: Resource, action: Action) -> str:
        key_id = self.physical[r.address]
        self.client.update_api_key(apiKey=key_id, patchOperations=[
            {"op": "replace", "path": "/enabled", "value": _text(r.properties.get("Enabled", True))}])
        return key_id

    def delete_apikey(self, address: str, physical_id: str) -> None:
        self.client.delete_api_key(apiKey=physical_id)

    def create_usageplan(self, r: Resource) -> str:
        p = self.resolve(r.properties)
        args: dict[str, Any] = {"name": p["UsagePlanName"],
                                "apiStages": [{"apiId": s["ApiId"], "stage": s["Stage"]} for s in p["ApiStages"]]}
        if "Description" in p:
            args["description"] = p["Description"]
        if "Throttle" in p:
            args["throttle"] = {k[:1].lower() + k[1:]: v for k, v in p["Throttle"].items()}
        if "Quota" in p:
            args["quota"] = {k[:1].lower() + k[1:]: v for k, v in p["Quota"].items()}
        return self.client.create_usage_plan(**args)["id"]

    def update_usageplan(self, r: Resource, action: Action) -> str:
        p = self.resolve(r.properties)
        plan_id = self.physical[r.address]
        patches = [{"op": "replace", "path": "/name", "value": p["UsagePlanName"]}]
        if "Description" in p:
            patches.append({"op": "replace", "path": "/description", "value": p["Description"]})
        for group, section in (("Throttle", "throttle"), ("Quota", "quota")):
            for key, value in (p.get(group) or {}).items():
                patches.append({"op": "replace", "path": f"/{section}/{key[:1].lower() + key[1:]}",
                                "value": _text(value)})
        self.client.update_usage_plan(usagePlanId=plan_id, patchOperations=patches)
        return plan_id

    def delete_usageplan(self, address: str, physical_id: str) -> None:
        plan = self.client.get_usage_plan(usagePlanId=physical_id)
        removals = [{"op": "remove", "path": "/apiStages", "value": f"{s['apiId']}:{s['stage']}"}
                    for s in plan.get("apiStages") or []]
        if removals:
            self.client.update_usage_plan(usagePlanId=physical_id, patchOperations=removals)
        self.client.delete_usage_plan(usagePlanId=physical_id)

    def create_usageplankey(self, r: Resource) -> str:
        p = self.resolve(r.properties)
        self.client.create_usage_plan_key(usagePlanId=p["UsagePlanId"], keyId=p["KeyId"], keyType=p["KeyType"])
        return f"{p['UsagePlanId']}:{p['KeyId']}"

    def delete_usageplankey(self, address: str, physical_id: str) -> None:
        plan_id, _, key_id = physical_id.partition(":")
        self.client.delete_usage_plan_key(usagePlanId=plan_id, keyId=key_id)

    # Custom domain
    def create_domainname(self, r: Resource) -> str:
        p = r.properties
        args: dict[str, Any] = {"domainName": p["DomainName"], "securityPolicy": p["SecurityPolicy"],
                                "endpointConfiguration": {"types": p["EndpointConfiguration"]["Types"]}}
        if "CertificateArn" in p:
            args["certificateArn"] = p["CertificateArn"]
        if "RegionalCertificateArn" in p:
            args["regionalCertificateArn"] = p["RegionalCertificateArn"]
        return self.client.create_domain_name(**args)["domainName"]

    def update_domainname(self, r: Resource, action: Action) -> str:
        p = r.properties
        patches = [{"op": "replace", "path": "/securityPolicy", "value": p["SecurityPolicy"]}]
        for key, path in (("CertificateArn", "/certificateArn"), ("RegionalCertificateArn", "/regionalCertificateArn")):
            if key in p:
                patches.append({"op": "replace", "path": path, "value": p[key]})
        self.client.update_domain_name(domainName=p["DomainName"], patchOperations=patches)
        return p["DomainName"]

    def delete_domainname(self, address: str, physical_id: str) -> None:
        self.client.delete_domain_name(domainName=physical_id)

    def create_basepathmapping(self, r: Resource) -> str:
        p = self.resolve(r.properties)
        args = {"domainName": p["DomainName"], "restApiId": p["RestApiId"], "stage": p["Stage"]}
        if "BasePath" in p:
            args["basePath"] = p["BasePath"]
        self.client.create_base_path_mapping(**args)
        return f"{p['DomainName']}/{p.get('BasePath') or '(none)'}"

    def update_basepathmapping(self, r: Resource, action: Action) -> str:
        p = self.resolve(r.properties)
        self.client.update_base_path_mapping(domainName=p["DomainName"], basePath=p.get("BasePath") or "(none)",
                                             patchOperations=[{"op": "replace", "path": "/stage", "value": p["Stage"]}])
        return f"{p['DomainName']}/{p.get('BasePath') or '(none)'}"

    def delete_basepathmapping(self, address: str, physical_id: str) -> None:
        domain, _, base = physical_id.partition("/")
        self.client.delete_base_path_mapping(domainName=domain, basePath=base)


class _HttpApplier(_Applier):
    @property
    def api_id(self) -> str:
        return self.physical["HttpApi"]

    def create_api(self, r: Resource) -> str:
        api_id = self.client.create_api(Name=self.graph.title or self.graph.stage, ProtocolType="HTTP")["ApiId"]
        self.client.reimport_api(ApiId=api_id, Body=_body_bytes(self.desired).decode())
        return api_id

    def update_api(self, r: Resource, action: Action) -> str:
        self.client.reimport_api(ApiId=self.api_id, Body=_body_bytes(self.desired).decode())
        return self.api_id

    def delete_api(self, address: str, physical_id: str) -> None:
        self.client.delete_api(ApiId=physical_id)

    def create_deployment(self, r: Resource) -> str:
        return self.client.create_deployment(ApiId=self.api_id, Description=r.properties["Description"])["DeploymentId"]

    def update_deployment(self, r: Resource, action: Action) -> str:
        return self.physical[r.address]

    def delete_deployment(self, address: str, physical_id: str) -> None:
        self.client.delete_deployment(ApiId=self.api_id, DeploymentId=physical_id)

    def _stage_args(self, p: dict) -> dict:
        args = {"ApiId": self.api_id, "StageName": p["StageName"]}
        for key in ("AutoDeploy", "DeploymentId", "Description", "StageVariables", "DefaultRouteSettings",
                    "RouteSettings", "AccessLogSettings"):
            if key in p:
                args[key] = p[key]
        return args

    def create_stage(self, r: Resource) -> str:
        p = self.resolve(r.properties)
        args = self._stage_args(p)
        if "Tags" in p:
            args["Tags"] = p["Tags"]
        self.client.create_stage(**args)
        return p["StageName"]

    def update_stage(self, r: Resource, action: Action) -> str:
        p = self.resolve(r.properties)
        self.client.update_stage(**self._stage_args(p))
        return p["StageName"]

    def delete_stage(self, address: str, physical_id: str) -> None:
        self.client.delete_stage(ApiId=self.api_id, StageName=physical_id)

    def create_domainname(self, r: Resource) -> str:
        p = r.properties
        self.client.create_domain_name(DomainName=p["DomainName"], DomainNameConfigurations=p["DomainNameConfigurations"])
        return p["DomainName"]

    def update_domainname(self, r: Resource, action: Action) -> str:
        p = r.properties
        self.client.update_domain_name(DomainName=p["DomainName"], DomainNameConfigurations=p["DomainNameConfigurations"])
        return p["DomainName"]

    def delete_domainname(self, address: str, physical_id: str) -> None:
        self.client.delete_domain_name(DomainName=physical_id)

    def create_apimapping(self, r: Resource) -> str:
        p = self.resolve(r.properties)
        args = {"ApiId": p["ApiId"], "DomainName": p["DomainName"], "Stage": p["Stage"]}
        if "ApiMappingKey" in p:
            args["ApiMappingKey"] = p["ApiMappingKey"]
        mapping_id = self.client.create_api_mapping(**args)["ApiMappingId"]
        return f"{p['DomainName']}/{mapping_id}"

    def update_apimapping(self, r: Resource, action: Action) -> str:
        p = self.resolve(r.properties)
        domain, _, mapping_id = self.physical[r.address].partition("/")
        args = {"ApiId": p["ApiId"], "ApiMappingId": mapping_id, "DomainName": domain, "Stage": p["Stage"]}
        if "ApiMappingKey" in p:
            args["ApiMappingKey"] = p["ApiMappingKey"]
        self.client.update_api_mapping(**args)
        return self.physical[r.address]

    def delete_apimapping(self, address: str, physical_id: str) -> None:
        domain, _, mapping_id = physical_id.partition("/")
        self.client.delete_api_mapping(ApiMappingId=mapping_id, DomainName=domain)


def _setting_prefix(setting: dict) -> str:
    """The update-stage path of one method setting: '/*/*' or '/~1products/GET'."""
    return f"{setting['ResourcePath']}/{setting['HttpMethod']}" if setting["ResourcePath"] != "/*" else "/*/*"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

