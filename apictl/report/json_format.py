"""Machine-readable JSON: stable keys, sorted items."""
from __future__ import annotations

from .. import __version__
from .item import Report
from .json_text import dumps_indented


def render(report: Report) -> str:
    payload = {
        "tool": "apictl",
        "version": __version__,
        "kind": report.tool,
        "summary": report.counts(),
        "files": report.files,
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
