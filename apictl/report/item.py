"""What every report shows: lint findings, diff changes and plan actions become ReportItems."""
from __future__ import annotations

from ..record import Value

LEVEL_ORDER = {"error": 0, "warning": 1, "info": 2}


class ReportItem(Value):
    """One finding or error as every report format shows it."""

    _fields = ("id", "level", "message", "file", "line", "column", "pointer", "extra")

    def __init__(self, id: str, level: str, message: str, file: str, line: int = 1, column: int = 1,
                 pointer: str = "", extra: dict | None = None):
        self.id = id  # rule or check id
        self.level = level  # error | warning | info
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.pointer = pointer
        self.extra = {} if extra is None else extra  # e.g. {"operation": "GET /pets", "level_name": "ERR"}


def operations(item: ReportItem) -> list[str]:
    """Every operation an item affects (diff: a change in a shared schema affects many), first one first."""
    ops = item.extra.get("operations")
    if ops:
        return [str(op) for op in ops]
    return [item.extra["operation"]] if item.extra.get("operation") else []


class ReportError(Value):
    """An input the command could not process (a file that does not parse, a missing file...): the run
    failed, and every format says so (text and github an error line, JSON an ``errors`` entry, SARIF
    ``executionSuccessful: false``, JUnit an error test case)."""

    _fields = ("message", "file", "line", "column")

    def __init__(self, message: str, file: str = "", line: int | None = None, column: int | None = None):
        self.message = message
        self.file = file
        self.line = line
        self.column = column

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


class RuleInfo(Value):
    """What a report says about a rule (SARIF rule metadata)."""

    _fields = ("id", "level", "summary", "help")

    def __init__(self, id: str, level: str, summary: str, help: str = ""):
        self.id = id
        self.level = level
        self.summary = summary
        self.help = help


class Report(Value):
    """A titled list of items plus the files that were checked (for clean-file entries in JUnit)."""

    _fields = ("tool", "items", "files", "rules", "title", "notes", "meta", "errors")

    def __init__(self, tool: str, items: list[ReportItem], files: list[str] | None = None,
                 rules: dict[str, RuleInfo] | None = None, title: str = "", notes: list[str] | None = None,
                 meta: dict | None = None, errors: list[ReportError] | None = None):
        self.tool = tool  # "lint" | "diff" | "plan"
        self.items = items
        self.files = [] if files is None else files
        self.rules = {} if rules is None else rules
        self.title = title
        self.notes = [] if notes is None else notes  # lines printed before the items in text output
        self.meta = {} if meta is None else meta  # command-specific summary, under the `kind` key in JSON (plan)
        self.errors = [] if errors is None else errors  # inputs that could not be processed

    def counts(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for item in self.items:
            counts[item.level] = counts.get(item.level, 0) + 1
        return counts
