"""``apictl import``: start managing an API made by hand (console, CLI, another tool).

It finds, for one stage of the plan, the resources the account already holds - the API, its stage
and current deployment, the usage plans attached to that stage and their API keys, the custom
domain and its mapping - and records them in the state with what the account says about them.
The next plan then shows only real differences: properties that differ from the config, methods
whose integration differs from the spec, resources that do not exist yet. Nothing in the account
is changed (no tags are added: recorded resources are never created again, so they need none).
"""
from __future__ import annotations

import sys
from typing import Any

from ..source.errors import InputError
from .account import Context, Known, account_body_marker, compare, operations_differ
from .account import http as http_reader
from .account import rest as rest_reader
from .aws import aws_errors, describe, get_or_none, is_credentials_error, make_clients, pages, resolve_region
from .pipeline import Desired
from .refresh import api_address, apply_body_drift, observe, spec_operations
from .resources import Resource
from .state import State, state_from_graph
from .state.store import StateStore, load, save


def adopt(desired: Desired, store: StateStore, api_id: str, region: str | None, endpoint_url: str | None,
          lock_timeout: float) -> int:
    graph = desired.graph
    region = resolve_region(region)
    with store.lock("import", lock_timeout):
        existing = load(store, graph)
        managed = [a for a, r in (existing.resources if existing else {}).items() if r.physical_id]
        if managed:
            raise InputError(f"the state already records {', '.join(managed)}: import starts the state of a stage "
                             "(use another --state, or deploy with this one)", store.label)
        service = "apigateway" if graph.api_type == "rest" else "apigatewayv2"
        clients = make_clients(service, region, endpoint_url)
        try:
            state, report = _read_account(Context(clients, {}), desired, api_id, region)
        except aws_errors() as exc:
            if is_credentials_error(exc):
                raise InputError(f"AWS credentials: {describe(exc)}") from None
            sys.stderr.write(f"apictl: error: import failed (reading the account): {describe(exc)}\n"
                             f"apictl: nothing was written to {store.label}\n")
            return 1
        if existing is not None:
            state.serial = existing.serial
        save(store, state)
    sys.stdout.write("\n".join(report) + f"\n\nWrote {store.label}: `apictl plan --stage {graph.stage} --state "
              f"{store.label}` shows what differs, `apictl deploy` makes the account match the config.\n")
    return 0


def _read_account(ctx: Context, desired: Desired, api_id: str, region: str) -> tuple[State, list[str]]:
    graph = desired.graph
    module = rest_reader if graph.api_type == "rest" else http_reader
    api = api_address(graph.api_type)
    by_address = graph.by_address()
    api_resource = by_address[api]
    if module.READERS[api_resource.type][0](ctx, api_id) is None:
        kind = "REST API" if graph.api_type == "rest" else "HTTP API"
        raise InputError(f"no {kind} with id '{api_id}' in {region}")
    ctx.known[api] = Known(api_resource.type, api_resource.logical_id, api_id)
    finder = _RestFinder(ctx, desired, api_id) if graph.api_type == "rest" else _HttpFinder(ctx, desired, api_id)
    for r in graph.resources:
        if r.address != api and not r.in_body:
            physical = finder.find(r)
            if physical is not None:
                ctx.known[r.address] = Known(r.type, r.logical_id, physical)
    account_ops = module.read_operations(ctx, api_id)
    differ = operations_differ(spec_operations(desired), account_ops)
    physical_ids = {a: k.physical_id for a, k in ctx.known.items()}
    full = state_from_graph(graph, physical_ids)
    state = State(title=graph.title, api_type=graph.api_type, stage=graph.stage, body_sha256=graph.body_sha256,
                  body_index=dict(graph.body_index))
    report = [f"Import of stage '{graph.stage}' of '{graph.title}' from {api_id}:"]
    missing = []
    for r in graph.resources:
        if r.in_body:
            if not differ:
                state.resources[r.address] = full.resources[r.address]
            continue
        if r.address not in ctx.known:
            missing.append(r.address)
            continue
        rs = full.resources[r.address]
        reader, readable = module.READERS[r.type]
        actual = reader(ctx, ctx.known[r.address].physical_id) or {}
        differences = compare(r.properties, actual, readable)
        for key, (_, after) in differences.items():
            observe(rs, key, after)
        state.resources[r.address] = rs
        note = f" (differs from the config: {', '.join(differences)})" if differences else ""
        report.append(f"  recorded {r.address} ({r.type}) {ctx.known[r.address].physical_id}{note}")
    if differ:
        apply_body_drift(state, graph, differ, account_body_marker(account_ops))
        report.append(f"  the API's methods differ from the spec ({len(differ)}: "
                      f"{', '.join(f'{s} {label}' for label, s in sorted(differ.items())[:5])}"
                      f"{', ...' if len(differ) > 5 else ''}): the next deploy puts the spec's body")
    else:
        report.append(f"  the API's methods and integrations match the spec ({len(account_ops)} methods)")
    if missing:
        report.append(f"  not in the account (the next deploy creates them): {', '.join(missing)}")
    return state, report


