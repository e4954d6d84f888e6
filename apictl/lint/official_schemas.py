"""The official OpenAPI JSON Schemas (the copies openapi-spec-validator bundles, read from its package folder
without importing it), compiled once per version, for a whole document or for one kind of object."""
from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path

from ..model.object_kinds import DEFINITIONS

SCHEMA_FOLDERS = {"2.0": "v2.0", "3.0": "v3.0", "3.1": "v3.1", "3.2": "v3.2"}


def schema_folder() -> Path:
    spec = importlib.util.find_spec("openapi_spec_validator")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("openapi-spec-validator is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / "schemas"


@lru_cache(maxsize=None)
def official_schema(major: str) -> dict:
    return json.loads((schema_folder() / SCHEMA_FOLDERS[major] / "schema.json").read_text(encoding="utf-8"))


def knows(major: str, kind: str) -> bool:
    return kind == "document" or kind in DEFINITIONS.get(major, {})


@lru_cache(maxsize=None)
def validator_for(major: str, kind: str = "document"):
    """The validator for a whole document, or for one kind of object (a parameter, a path item...: the
    definition the official schema itself uses for it)."""
    import jsonschema_rs

    schema = official_schema(major)
    if kind != "document":
        section = "$defs" if "$defs" in schema else "definitions"
        keep = {k: schema[k] for k in ("$id", "$schema", section) if k in schema}
        schema = {**keep, "$ref": f"#/{section}/{DEFINITIONS[major][kind]}"}
    return jsonschema_rs.validator_for(schema)


@lru_cache(maxsize=256)
def container_validator(major: str, container_path: tuple):
    """(validator, schema) for the object at ``container_path`` of the schema (the holder of a failed
    ``oneOf``), with the schema's definitions: evaluating one value against it alone is cheap."""
    import jsonschema_rs

    schema = official_schema(major)
    node = schema
    for seg in container_path:
        if isinstance(node, dict) and seg in node:
            node = node[seg]
        elif isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node):
            node = node[seg]
        else:
            return None
    if not isinstance(node, dict):
        return None
    keep = {k: schema[k] for k in ("$id", "$schema", "definitions", "$defs") if k in schema}
    container = {**keep, **node}
    try:
        return jsonschema_rs.validator_for(container), container
    except Exception:  # noqa: BLE001 - a part that does not stand alone: the summary message stays
        return None
