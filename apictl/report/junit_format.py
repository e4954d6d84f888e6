"""JUnit XML: a test suite per file, a failing test case per item, a passing one for a clean file, and an
``<error>`` test case per input that could not be processed (CI dashboards count it as a broken run).

XML 1.0 cannot carry most control characters at all, even as character references, so every string
goes through :func:`apictl.printable.printable` first (which also makes bidi controls visible)."""
from __future__ import annotations

from xml.sax.saxutils import escape as _xml_escape, quoteattr as _xml_quoteattr

from ..printable import printable
from .item import Report, operations


def escape(text: str) -> str:
    return _xml_escape(printable(text))


def quoteattr(text: str) -> str:
    return _xml_quoteattr(printable(text))


def render(report: Report) -> str:
    by_file: dict[str, list] = {f: [] for f in report.files}
    for item in report.items:
        by_file.setdefault(item.file, []).append(item)
    errors_by_file: dict[str, list] = {}
    for error in report.errors:
        errors_by_file.setdefault(error.file, []).append(error)
        by_file.setdefault(error.file, [])
    total = sum(max(1, len(v) + len(errors_by_file.get(f, ()))) for f, v in by_file.items())
    failures = sum(1 for i in report.items if i.level == "error")
    errors = len(report.errors)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuites name="apictl {report.tool}" tests="{total}" failures="{failures}" errors="{errors}">']
    for file, items in by_file.items():
        file_errors = errors_by_file.get(file, [])
        fails = sum(1 for i in items if i.level == "error")
        tests = max(1, len(items) + len(file_errors))
        out.append(f'  <testsuite name={quoteattr(file or "apictl")} tests="{tests}" failures="{fails}" '
                   f'errors="{len(file_errors)}">')
        for error in file_errors:
            out.append(f'    <testcase classname={quoteattr(file or "apictl")} name="input-error">')
            body = escape(f"{error.where()}: error: {error.message}")
            out.append(f'      <error message={quoteattr(error.message)} type="input-error">{body}</error>')
            out.append("    </testcase>")
        if not items and not file_errors:
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
