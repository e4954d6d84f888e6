"""Machine-readable JSON: stable keys, sorted items.

``errors`` lists the inputs that could not be processed (always present, empty on a clean run); they
also count in ``summary.error`` and ``summary.input_errors``, so a consumer that only reads the counts
never sees a failed run as clean."""
from __future__ import annotations

from .. import __version__
from .item import Report
from .json_text import dumps_indented


def render(report: Report) -> str:
    summary = report.counts()
    summary["error"] += len(report.errors)
    summary["input_errors"] = len(report.errors)
    payload = {
        "tool": "apictl",
        "version": __version__,
        "kind": report.tool,
        "summary": summary,
        "files": report.files,
        "errors": [
            {"message": e.message, "file": e.file, "line": e.line, "column": e.column} for e in report.errors
        ],
        "items": [
            {
                "id": i.id,
                "level": i.level,
                "message": i.message,
                "file": i.file,
                "line": i.line,
                "column": i.column,
                "pointer": i.pointer,
                **({"extra": i.extra} if i.extra else {}),
            }
            for i in report.items
        ],
    }
    if report.meta:
        payload[report.tool] = report.meta
    return dumps_indented(payload) + "\n"
