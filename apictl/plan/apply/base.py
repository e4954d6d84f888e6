"""What every applier shares: the walk over the plan's actions, the state written after every
step, and the guarded create.

Guarded create (``ensure``): look the resource up by its identity (tags, or its unique name inside
an API apictl owns); adopt it when it is there; otherwise create it with a client that never
retries on its own; after a failure whose outcome is unknown (lost answer, cut connection, 5xx,
throttling, conflict) look again before trying again. A create is therefore never repeated
blindly, and a rerun after a crash adopts what the crashed run made.

State: written after every successful create, update and delete (``save``), so a crash at any
point leaves a state that records every resource that exists. A resource made in two calls (the
REST API and its body, a stage and its settings) is recorded after the first call with the
second call's properties left out, so the next plan shows them as still to do. A replacement that
creates the new object first records the old one as *deposed* and deletes it at the end.
"""
from __future__ import annotations

import time
from typing import Any, Callable

from ..account import Context, Known, compare
from ..aws import Clients, aws_errors, is_conflict, is_not_found, is_transient, pages
from ..identity import has_identity, identity
from ..pipeline import Desired
from ..plan import Action
from ..state import Deposed, State, state_from_graph

CREATE_ATTEMPTS = 4
BACKOFF_SECONDS = 0.25


class DeployError(Exception):
    pass


