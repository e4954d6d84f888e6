"""Refresh: read every resource a state records from the account, and say what changed outside
apictl (drift) - a stage variable edited in the console, a deleted usage plan, a deleted API, a
method added by hand.

The result is the state as the account really is: deleted resources are gone from it (so the plan
creates them again), drifted properties carry the account's values (so the plan updates them
back), and a body that no longer matches the spec gets a hash no spec has (so the plan puts the
body again and redeploys). Properties the account does not return are kept as recorded.
"""
from __future__ import annotations

import copy
from typing import Any

from .account import Context, Known, account_body_marker, compare, integration_signature, operations_differ
from .account import http as http_reader
from .account import rest as rest_reader
from .aws import Clients
from .pipeline import Desired
from .plan import Drift
from .resources import Resource, ResourceGraph, canonical_json, property_hash
from .state import MAX_SHOWN_BYTES, ResourceState, State


def readers(api_type: str) -> Any:
    return rest_reader if api_type == "rest" else http_reader


def api_address(api_type: str) -> str:
    return "RestApi" if api_type == "rest" else "HttpApi"


def refresh(clients: Clients, desired: Desired, state: State) -> tuple[State, list[Drift]]:
    """(the state as the account holds it, the drift found)."""
    graph = desired.graph
    module = readers(graph.api_type)
    new = copy.deepcopy(state)
    ctx = Context(clients, {a: Known(r.type, r.logical_id, r.physical_id)
                            for a, r in state.resources.items() if r.physical_id})
    wanted = graph.by_address()
    drift: list[Drift] = []
    for address in dependency_order(state):
        rs = new.resources[address]
        reader, readable = module.READERS.get(rs.type, (None, ()))
        if reader is None or (not rs.in_body and not rs.physical_id):
            continue  # a type apictl cannot read, or a resource recorded by a plan (no physical id)
        actual = reader(ctx, rs.physical_id or "")
        if actual is None:
            del new.resources[address]
            ctx.known.pop(address, None)
            ctx.gone.add(address)
            api_gone = api_address(graph.api_type) in ctx.gone and api_address(graph.api_type) in rs.depends_on
            drift.append(Drift(address, rs.type, "deleted", with_api=rs.in_body or api_gone))
            continue
        expected, props = expected_values(rs, wanted.get(address), readable)
        differences = compare(expected, actual, props)
        if differences:
            for key, (_, after) in differences.items():
                observe(rs, key, after)
            drift.append(Drift(address, rs.type, "changed", [(k, b, a) for k, (b, a) in differences.items()]))
    api = api_address(graph.api_type)
    if api not in new.resources:
        new.body_sha256, new.body_index = "", {}
    elif new.body_sha256 == graph.body_sha256 and ctx.physical(api):
        body_drift = _body_drift(ctx, desired, new, module.read_operations(ctx, ctx.physical(api)))
        if body_drift:
            drift.append(body_drift)
    new.deposed = [d for d in new.deposed if _exists(ctx, module, d.type, d.physical_id)]
    return new, drift


def dependency_order(state: State) -> list[str]:
    done: list[str] = []
    seen: set[str] = set()

    def visit(address: str) -> None:
        if address in seen or address not in state.resources:
            return
        seen.add(address)
        for dep in state.resources[address].depends_on:
            visit(dep)
        done.append(address)

    for address in state.resources:
        visit(address)
    return done


def expected_values(rs: ResourceState, resource: Resource | None,
                    readable: tuple[str, ...]) -> tuple[dict, tuple[str, ...]]:
    """What the state says each readable property is, and which of them can be compared: a recorded
    value, or the spec's value when the recorded hash is the spec's; a property only known by its
    hash (large values) cannot be compared."""
    expected: dict[str, Any] = {}
    props = []
    hashes = resource.property_hashes() if resource is not None else {}
    for key in readable:
        if key in rs.values:
            expected[key] = rs.values[key]
        elif key not in rs.hashes:
            pass  # absent: expected None
        elif resource is not None and hashes.get(key) == rs.hashes[key]:
            expected[key] = resource.properties[key]
        else:
            continue
        props.append(key)
    return expected, tuple(props)


def observe(rs: ResourceState, key: str, value: Any) -> None:
    """Record in a resource state that the account holds ``value`` for ``key`` (None: absent)."""
    if value is None:
        rs.hashes.pop(key, None)
        rs.values.pop(key, None)
        return
    rs.hashes[key] = property_hash(value)
    if len(canonical_json(value)) <= MAX_SHOWN_BYTES:
        rs.values[key] = value
    else:
        rs.values.pop(key, None)


def spec_operations(desired: Desired) -> dict[str, dict]:
    if desired.graph.api_type == "rest":
        return {op.label: integration_signature(op.integration) for op in desired.api.operations}
    return {op.label: ({"type": str(op.integration.get("type")).upper()}
                       if op.integration and op.integration.get("type") else {})
            for op in desired.api.operations}


def _body_drift(ctx: Context, desired: Desired, state: State, account_ops: dict[str, dict]) -> Drift | None:
    graph = desired.graph
    differ = operations_differ(spec_operations(desired), account_ops)
    if not differ:
        return None
    apply_body_drift(state, graph, differ, account_body_marker(account_ops))
    api = api_address(graph.api_type)
    listing = [f"{sym} {label}" for label, sym in sorted(differ.items(), key=lambda kv: kv[0])]
    return Drift(api, state.resources[api].type, "changed", [("Body", None, None)], body=listing)


def apply_body_drift(state: State, graph: ResourceGraph, differ: dict[str, str], marker: str) -> None:
    """The body in ``state`` becomes what the account serves: the spec's operation hashes where the
    account matches, a marker where it differs, no entry where the account lacks the operation."""
    index = {}
    for label, digest in graph.body_index.items():
        sym = differ.get(label)
        if sym is None:
            index[label] = digest
        elif sym == "~":
            index[label] = marker[:16]
    for label, sym in differ.items():
        if sym == "-":
            index[label] = marker[:16]
    state.body_sha256, state.body_index = marker, dict(sorted(index.items()))
    api = api_address(graph.api_type)
    state.resources[api].hashes["Body"] = marker[:16]
    deployment = state.resources.get("Deployment")
    if deployment is not None and "DefinitionSha256" in deployment.triggers:
        deployment.triggers["DefinitionSha256"] = marker


def _exists(ctx: Context, module: Any, type_: str, physical: str) -> bool:
    reader, _ = module.READERS.get(type_, (None, ()))
    return reader is None or reader(ctx, physical) is not None
