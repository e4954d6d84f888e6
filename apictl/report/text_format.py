"""Human-readable text, grouped by file; coloured when writing to a terminal.

Every string that comes from a spec or a file name goes through :func:`apictl.printable.printable`
before colour codes are added, so a spec cannot move the cursor, hide text or reorder a line."""
from __future__ import annotations

from ..printable import printable
from .item import LEVEL_ORDER, Report, operations

_COLORS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_DIM, _BOLD, _RESET = "\x1b[2m", "\x1b[1m", "\x1b[0m"


def render(report: Report, color: bool = False) -> str:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    lines: list[str] = []
    if report.title:
        lines.append(paint(printable(report.title), _BOLD))
    lines.extend(printable(note) for note in report.notes)
    for error in report.errors:  # the same line as on stderr: the report must stand alone in a file
        lines.append(f"{printable(error.where())}: {paint('error', _COLORS['error'])}: {printable(error.message)}")
    by_file: dict[str, list] = {}
    for item in report.items:
        by_file.setdefault(item.file, []).append(item)
    for file, items in by_file.items():
        lines.append("")
        lines.append(paint(printable(file), _BOLD))
        width = max(len(f"{i.line}:{i.column}") for i in items)
        for item in items:
            where = f"{item.line}:{item.column}".ljust(width)
            level = paint(item.level.ljust(7), _COLORS.get(item.level, ""))
            if item.extra.get("level_name"):  # diff: the ERR/WARN/INFO level severity files use
                level += " " + item.extra["level_name"].ljust(4)
            ops = operations(item)
            message = f"{ops[0]}: {item.message}" if ops else item.message
            lines.append(f"  {where}  {level}  {printable(message)}  {paint('[' + printable(item.id) + ']', _DIM)}")
            if len(ops) > 1:  # a change in a shared schema: every operation it affects
                lines.append(f"  {' ' * width}  {' ' * 7}  also {printable(', '.join(ops[1:]))}")
            if item.pointer:
                lines.append(f"  {' ' * width}  {' ' * 7}  {paint(printable(item.pointer), _DIM)}")
    if report.items:
        lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines).lstrip("\n") + "\n"


def summary_line(report: Report) -> str:
    """'3 problems (1 error, 2 warnings)', 'no problems in 2 file(s)'; input errors first: a run that could not
    read an input never reads as clean."""
    counts = report.counts()
    total = sum(counts.values())
    noun = {"lint": "problem", "diff": "change", "plan": "action"}.get(report.tool, "item")
    parts = []
    if report.errors:
        n = len(report.errors)
        parts.append(f"{n} input error{'s' if n != 1 else ''} (not checked)")
    if total:
        levels = [f"{counts[k]} {k}{'s' if counts[k] != 1 else ''}" for k in sorted(counts, key=LEVEL_ORDER.get)
                  if counts[k]]
        parts.append(f"{total} {noun}{'s' if total != 1 else ''} ({', '.join(levels)})")
    elif report.files:
        parts.append(f"no {noun}s in {len(report.files)} {'other ' if report.errors else ''}file(s)")
    elif not report.errors:
        parts.append(f"no {noun}s")
    return "; ".join(parts)
