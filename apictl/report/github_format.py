"""GitHub Actions workflow commands: one annotation per item, and an ``::error`` per input that could not be
processed (so a failed run shows on the pull request, not only in the log).

Control and bidi characters are escaped (:func:`apictl.printable.printable`): a NUL or an escape
sequence in a spec must not reach the runner's command parser or the log. Line breaks are kept for
the command encoding (``%0A``), which is how GitHub shows multi-line messages."""
from __future__ import annotations

from ..printable import printable
from .item import Report, ReportItem, operations

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}
_OPERATIONS_IN_TITLE = 3


def _escape_data(text: str) -> str:
    return printable(text, keep="\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _file(name: str) -> str:
    return name.split(":", 2)[-1] if name.startswith("git:") else name


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
    for error in report.errors:
        props = [f"file={_escape_property(_file(error.file))}"] if error.file else []
        if error.line is not None:
            props.append(f"line={error.line}")
            if error.column is not None:
                props.append(f"col={error.column}")
        props.append("title=input-error")
        lines.append(f"::error {','.join(props)}::{_escape_data(error.message)}")
    for item in report.items:
        file = _file(item.file)
        props = f"file={_escape_property(file)},line={item.line},col={item.column},title={_escape_property(_title(item))}"
        ops = operations(item)
        message = f"{', '.join(ops)}: {item.message}" if len(ops) > _OPERATIONS_IN_TITLE else item.message
        lines.append(f"::{_COMMAND.get(item.level, 'warning')} {props}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")
