"""Python target: a pyproject package with httpx sync/async clients and pydantic v2 models.

Models come from datamodel-code-generator, fed a JSON Schema derived from the SDK model (``$defs`` keyed by
the already-unique Python class names, no descriptions or extensions, so nothing from the spec reaches it
that could be emitted as code). Identical inline schemas are given to it once (:func:`shared_models`; the other
names become aliases), and its classes derive from the package's ``_base`` models, whose validators are built on
first use: generating and importing the Stripe SDK takes seconds, not minutes. The generated module is parsed
with ``ast`` and must define exactly the classes the client expects; every other file is rendered from
sdk_templates/python/ and compiled too.
"""
from __future__ import annotations

import ast
import json
import re
from typing import Any, Callable

from ...source.errors import InputError
from ..generate import GenerationError, Output, Target
from ..model import Discriminator, Model, SdkApi, TypeRef
from ..naming import PYTHON_KEYWORDS, LanguageNaming, identifier, py_str
from ..pysyntax import compile_check

RUNTIME_NAMES = frozenset({"Any", "Optional", "List", "Dict", "Union", "Literal", "Enum", "BaseModel", "Field",
                           "RootModel", "ConfigDict", "AwareDatetime", "Annotated", "StrEnum", "IntEnum", "UUID",
                           "Decimal", "Path", "date", "datetime", "time", "timedelta", "annotations", "models",
                           "Client", "AsyncClient", "ApiResponse", "ApiError", "AwsCredentials"})
CLIENT_MEMBERS = frozenset({"close", "aclose", "base_url", "http_client", "timeout", "max_retries", "headers",
                            "api_key", "token", "username", "password", "aws_credentials", "aws_region"})
OPTION_PARAMS = frozenset({"self", "body", "content_type", "timeout", "extra_headers", "max_retries", "models",
                           "datetime", "typing", "httpx", "Any", "Mapping"})

NAMING = LanguageNaming(
    keywords=PYTHON_KEYWORDS, member_case="snake", param_case="snake", enum_case="upper_snake",
    type_reserved=RUNTIME_NAMES, member_reserved=CLIENT_MEMBERS, param_reserved=OPTION_PARAMS,
    operation_suffixes=("_raw",),
)
_PACKAGE = re.compile(r"[a-z][a-z0-9_]*\Z")
# client.py imports its modules under underscore names (``_models``, ``_datetime``, ``_httpx``): a method named
# ``models`` or ``datetime`` (made from an operation id) would otherwise shadow them in the annotations after it.
_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "date": "_datetime.date",
            "datetime": "_datetime.datetime", "binary": "bytes", "any": "Any", "null": "None"}


def python_type(t: TypeRef, *, body: bool = False, _seen: frozenset[int] = frozenset()) -> str:
    """The annotation for a type; ``body=True`` (what callers pass) also accepts plain dicts where a model is
    expected, plain values where an enum is, and any variant's value where a union is."""
    if t.kind == "array" and t.items is not None:
        text = f"list[{python_type(t.items, body=body, _seen=_seen)}]"
    elif t.kind == "map" and t.values is not None:
        text = f"dict[str, {python_type(t.values, body=body, _seen=_seen)}]"
    elif t.kind == "model" and t.model is not None:
        model = t.model
        options = [f"_models.{model.name}"]
        if body and model.kind == "object":
            options.append("dict[str, Any]")
        elif body and model.kind == "enum":
            options.append({"string": "str", "integer": "int", "number": "float", "boolean": "bool"}[
                model.value_type])
        elif body and model.kind == "union" and id(model) not in _seen:
            for variant in model.variants:
                options.extend(python_type(variant, body=True, _seen=_seen | {id(model)}).split(" | "))
        text = " | ".join(dict.fromkeys(o for o in options if o != "None"))
        if "Any" in options:
            text = "Any"
    else:
        text = _SCALARS.get(t.kind, "Any")
    if t.nullable and text not in ("Any", "None"):
        text += " | None"
    return text


