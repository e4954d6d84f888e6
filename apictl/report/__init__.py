"""One formatter per output format, shared by lint, diff and plan."""
from __future__ import annotations

from importlib import import_module

from .item import Report, ReportItem, RuleInfo

FORMATS = ("text", "json", "sarif", "github", "junit", "markdown")

__all__ = ["FORMATS", "Report", "ReportItem", "RuleInfo", "render"]


def render(report: Report, fmt: str, color: bool = False) -> str:
    if fmt not in FORMATS:
        raise ValueError(fmt)
    module = import_module(f".{fmt}_format", __name__)
    if fmt == "text":
        return module.render(report, color=color)
    return module.render(report)
