"""HTTP APIs through the ``apigatewayv2`` API: create-api (with the identity tags) + reimport-api,
the stage (auto-deploy), a deployment when auto-deploy is off, the domain and its API mapping.
Authorizers come with the body."""
from __future__ import annotations

from ..account import http as http_account
from ..aws import get_or_none, pages
from ..identity import has_identity, identity
from ..plan import Action
from ..resources import Resource
from .base import Applier, DeployError
from .rest import body_bytes


class HttpApplier(Applier):
    api_address = "HttpApi"
    readers = http_account

    @property
    def api_id(self) -> str:
        return self.physical["HttpApi"]

    def create_api(self, r: Resource) -> str:
        api_id = self.ensure(r.address, lambda: self.find_tagged("get_apis", "Items", r.address, "ApiId"),
                             lambda: self.c.once.create_api(Name=self.graph.title or self.graph.stage,
                                                            ProtocolType="HTTP", Tags=self.tags(r.address))["ApiId"])
        self.record(r.address, api_id, pending=("Body",))
        self.c.read.reimport_api(ApiId=api_id, Body=body_bytes(self).decode())
        return api_id

    def update_api(self, r: Resource, action: Action) -> str:
        self.c.read.reimport_api(ApiId=self.api_id, Body=body_bytes(self).decode())
        return self.api_id

    def delete_api(self, address: str, physical_id: str) -> None:
        self.gone_ok(lambda: self.c.read.delete_api(ApiId=physical_id))

    def create_deployment(self, r: Resource) -> str:
        description = r.properties["Description"]

        def find() -> str | None:
            items = pages(self.c.read, "get_deployments", "Items", ApiId=self.api_id)
            return next((d["DeploymentId"] for d in items if d.get("Description") == description), None)

        return self.ensure(r.address, find, lambda: self.c.once.create_deployment(
            ApiId=self.api_id, Description=description)["DeploymentId"])

    def update_deployment(self, r: Resource, action: Action) -> str:
        return self.physical[r.address]

    def delete_deployment(self, address: str, physical_id: str) -> None:
        if "HttpApi" in self.physical:
            self.gone_ok(lambda: self.c.read.delete_deployment(ApiId=self.api_id, DeploymentId=physical_id))

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
        args["Tags"] = self.tags(r.address, p.get("Tags"))

        def find() -> str | None:
            return p["StageName"] if get_or_none(self.c.read.get_stage, ApiId=self.api_id,
                                               StageName=p["StageName"]) else None

        self.ensure(r.address, find, lambda: self.c.once.create_stage(**args)["StageName"])
        if r.address in self.adopted:
            self.converge_adopted(r, p["StageName"])
        return p["StageName"]

    def update_stage(self, r: Resource, action: Action | None) -> str:
        p = self.resolve(r.properties)
        self.c.read.update_stage(**self._stage_args(p))
        return p["StageName"]

    def delete_stage(self, address: str, physical_id: str) -> None:
        if "HttpApi" in self.physical:
            self.gone_ok(lambda: self.c.read.delete_stage(ApiId=self.api_id, StageName=physical_id))

    def create_domainname(self, r: Resource) -> str:
        p = r.properties
        name = p["DomainName"]

        def find() -> str | None:
            domain = get_or_none(self.c.read.get_domain_name, DomainName=name)
            if domain is None:
                return None
            if not has_identity(domain, identity(self.graph, r.address)):
                raise DeployError(f"the custom domain {name} already exists and apictl did not create it for this "
                                  "stage: record it with `apictl import`, or remove it")
            return name

        self.ensure(r.address, find, lambda: self.c.once.create_domain_name(
            DomainName=name, DomainNameConfigurations=p["DomainNameConfigurations"],
            Tags=self.tags(r.address))["DomainName"])
        if r.address in self.adopted:
            self.converge_adopted(r, name)
        return name

    def update_domainname(self, r: Resource, action: Action | None) -> str:
        p = r.properties
        self.c.read.update_domain_name(DomainName=p["DomainName"],
                                       DomainNameConfigurations=p["DomainNameConfigurations"])
        return p["DomainName"]

    def delete_domainname(self, address: str, physical_id: str) -> None:
        self.gone_ok(lambda: self.c.read.delete_domain_name(DomainName=physical_id))

    def create_apimapping(self, r: Resource) -> str:
        p = self.resolve(r.properties)
        key = p.get("ApiMappingKey", "")
        args = {"ApiId": p["ApiId"], "DomainName": p["DomainName"], "Stage": p["Stage"]}
        if key:
            args["ApiMappingKey"] = key

        def find() -> str | None:
            for m in pages(self.c.read, "get_api_mappings", "Items", DomainName=p["DomainName"]):
                if (m.get("ApiMappingKey") or "") == key:
                    if m.get("ApiId") != p["ApiId"]:
                        raise DeployError(f"the mapping '{key}' of {p['DomainName']} belongs to another API "
                                          f"({m.get('ApiId')})")
                    return f"{p['DomainName']}/{m['ApiMappingId']}"
            return None

        physical = self.ensure(r.address, find, lambda: f"{p['DomainName']}/"
                               + self.c.once.create_api_mapping(**args)["ApiMappingId"])
        if r.address in self.adopted:
            self.converge_adopted(r, physical)
        return physical

    def update_apimapping(self, r: Resource, action: Action | None) -> str:
        p = self.resolve(r.properties)
        domain, _, mapping_id = self.physical[r.address].partition("/")
        args = {"ApiId": p["ApiId"], "ApiMappingId": mapping_id, "DomainName": domain, "Stage": p["Stage"]}
        if "ApiMappingKey" in p:
            args["ApiMappingKey"] = p["ApiMappingKey"]
        self.c.read.update_api_mapping(**args)
        return self.physical[r.address]

    def delete_apimapping(self, address: str, physical_id: str) -> None:
        domain, _, mapping_id = physical_id.partition("/")
        self.gone_ok(lambda: self.c.read.delete_api_mapping(ApiMappingId=mapping_id, DomainName=domain))