# -- JSON Schema for datamodel-code-generator ------------------------------------------------------------------------
RefName = Callable[[Model], str]


def _schema(t: TypeRef, ref: RefName, *, optional: bool = False) -> dict[str, Any]:
    """``optional``: an optional property, which datamodel-code-generator types ``T | None = None`` anyway; an
    explicit ``null`` branch there changes nothing in the output but costs it a union parse (a sixth of its time
    on Stripe, where most optional properties are nullable)."""
    if t.kind == "model" and t.model is not None:
        out: dict[str, Any] = {"$ref": f"#/$defs/{ref(t.model)}"}
    elif t.kind == "array":
        out = {"type": "array", "items": _schema(t.items, ref) if t.items else {}}
    elif t.kind == "map":
        out = {"type": "object", "additionalProperties": _schema(t.values, ref) if t.values else {}}
    elif t.kind in ("date", "datetime", "binary"):
        out = {"type": "string", "format": {"date": "date", "datetime": "date-time", "binary": "binary"}[t.kind]}
    elif t.kind in ("string", "integer", "number", "boolean", "null"):
        out = {"type": t.kind}
    else:
        out = {}
    if t.nullable and t.kind not in ("any", "null") and not optional:
        return {"anyOf": [out, {"type": "null"}]}
    return out


_DEFAULT_KINDS = ("string", "integer", "number", "boolean")


def _model_schema(model: Model, ref: RefName) -> dict[str, Any]:
    """The JSON Schema of one model; ``ref(m)`` names the ``$defs`` entry of every model it refers to.

    Defaults are kept for plain strings, numbers and booleans only (datamodel-code-generator writes an enum's or a
    date's default as a bare literal, which is not of the field's type). An ``allOf`` model inherits from its bases
    unless that cannot type-check (:func:`_must_flatten`); then it gets their properties as its own."""
    if model.kind == "enum":
        return {"type": model.value_type, "enum": [v.value if not isinstance(v.value, str) else str(v.value)
                                                   for v in model.values]}
    if model.kind == "union":
        schema: dict[str, Any] = {model.union_kind: [_schema(v, ref) for v in model.variants]}
        disc = _usable_discriminator(model)
        if disc is not None:
            schema["discriminator"] = {"propertyName": str(disc.property), "mapping": {
                str(value): f"#/$defs/{ref(t.model)}" for value, t in disc.mapping if t.model is not None}}
        return schema
    flatten = bool(model.bases) and _must_flatten(model)
    properties = model.all_properties if flatten else model.properties
    props = {str(p.wire_name): _schema(p.type, ref, optional=not p.required) for p in properties}
    for p in properties:
        if p.default is not None and not p.required and p.type.kind in _DEFAULT_KINDS and not p.type.nullable:
            props[str(p.wire_name)] = {**props[str(p.wire_name)], "default": p.default}
    required = [str(p.wire_name) for p in properties if p.required]
    own: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        own["required"] = required
    if model.additional is not None:
        own["additionalProperties"] = _schema(model.additional, ref)
    if model.bases and not flatten:  # a base's own nullability does not make this model nullable
        return {"allOf": [_schema(TypeRef(b.kind, b.format, b.items, b.values, b.model), ref) for b in model.bases]
                + [own]}
    return own


def _must_flatten(model: Model) -> bool:
    """Whether an ``allOf`` model cannot be a Python subclass of its bases under ``mypy --strict``: it redeclares an
    inherited property (a narrower list, another enum class of the same values, required where the base has it
    optional), two bases declare one property with different types, or it is a discriminated-union variant whose
    discriminator property is inherited (the generator redeclares that one as a ``Literal``). Types are compared by model identity (independent of class sharing, so
    the answer is the same in every pass)."""

    def ref(target: Model) -> str:
        return str(id(target))

    seen: dict[str, str] = {}
    for base in model.bases:
        if base.model is None or base.model.kind != "object":
            continue
        for p in base.model.all_properties:
            text = json.dumps(_schema(p.type, ref), sort_keys=True)
            if seen.setdefault(str(p.wire_name), text) != text:
                return True
    own = {str(p.wire_name) for p in model.properties}
    if own & seen.keys():
        return True  # even the same type: the generator merges a redeclared field with the base's into a new type
    return any(name in seen for name in model.discriminator_values)


