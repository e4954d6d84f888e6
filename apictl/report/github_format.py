"""GitHub Actions workflow commands: one annotation per item."""
from __future__ import annotations

from .item import Report, operations

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = []
    for item in report.items:
        file = item.file.split(":", 2)[-1] if item.file.startswith("git:") else item.file
        props = f"file={_escape_property(file)},line={item.line},col={item.column},title={_escape_property(item.id)}"
        ops = operations(item)
        message = f"{', '.join(ops)}: {item.message}" if ops else item.message
        lines.append(f"::{_COMMAND.get(item.level, 'warning')} {props}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")
