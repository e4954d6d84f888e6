"""SARIF 2.1.0, as GitHub code scanning and IDEs read it."""
from __future__ import annotations

from pathlib import Path

from .. import __version__
from .item import Report, operations
from .json_text import dumps_indented

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(file: str) -> str:
    """A URI reference (RFC 3986): relative paths percent-encoded ('#', ' ', non-ASCII), absolute ones file:."""
    from urllib.parse import quote

    if file.startswith("git:"):
        return quote(file.split(":", 2)[-1], safe="/")
    p = Path(file)
    return quote(p.as_posix(), safe="/") if not p.is_absolute() else p.as_uri()


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
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(item.file)},
                    "region": {"startLine": max(1, item.line), "startColumn": max(1, item.column)},
                },
            }],
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
            "results": results,
        }],
    }
    return dumps_indented(sarif) + "\n"