def _usable_discriminator(model: Model) -> Discriminator | None:
    disc = model.discriminator
    if disc and disc.mapping and all(_has_property(t.model, disc.property) for _, t in disc.mapping if t.model):
        return disc
    return None


def _has_property(model: Model | None, name: str) -> bool:
    return model is not None and model.kind == "object" and any(p.wire_name == name for p in model.all_properties)


def shared_models(sdk: SdkApi) -> dict[Model, Model]:
    """Each model -> the model whose class it shares (itself for most).

    Big specs repeat inline schemas (Stripe: the same status enum under fifty properties, the same address object
    in every request body): 5,745 models, under 2,000 distinct. Inline models whose schemas are the same,
    including what their references point to (cycles too: coarsest partition, refined until stable), share one
    class: a named schema's when one is the same, else the first one's; the others become aliases of it, so every
    name still exists. Named (component) schemas and discriminator targets keep classes of their own.
    """
    models = sdk.models
    own = {m for m in models if m.named}
    for m in models:
        disc = _usable_discriminator(m) if m.kind == "union" else None
        if disc is not None:
            own.update(t.model for _, t in disc.mapping if t.model is not None)
    refs: dict[Model, list[Model]] = {}
    shape: dict[Model, int] = {}
    shapes: dict[str, int] = {}
    group: dict[Model, int] = {}
    labels: dict[tuple[int, str], int] = {}
    for m in models:
        seen: list[Model] = []

        def placeholder(target: Model) -> str:  # the shape leaves references out; refs[m] lists them in order
            seen.append(target)
            return ""

        text = json.dumps(_model_schema(m, placeholder), sort_keys=True)
        refs[m], shape[m] = seen, shapes.setdefault(text, len(shapes))
        group[m] = labels.setdefault((shape[m], m.name if m in own else ""), len(labels))
    count = len(labels)
    while True:
        signatures: dict[tuple[int, tuple[int, ...]], int] = {}
        group = {m: signatures.setdefault((group[m], tuple(group[r] for r in refs[m])), len(signatures))
                 for m in models}
        if len(signatures) == count:
            break
        count = len(signatures)

    def key(m: Model) -> tuple[int, tuple[int, ...]]:
        return shape[m], tuple(group[r] for r in refs[m])

    same_named: dict[tuple[int, tuple[int, ...]], Model] = {}
    for m in models:
        if m in own:
            same_named.setdefault(key(m), m)
    first: dict[int, Model] = {}
    for m in models:
        if m not in own and group[m] not in first:
            first[group[m]] = same_named.get(key(m), m)
    return {m: m if m in own else first[group[m]] for m in models}


def models_json_schema(sdk: SdkApi, shared: dict[Model, Model] | None = None) -> dict[str, Any]:
    shared = shared if shared is not None else {m: m for m in sdk.models}
    defs = {model.name: _model_schema(model, lambda r: shared[r].name) for model in sdk.models
            if shared[model] is model}
    # datamodel-code-generator emits every $defs entry; the root itself becomes an empty SdkModelsRoot class.
    return {"$defs": defs, "type": "object"} if defs else {}


_REBUILD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.model_rebuild\(\)$\n?", re.M)


_DISCRIMINATED = re.compile(r"^(class \w+\(RootModel\[)(.+)(\]\):\n    root: )(.+?) = Field\(\.\.\., discriminator=('[^']*')\)$",
                            re.M)


