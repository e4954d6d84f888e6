"""Breaking-change checks: ids and levels as tables, one module per family.

Ids follow oasdiff's grammar (``<direction>-<where>-<what>-<verb>``, e.g.
``request-property-max-length-decreased``) and, where oasdiff has the same check, its id and level,
so a severity file written for oasdiff maps 1:1. Levels: ``ERR`` (breaks clients), ``WARN`` (may
break; the spec does not say enough to decide), ``INFO`` (does not break).

The level of a schema check is not written per keyword: it follows from the direction and from the
way the change moves the set of accepted values (``level_for``), plus a short list of deliberate
exceptions kept in ``LEVEL_EXCEPTIONS`` with the reason for each.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any, Callable, Iterator

from ..compare import BOTH, NARROW, NEUTRAL, SET, UNKNOWN, WIDEN

if TYPE_CHECKING:
    from ...source.document import Document
    from ..context import DiffContext

ERR, WARN, INFO = "ERR", "WARN", "INFO"
LEVELS = (ERR, WARN, INFO)
LEVEL_RANK = {ERR: 3, WARN: 2, INFO: 1, "NONE": 0}
REPORT_LEVEL = {ERR: "error", WARN: "warning", INFO: "info"}

# Contravariance, decided once: in a request, accepting fewer values breaks clients that send
# them; in a response, producing more values breaks clients that do not expect them.
#   effect   -> (level in a request, level in a response)
_CONTRAVARIANCE = {
    NARROW: (ERR, INFO),
    WIDEN: (INFO, ERR),
    BOTH: (ERR, ERR),
    UNKNOWN: (WARN, INFO),  # e.g. a changed regex: superset-ness is not decided
    SET: (WARN, INFO),  # a bound that did not exist: narrows, but usually states what the server did anyway
    NEUTRAL: (INFO, INFO),
}


def level_for(direction: str, effect: str) -> str:
    request, response = _CONTRAVARIANCE[effect]
    return request if direction == "request" else response


@dataclass(frozen=True)
class Check:
    id: str
    level: str
    family: str
    summary: str


@dataclass
class Change:
    """One reported change: a check id plus where it is."""

    id: str
    message: str
    at: tuple["Document", tuple] | None  # revision side, or base side for removals
    operation: str = ""  # "GET /pets/{id}"; "" for changes outside operations
    extra: dict[str, Any] = field(default_factory=dict)
    # every operation the change affects, ``operation`` first (a shared schema reaches many)
    operations: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.operations and self.operation:
            self.operations = [self.operation]

    @property
    def method(self) -> str:
        return self.operation.split(" ", 1)[0] if self.operation else ""

    @property
    def path(self) -> str:
        return self.operation.split(" ", 1)[1] if " " in self.operation else ""


CHECKS: dict[str, Check] = {}
# ids apictl used before taking oasdiff's name: severity and ignore files that name them keep working
FORMER_IDS = {"api-sunset-parse": "api-path-sunset-parse"}
# families with a run(ctx), in report order; "schema" reports every schema root the others compare
RUNNERS = ("endpoints", "parameters", "request_body", "responses", "schema", "security")


def declare(family: str, rows: list[tuple[str, str, str]]) -> None:
    """Register (id, level, summary) rows of one family."""
    for check_id, level, summary in rows:
        if check_id in CHECKS:
            raise ValueError(f"check {check_id} declared twice")
        if level not in LEVELS:
            raise ValueError(f"check {check_id}: bad level {level}")
        CHECKS[check_id] = Check(check_id, level, family, summary)


def _modules() -> list:
    modules = [import_module(f".{family}", __name__) for family in RUNNERS]
    return [*modules, import_module("..gateway", __name__), import_module("..stage_settings", __name__)]


def load_all_checks() -> None:
    _modules()


def run_all(ctx: "DiffContext") -> Iterator[Change]:
    for module in _modules():
        yield from module.run(ctx)


def media_type_changes(old: dict, new: dict, label: str, ids: tuple[str, str, str, str],
                       say: Callable[[str, str], str]) -> Iterator[Change]:
    """Media types removed/added under one body or response, and schemas appearing/vanishing under a kept one.

    ``ids`` are the (removed, added, schema-added, schema-removed) check ids; ``say(name, what)`` words the message.
    """
    removed, added, schema_added, schema_removed = ids
    for name in sorted(old.keys() - new.keys()):
        yield Change(removed, say(name, "removed"), old[name].at, label)
    for name in sorted(new.keys() - old.keys()):
        yield Change(added, say(name, "added"), new[name].at, label)
    for name in sorted(old.keys() & new.keys()):
        was, now = old[name].schema, new[name].schema
        if was is None and now is not None:
            yield Change(schema_added, say(name, "schema added"), new[name].at, label)
        elif was is not None and now is None:
            yield Change(schema_removed, say(name, "schema removed"), new[name].at, label)