class _RestFinder:
    """Finds the account's counterpart of each planned REST resource around one API and stage."""

    def __init__(self, ctx: Context, desired: Desired, api_id: str):
        self.ctx, self.graph, self.api_id = ctx, desired.graph, api_id
        self.read = ctx.clients.read
        self.stage_name = desired.graph.stage
        self._plans: list[dict] | None = None

    def find(self, r: Resource) -> str | None:
        return getattr(self, "find_" + r.type.rsplit("::", 1)[1].lower(), lambda _: None)(r)

    def find_stage(self, r: Resource) -> str | None:
        stage = get_or_none(self.read.get_stage, restApiId=self.api_id, stageName=self.stage_name)
        return None if stage is None else self.stage_name

    def find_deployment(self, r: Resource) -> str | None:
        stage = get_or_none(self.read.get_stage, restApiId=self.api_id, stageName=self.stage_name)
        return stage.get("deploymentId") if stage else None

    def plans(self) -> list[dict]:
        if self._plans is None:
            self._plans = list(pages(self.read, "get_usage_plans", "items", limit=500))
        return self._plans

    def find_usageplan(self, r: Resource) -> str | None:
        linked = [p for p in self.plans() if p.get("name") == r.properties["UsagePlanName"]
                  and {"apiId": self.api_id, "stage": self.stage_name} in (p.get("apiStages") or [])]
        return linked[0]["id"] if len(linked) == 1 else None

    def find_apikey(self, r: Resource) -> str | None:
        name = r.properties["Name"]
        for plan_address, known in self.ctx.known.items():
            if known.type.endswith("::UsagePlan"):
                for key in pages(self.read, "get_usage_plan_keys", "items", usagePlanId=known.physical_id, limit=500):
                    if key.get("name") == name:
                        return key["id"]
        named = [k for k in pages(self.read, "get_api_keys", "items", nameQuery=name, limit=500)
                 if k.get("name") == name]
        return named[0]["id"] if len(named) == 1 else None

    def find_usageplankey(self, r: Resource) -> str | None:
        plan, key = (self._physical(r.properties[k]) for k in ("UsagePlanId", "KeyId"))
        if plan and key and get_or_none(self.read.get_usage_plan_key, usagePlanId=plan, keyId=key):
            return f"{plan}:{key}"
        return None

    def find_domainname(self, r: Resource) -> str | None:
        name = r.properties["DomainName"]
        return name if get_or_none(self.read.get_domain_name, domainName=name) else None

    def find_basepathmapping(self, r: Resource) -> str | None:
        domain = self._physical(r.properties["DomainName"])
        base = r.properties.get("BasePath") or "(none)"
        mapping = get_or_none(self.read.get_base_path_mapping, domainName=domain, basePath=base) if domain else None
        return f"{domain}/{base}" if mapping and mapping.get("restApiId") == self.api_id else None

    def _physical(self, ref: Any) -> str | None:
        if isinstance(ref, dict) and "Ref" in ref:
            target = self.graph.by_logical_id().get(ref["Ref"])
            return self.ctx.physical(target.address) if target else None
        return ref if isinstance(ref, str) else None


class _HttpFinder(_RestFinder):
    def find_stage(self, r: Resource) -> str | None:
        return self.stage_name if get_or_none(self.read.get_stage, ApiId=self.api_id, StageName=self.stage_name) \
            else None

    def find_deployment(self, r: Resource) -> str | None:
        stage = get_or_none(self.read.get_stage, ApiId=self.api_id, StageName=self.stage_name)
        return stage.get("DeploymentId") if stage else None

    def find_domainname(self, r: Resource) -> str | None:
        name = r.properties["DomainName"]
        return name if get_or_none(self.read.get_domain_name, DomainName=name) else None

    def find_apimapping(self, r: Resource) -> str | None:
        domain = self._physical(r.properties["DomainName"])
        if not domain:
            return None
        key = r.properties.get("ApiMappingKey", "")
        for m in pages(self.read, "get_api_mappings", "Items", DomainName=domain):
            if (m.get("ApiMappingKey") or "") == key and m.get("ApiId") == self.api_id:
                return f"{domain}/{m['ApiMappingId']}"
        return None
