"""What every report shows: lint findings, diff changes and plan actions become ReportItems."""
from __future__ import annotations

from dataclasses import dataclass, field

LEVEL_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class ReportItem:
    """One finding or error as every report format shows it."""

    id: str  # rule or check id
    level: str  # error | warning | info
    message: str
    file: str
    line: int = 1
    column: int = 1
    pointer: str = ""
    extra: dict = field(default_factory=dict)  # e.g. {"operation": "GET /pets", "level_name": "ERR"}


def operations(item: ReportItem) -> list[str]:
    """Every operation an item affects (diff: a change in a shared schema affects many), first one first."""
    ops = item.extra.get("operations")
    if ops:
        return [str(op) for op in ops]
    return [item.extra["operation"]] if item.extra.get("operation") else []


@dataclass
class ReportError:
    """An input the command could not process (a file that does not parse, a missing file...): the run
    failed, and every format says so (text and github an error line, JSON an ``errors`` entry, SARIF
    ``executionSuccessful: false``, JUnit an error test case)."""

    message: str
    file: str = ""
    line: int | None = None
    column: int | None = None

    @classmethod
    def from_exception(cls, exc) -> "ReportError":
        """From an :class:`apictl.source.errors.InputError` (read by attribute: report stays below source)."""
        return cls(getattr(exc, "message", str(exc)), getattr(exc, "file", None) or "",
                   getattr(exc, "line", None), getattr(exc, "column", None))

    def where(self) -> str:
        """``file:line:col`` (or as much of it as is known), as in the one-line errors on stderr."""
        where = self.file or "apictl"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where


@dataclass
class RuleInfo:
    """What a report says about a rule (SARIF rule metadata)."""

    id: str
    level: str
    summary: str
    help: str = ""


@dataclass
class Report:
    """A titled list of items plus the files that were checked (for clean-file entries in JUnit)."""

    tool: str  # "lint" | "diff" | "plan"
    items: list[ReportItem]
    files: list[str] = field(default_factory=list)
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    title: str = ""
    notes: list[str] = field(default_factory=list)  # lines printed before the items in text output
    meta: dict = field(default_factory=dict)  # command-specific summary, under the `kind` key in JSON (plan)
    errors: list[ReportError] = field(default_factory=list)  # inputs that could not be processed

    def counts(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for item in self.items:
            counts[item.level] = counts.get(item.level, 0) + 1
        return counts
