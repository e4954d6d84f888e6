"""SARIF 2.1.0, as GitHub code scanning and IDEs read it.

Every run carries one invocation: ``executionSuccessful`` is false when an input could not be
processed, and each such input is a ``toolExecutionNotifications`` entry with its position (SARIF
2.1.0 section 3.20.21), so that a scan that read nothing never looks like a clean scan."""
from __future__ import annotations

from pathlib import Path

from .. import __version__
from .item import Report, operations
from .json_text import dumps_indented

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(file: str) -> str:
    """A URI reference (RFC 3986): relative paths percent-encoded ('#', ' ', non-ASCII), absolute ones file:."""
    if file.startswith("git:"):
        file = file.split(":", 2)[-1]
    elif Path(file).is_absolute():
        return "file://" + _quote(Path(file).as_posix())
    return _quote(Path(file).as_posix())


def _quote(path: str) -> str:
    """Percent-encoded; a file name that is not UTF-8 (undecodable bytes kept as surrogates) keeps its bytes."""
    from urllib.parse import quote

    try:
        return quote(path, safe="/", errors="surrogateescape")
    except UnicodeEncodeError:
        return quote(path, safe="/", errors="backslashreplace")


def _location(file: str, line: int | None, column: int | None) -> dict:
    physical: dict = {"artifactLocation": {"uri": _uri(file)}}
    if line is not None:
        physical["region"] = {"startLine": max(1, line), "startColumn": max(1, column or 1)}
    return {"physicalLocation": physical}


def _invocation(report: Report) -> dict:
    invocation: dict = {"executionSuccessful": not report.errors}
    if report.errors:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": e.message},
             **({"locations": [_location(e.file, e.line, e.column)]} if e.file else {})}
            for e in report.errors
        ]
    return invocation


def render(report: Report) -> str:
    used = sorted({i.id for i in report.items} | set(report.rules))
    index = {rule_id: n for n, rule_id in enumerate(used)}
    rules = []
    for rule_id in used:
        info = report.rules.get(rule_id)
        entry = {"id": rule_id, "name": rule_id}
        if info:
            entry["shortDescription"] = {"text": info.summary}
            if info.help:
                entry["help"] = {"text": info.help}
            entry["defaultConfiguration"] = {"level": _LEVEL.get(info.level, "warning")}
        rules.append(entry)
    results = []
    for item in report.items:
        result = {
            "ruleId": item.id,
            "ruleIndex": index[item.id],
            "level": _LEVEL.get(item.level, "warning"),
            "message": {"text": item.message},
            "locations": [_location(item.file, item.line, item.column)],
        }
        if item.pointer:
            result["locations"][0]["logicalLocations"] = [{"fullyQualifiedName": item.pointer, "kind": "member"}]
        ops = operations(item)
        if ops:  # diff: every operation the change affects
            result["properties"] = {"operations": ops}
        results.append(result)
    sarif = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "apictl",
                "version": __version__,
                "informationUri": "https://github.com/apictl/apictl",
                "rules": rules,
            }},
            "invocations": [_invocation(report)],
            "results": results,
        }],
    }
    return dumps_indented(sarif) + "\n"
