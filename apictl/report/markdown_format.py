"""Markdown: a changelog for diffs, a table for findings and plans; inputs that could not be processed
come first, under "Input errors". Control and bidi characters are escaped (they would otherwise reach
the rendered page or the raw file unseen)."""
from __future__ import annotations

from ..printable import printable
from .item import LEVEL_ORDER, Report, operations

_HEADINGS = {
    "diff": {"error": "Breaking changes", "warning": "Changes that may break clients", "info": "Other changes"},
    "lint": {"error": "Errors", "warning": "Warnings", "info": "Notes"},
    "plan": {"error": "Replacements and deletions", "warning": "Updates", "info": "Creations"},
}


def _cell(text: str) -> str:
    return printable(text.replace("\n", " ")).replace("|", "\\|")


def render(report: Report) -> str:
    lines = [f"# {_cell(report.title or 'apictl ' + report.tool)}", ""]
    if report.errors:
        lines.append(f"## Input errors ({len(report.errors)})")
        lines.append("")
        lines.append("The run failed: these inputs could not be processed.")
        lines.append("")
        lines.append("| where | message |")
        lines.append("| --- | --- |")
        for e in report.errors:
            lines.append(f"| `{_cell(e.where())}` | {_cell(e.message)} |")
        lines.append("")
        if not report.items:
            return "\n".join(lines)
    if not report.items:
        lines.append("No changes." if report.tool == "diff" else "Nothing to report.")
        return "\n".join(lines) + "\n"
    headings = _HEADINGS.get(report.tool, _HEADINGS["lint"])
    for level in sorted({i.level for i in report.items}, key=LEVEL_ORDER.get):
        items = [i for i in report.items if i.level == level]
        lines.append(f"## {headings[level]} ({len(items)})")
        lines.append("")
        if report.tool == "diff":
            for i in items:
                ops = operations(i)
                where = ops[0] if ops else i.pointer or i.file
                lines.append(f"- **{_cell(where)}**: {_cell(i.message)} `{i.id}`")
                if len(ops) > 1:
                    lines.append(f"  - also {', '.join(f'**{_cell(op)}**' for op in ops[1:])}")
        else:
            lines.append("| where | message | id |")
            lines.append("| --- | --- | --- |")
            for i in items:
                lines.append(f"| `{_cell(i.file)}:{i.line}:{i.column}` | {_cell(i.message)} | `{i.id}` |")
        lines.append("")
    return "\n".join(lines)
