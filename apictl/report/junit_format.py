"""JUnit XML: a test suite per file, a failing test case per item, a passing one for a clean file."""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .item import Report, operations


def render(report: Report) -> str:
    by_file: dict[str, list] = {f: [] for f in report.files}
    for item in report.items:
        by_file.setdefault(item.file, []).append(item)
    total = sum(max(1, len(v)) for v in by_file.values())
    failures = sum(1 for i in report.items if i.level == "error")
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuites name="apictl {report.tool}" tests="{total}" failures="{failures}">']
    for file, items in by_file.items():
        fails = sum(1 for i in items if i.level == "error")
        out.append(f'  <testsuite name={quoteattr(file)} tests="{max(1, len(items))}" failures="{fails}">')
        if not items:
            out.append(f'    <testcase classname={quoteattr(file)} name="{report.tool}"/>')
        for item in items:
            name = f"{item.id} {item.pointer}".strip()
            out.append(f"    <testcase classname={quoteattr(file)} name={quoteattr(name)}>")
            tag = "failure" if item.level == "error" else "system-out"
            ops = operations(item)
            affects = f" ({', '.join(ops)})" if ops else ""
            body = escape(f"{file}:{item.line}:{item.column}: {item.level}: {item.message}{affects}")
            if tag == "failure":
                out.append(f"      <failure message={quoteattr(item.message)} type={quoteattr(item.id)}>{body}</failure>")
            else:
                out.append(f"      <system-out>{body}</system-out>")
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"
