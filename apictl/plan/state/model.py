"""State files: what was last planned (``apictl plan --write-state``) or deployed (``apictl deploy``).

A state is JSON: a format version, the API it belongs to (title, type and a fingerprint of both),
the stage, the body's hash plus a hash per operation, and per resource its type, logical id,
dependencies, a hash per property and the property values that are small enough to show in a
plan (large ones, like the body, are kept as hashes only). ``deploy`` adds physical ids.
Reading a state made for another API or stage is an error: planning against it would be wrong.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..output import write_file
from ..source.errors import InputError
from .resources import OPAQUE_PROPERTIES, ResourceGraph, canonical_json, resource_refs

STATE_VERSION = 1
MAX_SHOWN_BYTES = 2048  # property values up to this size (canonical JSON) are kept to show in plans


@dataclass
class ResourceState:
    address: str
    type: str
    logical_id: str
    hashes: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    triggers: dict[str, str] = field(default_factory=dict)
    depends_on: list[str] = field(default_factory=list)
    in_body: bool = False
    physical_id: str | None = None


@dataclass
class State:
    title: str
    api_type: str
    stage: str
    body_sha256: str = ""
    body_index: dict[str, str] = field(default_factory=dict)
    resources: dict[str, ResourceState] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.title, self.api_type)


def fingerprint(title: str, api_type: str) -> str:
    return hashlib.sha256(f"{api_type}\n{title}".encode()).hexdigest()[:16]


def state_from_graph(graph: ResourceGraph, physical_ids: dict[str, str] | None = None) -> State:
    by_logical = graph.by_logical_id()
    state = State(title=graph.title, api_type=graph.api_type, stage=graph.stage, body_sha256=graph.body_sha256,
                  body_index=dict(graph.body_index))
    for r in graph.resources:
        values = {key: value for key, value in r.properties.items()
                  if key not in OPAQUE_PROPERTIES and len(canonical_json(value)) <= MAX_SHOWN_BYTES}
        deps = sorted({by_logical[d].address for d in resource_refs(r) if d in by_logical} | set(r.depends_on))
        state.resources[r.address] = ResourceState(
            address=r.address, type=r.type, logical_id=r.logical_id,
            hashes=r.property_hashes(), values=values, triggers=dict(r.triggers),
            depends_on=deps, in_body=r.in_body, physical_id=(physical_ids or {}).get(r.address),
        )
    return state


def to_json(state: State) -> str:
    payload = {
        "version": STATE_VERSION,
        "tool": "apictl",
        "api": {"title": state.title, "type": state.api_type, "fingerprint": state.fingerprint},
        "stage": state.stage,
        "body": {"sha256": state.body_sha256, "index": state.body_index},
        "resources": {
            address: {k: v for k, v in {
                "type": r.type, "logical_id": r.logical_id, "depends_on": r.depends_on, "in_body": r.in_body,
                "triggers": r.triggers, "hashes": r.hashes, "values": r.values, "physical_id": r.physical_id,
            }.items() if v not in (None, {}, [], False)}
            for address, r in state.resources.items()
        },
    }
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_state(path: Path, state: State) -> None:
    """Write atomically and durably (see :mod:`apictl.output`): readers never see a partial state."""
    write_file(path, to_json(state), what="state file")


def read_state(path: Path, title: str, api_type: str, stage: str) -> State:
    """Read a state file and check that it belongs to this API and stage."""
    where = str(path)
    if not path.is_file():
        raise InputError("state file not found (start one with `apictl plan --stage NAME --state FILE --write-state`)",
                         where)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"state file is not valid JSON: {exc.msg}", where, exc.lineno, exc.colno) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read state file: {exc}", where) from None
    if not isinstance(data, dict) or data.get("tool") != "apictl" or not isinstance(data.get("resources"), dict):
        raise InputError("not an apictl state file", where)
    if data.get("version") != STATE_VERSION:
        raise InputError(f"state file version {data.get('version')!r} is not supported (expected {STATE_VERSION})",
                         where)
    api = data.get("api") if isinstance(data.get("api"), dict) else {}
    if api.get("fingerprint") != fingerprint(title, api_type):
        raise InputError(f"state file belongs to API '{api.get('title')}' ({str(api.get('type')).upper()}), "
                         f"not '{title}' ({api_type.upper()}); use the state file of this API", where)
    if data.get("stage") != stage:
        raise InputError(f"state file is for stage '{data.get('stage')}', not '{stage}'", where)
    body = data.get("body") if isinstance(data.get("body"), dict) else {}
    state = State(title=title, api_type=api_type, stage=stage, body_sha256=str(body.get("sha256", "")),
                  body_index=dict(body.get("index") or {}))
    for address, r in data["resources"].items():
        if not isinstance(r, dict) or not isinstance(r.get("type"), str) or not isinstance(r.get("hashes"), dict):
            raise InputError(f"state file: resource '{address}' is malformed", where)
        state.resources[address] = ResourceState(
            address=address, type=r["type"], logical_id=str(r.get("logical_id", address)), hashes=r["hashes"],
            values=dict(r.get("values") or {}), triggers=dict(r.get("triggers") or {}),
            depends_on=list(r.get("depends_on") or []), in_body=bool(r.get("in_body")),
            physical_id=r.get("physical_id"),
        )
    return state
