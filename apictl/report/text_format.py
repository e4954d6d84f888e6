"""Human-readable text, grouped by file; coloured when writing to a terminal."""
from __future__ import annotations

from .item import LEVEL_ORDER, Report, operations

_COLORS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_DIM, _BOLD, _RESET = "\x1b[2m", "\x1b[1m", "\x1b[0m"


def render(report: Report, color: bool = False) -> str:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    lines: list[str] = []
    if report.title:
        lines.append(paint(report.title, _BOLD))
    lines.extend(report.notes)
    by_file: dict[str, list] = {}
    for item in report.items:
        by_file.setdefault(item.file, []).append(item)
    for file, items in by_file.items():
        lines.append("")
        lines.append(paint(file, _BOLD))
        width = max(len(f"{i.line}:{i.column}") for i in items)
        for item in items:
            where = f"{item.line}:{item.column}".ljust(width)
            level = paint(item.level.ljust(7), _COLORS.get(item.level, ""))
            if item.extra.get("level_name"):  # diff: the ERR/WARN/INFO level severity files use
                level += " " + item.extra["level_name"].ljust(4)
            ops = operations(item)
            message = f"{ops[0]}: {item.message}" if ops else item.message
            lines.append(f"  {where}  {level}  {message}  {paint('[' + item.id + ']', _DIM)}")
            if len(ops) > 1:  # a change in a shared schema: every operation it affects
                lines.append(f"  {' ' * width}  {' ' * 7}  also {', '.join(ops[1:])}")
            if item.pointer:
                lines.append(f"  {' ' * width}  {' ' * 7}  {paint(item.pointer, _DIM)}")
    counts = report.counts()
    total = sum(counts.values())
    noun = {"lint": "problem", "diff": "change", "plan": "action"}.get(report.tool, "item")
    if total:
        parts = [f"{counts[k]} {k}{'s' if counts[k] != 1 else ''}" for k in sorted(counts, key=LEVEL_ORDER.get) if counts[k]]
        lines.append("")
        lines.append(f"{total} {noun}{'s' if total != 1 else ''} ({', '.join(parts)})")
    else:
        lines.append(("" if lines else "") + f"no {noun}s" + (f" in {len(report.files)} file(s)" if report.files else ""))
    return "\n".join(lines).lstrip("\n") + "\n"