class Applier:
    api_address = ""
    readers: Any = None  # the account module of this API type (what adopted resources are compared with)

    def __init__(self, clients: Clients, desired: Desired, state: State, save: Callable[[State], None],
                 note: Callable[[str], None]):
        self.c = clients
        self.desired = desired
        self.graph = desired.graph
        self.by_address = self.graph.by_address()
        self.by_logical = self.graph.by_logical_id()
        self.done = state
        self._save = save
        self.note = note
        self.physical: dict[str, str] = {a: r.physical_id for a, r in state.resources.items() if r.physical_id}
        self.adopted: set[str] = set()
        self.observed: dict[str, dict] = {}  # address -> what the account held when it was adopted

    # -- state --------------------------------------------------------------------------------
    def record(self, address: str, physical_id: str | None, pending: tuple[str, ...] = ()) -> None:
        """Note that ``address`` exists as planned (``pending`` properties not applied yet); save."""
        if physical_id is not None:
            self.physical[address] = physical_id
        fresh = state_from_graph(self.graph, self.physical)
        entry = fresh.resources[address]
        for key in pending:
            entry.hashes.pop(key, None)
            entry.values.pop(key, None)
        self.done.resources[address] = entry
        if address == self.api_address and "Body" not in pending:
            self.done.body_sha256, self.done.body_index = fresh.body_sha256, fresh.body_index
        self.save()

    def forget(self, address: str) -> None:
        self.done.resources.pop(address, None)
        self.physical.pop(address, None)
        self.save()

    def save(self) -> None:
        order = [*self.by_address, *self.done.resources]
        self.done.resources = {a: self.done.resources[a] for a in dict.fromkeys(order) if a in self.done.resources}
        self._save(self.done)

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

    # -- guarded calls ------------------------------------------------------------------------
    def ensure(self, address: str, find: Callable[[], str | None], create: Callable[[], str]) -> str:
        """The physical id of ``address``: adopted when ``find`` sees it, else created (see module doc)."""
        last: BaseException | None = None
        for attempt in range(CREATE_ATTEMPTS):
            found = find()
            if found is not None:
                self.adopted.add(address)
                return found
            try:
                return create()
            except aws_errors() as exc:
                if not (is_transient(exc) or is_conflict(exc)):
                    raise
                last = exc
            time.sleep(BACKOFF_SECONDS * 2 ** attempt)
        found = find()
        if found is not None:
            self.adopted.add(address)
            return found
        assert last is not None
        raise last

    def converge(self, patches: Callable[[], list[dict]], send: Callable[[list[dict]], Any]) -> None:
        """Apply patches that are not idempotent (adding to a list): computed from what the account
        holds, sent once, and computed again after a failure whose outcome is unknown."""
        for attempt in range(CREATE_ATTEMPTS):
            todo = patches()
            if not todo:
                return
            try:
                send(todo)
                return
            except aws_errors() as exc:
                if not (is_transient(exc) or is_conflict(exc)) or attempt == CREATE_ATTEMPTS - 1:
                    raise
            time.sleep(BACKOFF_SECONDS * 2 ** attempt)

    def converge_adopted(self, r: Any, physical: str) -> None:
        """After adopting ``r``: read it, and update it only where it differs from the plan."""
        self.physical[r.address] = physical
        reader, readable = self.readers.READERS[r.type]
        known = {a: Known(self.by_address[a].type, self.by_address[a].logical_id, p)
                 for a, p in self.physical.items() if a in self.by_address}
        actual = reader(Context(self.c, known), physical)
        if actual is None or compare(r.properties, actual, readable):
            self.observed[r.address] = actual or {}
            getattr(self, f"update_{self.kind(r.type)}")(r, None)

    def before(self, address: str) -> dict:
        """What the resource holds before an update: as adopted, else as the state records it."""
        if address in self.observed:
            return self.observed[address]
        return self.done.resources[address].values if address in self.done.resources else {}

    @staticmethod
    def gone_ok(call: Callable[[], Any]) -> None:
        """A delete: "not found" means it is already done (a retried delete, or deleted by hand)."""
        try:
            call()
        except aws_errors() as exc:
            if not is_not_found(exc):
                raise

    def find_tagged(self, operation: str, items: str, address: str, id_key: str, **kwargs: Any) -> str | None:
        """The id of the resource tagged with ``address``'s identity (the oldest if there are several)."""
        wanted = identity(self.graph, address)
        found = [item for item in pages(self.c.read, operation, items, **kwargs) if has_identity(item, wanted)]
        if not found:
            return None
        found.sort(key=lambda item: str(item.get("createdDate") or item.get("CreatedDate") or ""))
        if len(found) > 1:
            others = ", ".join(str(item[id_key]) for item in found[1:])
            self.note(f"{address}: several resources carry its apictl identity tags; using {found[0][id_key]}, "
                      f"not {others} (delete those by hand)")
        return str(found[0][id_key])

    def tags(self, address: str, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {**(extra or {}), **identity(self.graph, address)}

    # -- the walk -----------------------------------------------------------------------------
    @staticmethod
    def kind(type_: str) -> str:
        return type_.rsplit("::", 1)[1].lower()

    def apply(self, action: Action) -> str:
        """Apply one action; returns what happened ('created', 'adopted', 'updated', ...)."""
        if action.in_body:  # applied by the import of the body, which runs first
            if action.action == "delete":
                self.forget(action.address)
            else:
                self.record(action.address, None)
            return {"create": "created", "update": "updated", "replace": "replaced", "delete": "deleted"}[action.action]
        kind = self.kind(action.type)
        if action.action == "delete":
            old = self.done.resources[action.address]
            if old.physical_id:
                getattr(self, f"delete_{kind}")(action.address, old.physical_id)
            self.forget(action.address)
            return "deleted"
        r = self.by_address[action.address]
        if action.action == "create":
            self.record(r.address, getattr(self, f"create_{kind}")(r))
            return "adopted" if r.address in self.adopted else "created"
        if action.action == "update":
            self.record(r.address, getattr(self, f"update_{kind}")(r, action))
            return "updated"
        old_id = self.physical.get(r.address)
        if action.create_before_destroy:
            new_id = getattr(self, f"create_{kind}")(r)
            if old_id and old_id != new_id:
                self.done.deposed.append(Deposed(r.address, action.type, old_id))
            self.record(r.address, new_id)
        else:
            if old_id:
                getattr(self, f"delete_{kind}")(r.address, old_id)
                self.forget(r.address)
            self.record(r.address, getattr(self, f"create_{kind}")(r))
        return "replaced"

    def delete_deposed(self) -> list[Deposed]:
        """Delete the old objects replacements left (this run's and any earlier run's)."""
        deleted = []
        for d in list(self.done.deposed):
            getattr(self, f"delete_{self.kind(d.type)}")(d.address, d.physical_id)
            self.done.deposed.remove(d)
            self.save()
            deleted.append(d)
        return deleted
