"""What every API Gateway rule shares: the extension index and schemas (data files in schemas/,
loaded and compiled once, on first use), where extensions sit in a spec, and static values of
CloudFormation intrinsics.

Placements (see schemas/index.json): root, path-item, operation, security-scheme, components,
servers-entry, tags-entry.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, NamedTuple

from ..lazy_re import lazy_compile
from ..model.api import ANY_METHOD, EXTENSION_PREFIX, Api
from ..record import Value
from ..source.document import Document
from ..source.intrinsics import branch_label, is_intrinsic, substitute

SCHEMA_FOLDER = Path(__file__).parent / "schemas"
REFERENCE = "gateway-extensions.md"

# ${stageVariables.x}, $stageVariables.x, stageVariables.x, $stageVariables['x'], ${!stageVariables.x} (Fn::Sub escape)
STAGE_VARIABLE = lazy_compile(r"""(?<![A-Za-z0-9_.])\$?\{?!?stageVariables(?:\.([A-Za-z0-9_]+)|\[['"]([A-Za-z0-9_]+)['"]\])""")
PLACEHOLDER = lazy_compile(r"\$\{[^}]*\}")


class ExtensionInfo(NamedTuple):
    """An x-amazon-apigateway-* extension: its schema, where it may appear, for which APIs. (A NamedTuple, not
    a frozen dataclass: it is defined by every validate of an API Gateway spec, and ~1 ms cheaper to define.)"""

    name: str
    schema_file: str
    placement: tuple[str, ...]
    placement_oas2: tuple[str, ...]
    api_types: tuple[str, ...]
    section: str

    def placements(self, major: str) -> tuple[str, ...]:
        return self.placement_oas2 if major == "2.0" and self.placement_oas2 else self.placement


@lru_cache(maxsize=1)
def extension_index() -> dict[str, ExtensionInfo]:
    raw = json.loads((SCHEMA_FOLDER / "index.json").read_text(encoding="utf-8"))
    return {
        name: ExtensionInfo(name, e["schema"], tuple(e["placement"]), tuple(e.get("placement_oas2", ())),
                            tuple(e["api_types"]), e["section"])
        for name, e in raw["extensions"].items()
    }


SCHEMA_BASE_URI = "https://apictl.invalid/schemas/"  # never fetched: every schema file is in the registry


def load_schema(file_name: str) -> dict:
    return _schema_files()[file_name]


@lru_cache(maxsize=1)
def _schema_files() -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMA_FOLDER.glob("*.json"))
            if p.name != "index.json"}


@lru_cache(maxsize=1)
def schema_registry():
    """Every schema file under its own URI, so ``{"$ref": "integration.json"}`` (and the ``#/$defs/...``
    inside the file it names) resolves the way it reads."""
    import jsonschema_rs

    return jsonschema_rs.Registry([(SCHEMA_BASE_URI + name, schema) for name, schema in _schema_files().items()])


@lru_cache(maxsize=None)
def extension_validator(name: str):
    import jsonschema_rs

    file_name = extension_index()[name].schema_file
    return jsonschema_rs.validator_for(load_schema(file_name), registry=schema_registry(),
                                       base_uri=SCHEMA_BASE_URI + file_name)


class Site(Value):
    """A node where API Gateway reads extensions."""

    _fields = ("placement", "document", "pointer", "node", "branch")

    def __init__(self, placement: str, document: Document, pointer: tuple, node: dict, branch: tuple = ()):
        self.placement = placement
        self.document = document
        self.pointer = pointer
        self.node = node
        self.branch = branch  # the Fn::If choices it sits under (source.intrinsics.Choice)

    def where(self, message: str) -> str:
        """The message, naming the Fn::If branch the site is in (if any)."""
        return f"{message} ({branch_label(self.branch)})" if self.branch else message


def extension_sites(api: Api) -> list[Site]:
    doc = api.document
    data = api.data
    sites = [Site("root", doc, (), data)]
    sites += [Site("path-item", item_doc, item_ptr, node, branch)
              for _, item_doc, item_ptr, node, branch in api.path_items()]
    sites += [Site("operation", op.document, op.pointer, op.node, op.branch) for op in api.operations]
    sites += [Site("security-scheme", s.document, s.pointer, s.node) for s in api.security_schemes.values()]
    if isinstance(data.get("components"), dict):
        sites.append(Site("components", doc, ("components",), data["components"]))
    for key, placement in (("servers", "servers-entry"), ("tags", "tags-entry")):
        entries = data.get(key)
        if isinstance(entries, list):
            sites += [Site(placement, doc, (key, i), e) for i, e in enumerate(entries) if isinstance(e, dict)]
    return sites


_SKIP_VALUES = {"example", "examples", "default", "enum", "const"}


def extension_keys(document: Document) -> Iterator[tuple[tuple, str]]:
    """(container pointer, key) of every x-amazon-apigateway-* key in a document (not inside extension values
    or examples), from what the loader's walk recorded."""
    for pointer, key in document.extensions:
        if not any(type(seg) is str and (seg in _SKIP_VALUES or (seg.startswith(EXTENSION_PREFIX) and seg != ANY_METHOD))
                   for seg in pointer):
            yield pointer, key


def resolve_intrinsics(value: Any, params: dict[str, str]) -> Any:
    """A copy with every intrinsic that can be worked out statically replaced by its value."""
    if is_intrinsic(value):
        resolved = substitute(value, params)
        return value if resolved is None else resolved
    if isinstance(value, dict):
        return {k: resolve_intrinsics(v, params) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_intrinsics(v, params) for v in value]
    return value


def static_text(value: Any, params: dict[str, str]) -> str | None:
    """A string value as far as it is known: plain strings as they are; ``Fn::Sub`` with the known
    ``${KEY}``s filled in and the others left as ``${...}`` placeholders; None if not a string."""
    if isinstance(value, str):
        return value
    resolved = substitute(value, params)
    if isinstance(resolved, str):
        return resolved
    if is_intrinsic(value) and "Fn::Sub" in value:
        arg = value["Fn::Sub"]
        template = arg if isinstance(arg, str) else arg[0] if isinstance(arg, list) and arg and isinstance(arg[0], str) else None
        if template is None:
            return None
        return PLACEHOLDER.sub(lambda m: params.get(m.group(0)[2:-1].strip(), m.group(0)), template)
    return None


def strings_in(node: Any, pointer: tuple) -> Iterator[tuple[tuple, str]]:
    """(pointer, text) of every string value in a node, including ``Fn::Sub`` templates."""
    if isinstance(node, str):
        yield pointer, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from strings_in(value, pointer + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from strings_in(value, pointer + (i,))


def rationale(section: str, text: str) -> str:
    return f"{text} (reference: {REFERENCE} section {section})"


# Every REST API has the models Empty and Error from its creation: import resolves a $ref to them without the
# document defining them (AWS's own samples rely on it)
BUILTIN_MODELS = ("Empty", "Error")


def builtin_model_ref(api: Api, document: Document, ref: str) -> bool:
    """A $ref to a built-in REST model that the document does not define, which API Gateway resolves."""
    if not (api.targets_gateway and api.api_type == "rest" and document is api.document):
        return False
    return ref in {f"#/{'/'.join(api.schemas_pointer)}/{name}" for name in BUILTIN_MODELS}
