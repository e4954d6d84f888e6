"""Cut chosen operations out of real specs into one small OpenAPI 3.1 document (the round-trip spec).

Each operation keeps its parameters, bodies and responses exactly as published, with every component it reaches
(transitively) copied along; only its path gets a prefix (``/box/files/{file_id}``) so that operations of different
APIs cannot collide, and security requirements are dropped (the recording server checks none). Component names stay
as they are unless two specs use the same name for different schemas; then the later one gets the prefix.
OpenAPI 3.0's ``nullable`` is kept as it is: apictl reads it in 3.1 documents too.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from apictl.source import open_spec

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def _load(path: Path) -> dict:
    return open_spec(str(path))[0].workspace.root.data


def _refs(node: Any, out: list[tuple[str, str]]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/"):
            kind, _, name = ref[len("#/components/"):].partition("/")
            out.append((kind, name.replace("~1", "/").replace("~0", "~")))
        for key, value in node.items():
            if key not in ("example", "examples"):
                _refs(value, out)
    elif isinstance(node, list):
        for item in node:
            _refs(item, out)


def _rename(node: Any, names: dict[tuple[str, str], str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/components/"):
                kind, _, name = value[len("#/components/"):].partition("/")
                name = name.replace("~1", "/").replace("~0", "~")
                value = f"#/components/{kind}/{names.get((kind, name), name)}"
            elif key == "mapping" and isinstance(value, dict):
                value = {k: _rename({"$ref": v}, names)["$ref"] if isinstance(v, str) and v.startswith("#/") else v
                         for k, v in value.items()}
            elif key not in ("example", "examples"):
                value = _rename(value, names)
            out[key] = value
        return out
    if isinstance(node, list):
        return [_rename(item, names) for item in node]
    return node


def slice_specs(parts: list[tuple[Path, str, list[tuple[str, str]]]]) -> dict:
    """``parts``: (spec file, path prefix, [(method, path), ...]). Returns the merged OpenAPI 3.1 document."""
    merged: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": "Round trip", "version": "1.0.0"},
                              "paths": {}, "components": {}}
    for spec_path, prefix, operations in parts:
        spec = _load(spec_path)
        components = spec.get("components", {})
        paths: dict[str, dict] = {}
        for method, path in operations:
            item = spec["paths"][path]
            op = copy.deepcopy(item[method])
            shared = [p for p in item.get("parameters", []) if isinstance(p, dict)]
            if shared:
                own = {(p.get("name"), p.get("in")) for p in op.get("parameters", []) if isinstance(p, dict)}
                op["parameters"] = [p for p in shared if (p.get("name"), p.get("in")) not in own] + \
                    op.get("parameters", [])
            op["security"] = []
            paths.setdefault(prefix + path, {})[method] = op
        found: list[tuple[str, str]] = []
        _refs(paths, found)
        seen: set[tuple[str, str]] = set()
        while found:
            key = found.pop()
            if key in seen:
                continue
            seen.add(key)
            _refs(components[key[0]][key[1]], found)
        names = {}
        for kind, name in sorted(seen):
            taken = merged["components"].get(kind, {})
            same = name in taken and json.dumps(taken[name], sort_keys=True) == \
                json.dumps(components[kind][name], sort_keys=True)
            names[(kind, name)] = name if name not in taken or same else prefix.strip("/").title() + name
        for (kind, name), new in names.items():
            merged["components"].setdefault(kind, {})[new] = _rename(copy.deepcopy(components[kind][name]), names)
        merged["paths"].update(_rename(paths, names))
    return merged