def open_discriminated_unions(code: str) -> str:
    """A discriminated union keeps a value whose tag the spec does not list (a newer API's variant) as a plain dict
    instead of failing the whole response, like the Swift, Java and JS SDKs' unknown case. Known tags are still
    chosen by the discriminator."""
    def rewrite(m: re.Match[str]) -> str:
        return (f"{m.group(1)}{m.group(2)} | dict[str, Any]{m.group(3)}Annotated[{m.group(4)}, "
                f"Field(discriminator={m.group(5)})] | dict[str, Any] = Field(..., union_mode='left_to_right')")

    code, count = _DISCRIMINATED.subn(rewrite, code)
    if count:
        code = code.replace("from __future__ import annotations\n",
                            "from __future__ import annotations\n\nfrom typing import Annotated, Any\n"
                            "from pydantic import Field\n", 1)
    return code


def generate_models(sdk: SdkApi) -> str:
    """models.py: datamodel-code-generator's classes on the package's deferred-build bases, then the aliases.

    The bases (``_base.py``) set ``defer_build``: pydantic builds a model's validator on first use instead of at
    import, and resolves forward references then from the module, so the ``model_rebuild()`` calls
    datamodel-code-generator appends (which would build every model at import) are dropped.
    """
    if not sdk.models:
        return "from __future__ import annotations\n"
    from datamodel_code_generator import DataModelType, InputFileType, PythonVersion, generate

    shared = shared_models(sdk)
    code = generate(
        models_json_schema(sdk, shared), input_file_type=InputFileType.JsonSchema,
        output_model_type=DataModelType.PydanticV2BaseModel, target_python_version=PythonVersion.PY_311,
        disable_timestamp=True, formatters=[], class_name="SdkModelsRoot", use_subclass_enum=True,
        custom_file_header="# Generated by apictl from the spec's schemas (datamodel-code-generator). Do not edit.",
        use_union_operator=True, use_standard_collections=True, field_constraints=False,
        import_overrides={"BaseModel": "._base", "RootModel": "._base", "StrEnum": "._base", "IntEnum": "._base",
                          "Enum": "._base"},
    )
    if not isinstance(code, str):
        raise GenerationError("datamodel-code-generator returned several modules; expected one")
    code = _REBUILD.sub("", code).rstrip("\n") + "\n"
    code = open_discriminated_unions(code)
    aliases = [f"{m.name} = {shared[m].name}\n" for m in sdk.models if shared[m] is not m]
    if aliases:
        code += "\n\n# Models with the same schema share one class.\n" + "".join(aliases)
    return code


# -- the target -----------------------------------------------------------------------------------------------------
def example(t: TypeRef | None, depth: int = 0) -> str:
    """A short Python expression of type ``t`` for README examples."""
    if t is None:
        return "None"
    if t.kind == "model" and t.model is not None:
        m = t.model
        if m.kind == "enum":
            return f"models.{m.name}({_literal(m.values[0].value)})"
        if m.kind == "union":
            return example(m.variants[0], depth) if m.variants else "None"
        return f"models.{m.name}.model_validate({_dict_example(m, depth)})"
    return _plain_example(t, depth)


def _dict_example(m: Model, depth: int) -> str:
    if depth > 2:
        return "{}"
    items = [f"{py_str(p.wire_name)}: {_json_example(p.type, depth + 1)}" for p in m.all_properties
             if p.required and not p.read_only]
    return "{" + ", ".join(items) + "}"


def _json_example(t: TypeRef, depth: int) -> str:
    if t.kind == "model" and t.model is not None:
        m = t.model
        if m.kind == "enum":
            return _literal(m.values[0].value)
        if m.kind == "union":
            return _json_example(m.variants[0], depth) if m.variants else "None"
        return _dict_example(m, depth)
    if t.kind in ("date", "datetime"):
        return py_str("2024-01-31" if t.kind == "date" else "2024-01-31T12:00:00Z")
    return _plain_example(t, depth, json=True)


