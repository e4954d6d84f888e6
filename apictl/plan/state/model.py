"""State files: what was last planned (``apictl plan --write-state``) or deployed (``apictl deploy``).

A state is JSON: a format version, the API it belongs to (title, type and a fingerprint of both),
the stage, the body's hash plus a hash per operation, and per resource its type, logical id,
dependencies, a hash per property and the property values that are small enough to show in a
plan (large ones, like the body, are kept as hashes only). ``deploy`` adds physical ids, a serial
number (one more on every write) and the *deposed* objects: old physical resources that a
create-before-destroy replacement still has to delete (terraform's word and model).
Reading a state made for another API or stage is an error: planning against it would be wrong.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...output import write_file
from ...source import paths
from ...source.errors import InputError
from ..resources import OPAQUE_PROPERTIES, ResourceGraph, canonical_json, resource_refs

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
class Deposed:
    """An old physical resource a replacement made obsolete; deleted at the end of a deploy."""
    address: str
    type: str
    physical_id: str


@dataclass
class State:
    title: str
    api_type: str
    stage: str
    body_sha256: str = ""
    body_index: dict[str, str] = field(default_factory=dict)
    resources: dict[str, ResourceState] = field(default_factory=dict)
    deposed: list[Deposed] = field(default_factory=list)
    serial: int = 0

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.title, self.api_type)


def fingerprint(title: str, api_type: str) -> str:
    return hashlib.sha256(f"{api_type}\n{title}".encode()).hexdigest()[:16]


def empty_state(graph: ResourceGraph) -> State:
    """The state of a stage nothing has been deployed for yet."""
    return State(title=graph.title, api_type=graph.api_type, stage=graph.stage)


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
        "serial": state.serial,
        "body": {"sha256": state.body_sha256, "index": state.body_index},
        "resources": {
            address: {k: v for k, v in {
                "type": r.type, "logical_id": r.logical_id, "depends_on": r.depends_on, "in_body": r.in_body,
                "triggers": r.triggers, "hashes": r.hashes, "values": r.values, "physical_id": r.physical_id,
            }.items() if v not in (None, {}, [], False)}
            for address, r in state.resources.items()
        },
    }
    if state.deposed:
        payload["deposed"] = [{"address": d.address, "type": d.type, "physical_id": d.physical_id}
                              for d in state.deposed]
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_state(path: Path, state: State) -> None:
    """Write atomically and durably (see :mod:`apictl.output`): readers never see a partial state."""
    write_file(path, to_json(state), what="state file", option="--state", updating=True)


def read_state(path: Path, title: str, api_type: str, stage: str) -> State:
    """Read a local state file and check that it belongs to this API and stage."""
    where = str(path)
    if not paths.is_file(path):
        raise InputError("state file not found (start one with `apictl plan --stage NAME --state FILE --write-state`)",
                         where)
    try:
        text = read_state_text(path, where)
    except FileNotFoundError:
        raise InputError("state file not found (start one with `apictl plan --stage NAME --state FILE --write-state`)",
                         where) from None
    return parse_state(text, where, title, api_type, stage)


def read_state_text(path: Path, where: str) -> str:
    """The text of a local state file, read like any input: bounded, regular files only (a state of /dev/zero or a
    FIFO would never end), and remembered as read so that no report is written over it. FileNotFoundError when there
    is none yet."""
    from ...source.document import MAX_FILE_BYTES, read_text

    if not os.path.lexists(path):
        raise FileNotFoundError(path)
    if paths.is_dir(path):
        raise InputError("the state file is a folder", where)
    return read_text(path, where, MAX_FILE_BYTES)


def parse_state(text: str, where: str, title: str, api_type: str, stage: str) -> State:
    """A state from its JSON text (``where`` names it in errors), checked against this API and stage."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"state file is not valid JSON: {exc.msg}", where, exc.lineno, exc.colno) from None
    except RecursionError:
        raise InputError("state file nests too deeply", where, 1, 1) from None
    if not isinstance(data, dict) or data.get("tool") != "apictl" or not isinstance(data.get("resources"), dict):
        raise InputError("not an apictl state file", where)
    if data.get("version") != STATE_VERSION:
        raise InputError(f"state file version {data.get('version')!r} is not supported (expected {STATE_VERSION})",
                         where)
    api: dict = data["api"] if isinstance(data.get("api"), dict) else {}
    if api.get("fingerprint") != fingerprint(title, api_type):
        raise InputError(f"state file belongs to API '{api.get('title')}' ({str(api.get('type')).upper()}), "
                         f"not '{title}' ({api_type.upper()}); use the state file of this API", where)
    if data.get("stage") != stage:
        raise InputError(f"state file is for stage '{data.get('stage')}', not '{stage}'", where)
    body: dict = data["body"] if isinstance(data.get("body"), dict) else {}
    serial = data.get("serial", 0)
    state = State(title=title, api_type=api_type, stage=stage, body_sha256=str(body.get("sha256", "")),
                  body_index=dict(body.get("index") or {}), serial=serial if isinstance(serial, int) else 0)
    for address, r in data["resources"].items():
        if not isinstance(r, dict) or not isinstance(r.get("type"), str) or not isinstance(r.get("hashes"), dict):
            raise InputError(f"state file: resource '{address}' is malformed", where)
        physical = r.get("physical_id")
        if physical is not None and not isinstance(physical, str):
            raise InputError(f"state file: resource '{address}' has a malformed physical_id", where)
        state.resources[address] = ResourceState(
            address=address, type=r["type"], logical_id=str(r.get("logical_id", address)), hashes=r["hashes"],
            values=dict(r.get("values") or {}), triggers=dict(r.get("triggers") or {}),
            depends_on=list(r.get("depends_on") or []), in_body=bool(r.get("in_body")),
            physical_id=physical,
        )
    for d in data.get("deposed") or []:
        if not isinstance(d, dict) or not all(isinstance(d.get(k), str) for k in ("address", "type", "physical_id")):
            raise InputError("state file: a deposed object is malformed", where)
        state.deposed.append(Deposed(d["address"], d["type"], d["physical_id"]))
    return state
