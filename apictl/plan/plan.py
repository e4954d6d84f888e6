"""Compare the desired resources with a state: create, update, replace and delete actions in
dependency order, the attributes that changed (and which of them force a replacement), what
changed inside the body, and whether the stage needs a new deployment to serve it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .resources import REPLACED_BY, Resource, ResourceGraph
from .state import Deposed, State

HIDDEN = object()  # a before-value the state keeps only as a hash


@dataclass
class AttributeChange:
    name: str
    before: Any  # HIDDEN when only the hash is known; None when absent
    after: Any  # None when removed
    before_hash: str | None
    after_hash: str | None
    forces_replacement: bool = False


@dataclass
class Action:
    action: str  # create | update | replace | delete
    address: str
    type: str
    logical_id: str
    old_logical_id: str | None = None
    changes: list[AttributeChange] = field(default_factory=list)
    in_body: bool = False
    create_before_destroy: bool = False
    origin: tuple = ()

    @property
    def symbol(self) -> str:
        if self.action == "replace":
            return "+/-" if self.create_before_destroy else "-/+"
        return {"create": "+", "update": "~", "delete": "-"}[self.action]


@dataclass
class Redeploy:
    needed: bool
    message: str
    deployment: str | None = None  # logical id of the new deployment


@dataclass
class Drift:
    """A resource changed or deleted outside apictl, found by refresh."""
    address: str
    type: str
    kind: str  # changed | deleted
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)  # (attribute, recorded, in the account)
    with_api: bool = False  # deleted because its API was
    body: list[str] = field(default_factory=list)  # operations that differ ("+ GET /x": only in the spec)


@dataclass
class Plan:
    graph: ResourceGraph
    state: State | None
    actions: list[Action]
    unchanged: list[str]
    body_changes: list[tuple[str, str]]  # ("+" | "-" | "~", "GET /pets" or a top-level key)
    redeploy: Redeploy
    drift: list[Drift] = field(default_factory=list)
    refreshed: bool = False
    deposed: list[Deposed] = field(default_factory=list)  # old objects of replacements, deleted last

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "replace": 0, "delete": 0}
        for a in self.actions:
            counts[a.action] += 1
        counts["delete"] += len(self.deposed)
        return counts

    @property
    def has_changes(self) -> bool:
        return bool(self.actions or self.deposed)


def make_plan(graph: ResourceGraph, state: State | None, drift: list[Drift] | None = None,
              refreshed: bool = False) -> Plan:
    old = state.resources if state else {}
    actions: list[Action] = []
    unchanged: list[str] = []
    for r in graph.resources:
        before = old.get(r.address)
        if before is None:
            actions.append(Action("create", r.address, r.type, r.logical_id, changes=_all_new(r), in_body=r.in_body,
                                  origin=r.origin))
            continue
        changes = _changes(r, before)
        if not changes and before.type == r.type:
            unchanged.append(r.address)
            continue
        replace = before.type != r.type or any(c.forces_replacement for c in changes)
        actions.append(Action("replace" if replace else "update", r.address, r.type, r.logical_id,
                              old_logical_id=before.logical_id if before.logical_id != r.logical_id else None,
                              changes=changes, in_body=r.in_body, create_before_destroy=replace and bool(r.triggers),
                              origin=r.origin))
    desired = graph.by_address()
    gone = [address for address in old if address not in desired]
    for address in _dependents_first(gone, state):
        gone_r = old[address]
        actions.append(Action("delete", address, gone_r.type, gone_r.logical_id, in_body=gone_r.in_body, changes=[
            AttributeChange(k, gone_r.values.get(k, HIDDEN), None, h, None) for k, h in gone_r.hashes.items()]))
    body_changes = _body_changes(graph, state)
    return Plan(graph, state, actions, unchanged, body_changes, _redeploy(graph, state, actions),
                drift=list(drift or []), refreshed=refreshed, deposed=list(state.deposed) if state else [])


def _all_new(r: Resource) -> list[AttributeChange]:
    hashes = r.property_hashes()
    return [AttributeChange(k, None, v, None, hashes[k]) for k, v in r.properties.items()]


def _changes(r: Resource, before) -> list[AttributeChange]:
    replaced_by = REPLACED_BY.get(r.type, ())
    hashes = r.property_hashes()
    out = []
    for key in [*r.properties, *(k for k in before.hashes if k not in r.properties)]:
        after_hash = hashes.get(key)
        before_hash = before.hashes.get(key)
        if after_hash == before_hash:
            continue
        before_value = before.values.get(key, HIDDEN) if before_hash else None
        out.append(AttributeChange(key, before_value, r.properties.get(key), before_hash, after_hash,
                                   forces_replacement=key in replaced_by))
    for key in sorted(set(r.triggers) | set(before.triggers)):
        if r.triggers.get(key) != before.triggers.get(key):
            out.append(AttributeChange(f"triggers.{key}", before.triggers.get(key), r.triggers.get(key),
                                       before.triggers.get(key), r.triggers.get(key), forces_replacement=True))
    return out


def _dependents_first(addresses: list[str], state: State | None) -> list[str]:
    """Deletion order: a resource before the resources it depends on (reverse dependency order)."""
    if not state:
        return []
    chosen = set(addresses)
    ordered: list[str] = []
    seen: set[str] = set()

    def visit(address: str) -> None:
        if address in seen:
            return
        seen.add(address)
        for dep in state.resources[address].depends_on:
            if dep in chosen:
                visit(dep)
        ordered.append(address)

    for address in addresses:
        visit(address)
    return list(reversed(ordered))


def _body_changes(graph: ResourceGraph, state: State | None) -> list[tuple[str, str]]:
    if state is None or state.body_sha256 == graph.body_sha256:
        return []
    before, after = state.body_index, graph.body_index
    out = []
    for key in sorted(set(before) | set(after), key=lambda k: (" " not in k, k)):
        if key not in before:
            out.append(("+", key))
        elif key not in after:
            out.append(("-", key))
        elif before[key] != after[key]:
            out.append(("~", key))
    return out


def _redeploy(graph: ResourceGraph, state: State | None, actions: list[Action]) -> Redeploy:
    stage = graph.stage
    deployment = next((r for r in graph.resources if r.address == "Deployment"), None)
    stage_res = next((r for r in graph.resources if r.address == "Stage"), None)
    auto = bool(stage_res and stage_res.properties.get("AutoDeploy"))
    if state is not None and state.body_sha256 == graph.body_sha256:
        return Redeploy(False, f"the API definition is unchanged: stage '{stage}' keeps its deployment")
    if auto:
        return Redeploy(False, f"AutoDeploy is on: stage '{stage}' serves the new definition as soon as the API "
                               "is updated (no deployment resource needed)")
    if deployment is None:
        return Redeploy(True, f"the definition changed but nothing redeploys stage '{stage}': it keeps serving "
                              "the old definition until a new deployment is created")
    new = deployment.logical_id
    if state is None or "Deployment" not in state.resources:
        return Redeploy(True, f"a first deployment ({new}) snapshots the definition and stage '{stage}' serves it",
                        new)
    return Redeploy(True, f"the definition changed (sha256 {state.body_sha256[:12]} -> {graph.body_sha256[:12]}): a new "
                          f"deployment {new} is created and stage '{stage}' is pointed at it; without it the stage "
                          "would keep serving the old definition (deployments are immutable snapshots)", new)