def _plain_example(t: TypeRef, depth: int, json: bool = False) -> str:
    if t.kind == "array":
        return "[" + (_json_example(t.items, depth + 1) if json else example(t.items, depth + 1)) + "]" \
            if t.items and depth < 3 else "[]"
    if t.kind == "map":
        return "{}"
    return {"string": '"string"', "integer": "1", "number": "1.5", "boolean": "True", "binary": 'b"..."',
            "date": "datetime.date(2024, 1, 31)", "datetime": "datetime.datetime(2024, 1, 31, 12, 0)",
            "null": "None"}.get(t.kind, "None")


def _literal(value: Any) -> str:
    return py_str(value) if isinstance(value, str) else repr(value)


class PythonTarget(Target):
    lang = "python"
    template_dir = "python"
    naming = NAMING

    def __init__(self) -> None:
        self.filters = {"py_type": python_type, "py_body_type": lambda t: python_type(t, body=True),
                        "py_example": example}

    def settings(self, sdk: SdkApi, name: str | None) -> dict[str, Any]:
        if name is not None:
            if not _PACKAGE.match(name) or name in PYTHON_KEYWORDS:
                raise InputError(f"--name '{name}' is not a Python package name (lower case letters, digits, _)")
            package = name
        else:
            package = identifier(sdk.title, "snake", PYTHON_KEYWORDS, fallback="api") + "_client"
        version = str(sdk.version)
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)*([a-z]+[0-9]*)?", version):
            version = "0.0.0"
        return {"package": package, "distribution": package.replace("_", "-"), "version": version}

    def type_name(self, t: TypeRef) -> str:
        return python_type(t)

    def outputs(self, sdk: SdkApi, settings: dict[str, Any]) -> list[Output]:
        pkg = settings["package"]
        return [
            Output("pyproject.toml", "pyproject.toml.j2"),
            Output("README.md", "README.md.j2"),
            Output(f"{pkg}/__init__.py", "__init__.py.j2"),
            Output(f"{pkg}/py.typed", content=""),
            Output(f"{pkg}/_base.py", "_base.py.j2"),
            Output(f"{pkg}/_runtime.py", "_runtime.py.j2"),
            Output(f"{pkg}/_sigv4.py", "_sigv4.py.j2"),
            Output(f"{pkg}/errors.py", "errors.py.j2"),
            Output(f"{pkg}/client.py", "client.py.j2"),
            Output(f"{pkg}/models.py", content=generate_models(sdk)),
        ]

    def check(self, files: dict[str, str], sdk: SdkApi, settings: dict[str, Any]) -> None:
        """Every .py file must compile; models.py must define exactly the model classes the client refers to.

        Only models.py is needed as a syntax tree; the other files are compiled to bytecode (never run), which checks
        the same syntax at half the cost of building an ``ast`` (the Stripe client.py is 2.6 MB).
        """
        for path, text in files.items():
            if not path.endswith(".py"):
                continue
            try:
                if not path.endswith("/models.py"):
                    compile_check(text, path)  # in pieces when large: memory stays bounded
                    continue
                tree = ast.parse(text, filename=path)
            except SyntaxError as exc:
                raise GenerationError(f"generated {path} does not parse: {exc.msg} (line {exc.lineno})") from None
            defined = {n.name for n in tree.body if isinstance(n, ast.ClassDef)} | \
                {t.id for n in tree.body if isinstance(n, (ast.Assign, ast.AnnAssign))
                 for t in (n.targets if isinstance(n, ast.Assign) else [n.target]) if isinstance(t, ast.Name)}
            missing = sorted(m.name for m in sdk.models if m.name not in defined)
            if missing:
                raise GenerationError(f"datamodel-code-generator did not produce {', '.join(missing[:5])}")


TARGET = PythonTarget()
