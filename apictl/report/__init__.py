"""One formatter per output format, shared by lint, diff and plan."""
from __future__ import annotations

from importlib import import_module

from .item import Report, ReportError, ReportItem, RuleInfo

FORMATS = ("text", "json", "sarif", "github", "junit", "markdown")

__all__ = ["FORMATS", "Report", "ReportError", "ReportItem", "RuleInfo", "render"]


def render(report: Report, fmt: str, color: bool = False) -> str:
    if fmt not in FORMATS:
        raise ValueError(fmt)
    module = import_module(f".{fmt}_format", __name__)
    if fmt == "text":
        return module.render(report, color=color)
    return module.render(report)


def emit_failure(tool: str, exc: Exception, fmt: str, output, inputs=(), color: bool = False, title: str = "") -> None:
    """Write the report of a run that an input error stopped, in the format asked for, so that the failure
    shows wherever the report goes (a CI dashboard reads the file, not stderr). The caller then raises
    ``exc`` as usual (one line on stderr, exit 2). If even this report cannot be written, that is said
    on stderr too: an old report must not pass for the result of this run."""
    import sys

    from ..output import emit
    from ..source.errors import InputError

    if fmt == "text" and output is None:
        return  # the error line on stderr is the whole text report; printing it twice helps nobody
    report = Report(tool=tool, items=[], errors=[ReportError.from_exception(exc)], title=title)
    try:
        emit(render(report, fmt, color=color), output, inputs)
    except InputError as write_failure:
        if write_failure.one_line() != getattr(exc, "one_line", lambda: "")():
            sys.stderr.write(write_failure.one_line() + "\n")
