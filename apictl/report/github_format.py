"""GitHub Actions workflow commands: one annotation per item."""
from __future__ import annotations

from .item import Report, ReportItem, operations

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}
_OPERATIONS_IN_TITLE = 3


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _title(item: ReportItem) -> str:
    """The id, and for a diff change the operation(s) it affects: 'response-property-removed (GET /pets)'."""
    ops = operations(item)
    if not ops:
        return item.id
    shown = ", ".join(ops[:_OPERATIONS_IN_TITLE])
    more = len(ops) - _OPERATIONS_IN_TITLE
    return f"{item.id} ({shown}{f' and {more} more' if more > 0 else ''})"


def render(report: Report) -> str:
    lines = []
    for item in report.items:
        file = item.file.split(":", 2)[-1] if item.file.startswith("git:") else item.file
        props = f"file={_escape_property(file)},line={item.line},col={item.column},title={_escape_property(_title(item))}"
        ops = operations(item)
        message = f"{', '.join(ops)}: {item.message}" if len(ops) > _OPERATIONS_IN_TITLE else item.message
        lines.append(f"::{_COMMAND.get(item.level, 'warning')} {props}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")
