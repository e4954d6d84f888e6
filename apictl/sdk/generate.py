"""Render an SDK: model -> names -> Jinja templates -> files inside ``--out``.

How a language target plugs in
==============================
A target is a module ``apictl/sdk/targets/<lang>.py`` that defines ``TARGET``, an instance of a
:class:`Target` subclass, and is listed in :data:`TARGETS` below. It provides:

* ``lang`` and ``template_dir`` (the folder under ``sdk_templates/``; ``--templates DIR`` puts a folder of
  user templates in front of it, so a user can override single files).
* ``naming``: a :class:`apictl.sdk.naming.LanguageNaming` (keywords, case styles, runtime names to avoid).
  :func:`assign_names` uses it to fill every ``.name`` of the language-neutral model (models, properties,
  enum values, operations, params, auth schemes), unique after mangling, case-insensitively, in spec order.
* ``settings(sdk, name)``: validated package-level names (package/module/artifact names, version...) as a
  dict; raise :class:`InputError` for a bad ``--name``. Everything that ends up in a file *path* must come
  from here or from ``.name`` identifiers.
* ``type_name(t)``: the language's spelling of a :class:`apictl.sdk.model.TypeRef` (templates: ``t|type``).
* ``outputs(sdk, settings)``: the files to write, as :class:`Output` (a template name plus extra template
  variables, e.g. one ``model`` per Swift/Java file; or ready ``content`` made in Python).
* ``check(files, sdk, settings)`` (optional): validate the rendered text (e.g. ``ast.parse`` every Python file)
  and raise :class:`GenerationError` on a mismatch. ``filters`` (optional): extra Jinja filters.

What templates receive
======================
``api`` (:class:`apictl.sdk.model.SdkApi`, names assigned), ``settings`` (the dict above), ``target``,
any ``Output.context`` entries, and the filters: every escaper of :data:`apictl.sdk.naming.ESCAPERS`
(``py_str py_doc py_comment js_str js_doc ts_doc json_str swift_str swift_doc java_str java_doc toml_str
xml_text md md_block one_line``), ``py_literal``/``js_literal`` for default values, and ``type``.
The environment uses ``StrictUndefined`` and no autoescape; printing a spec string
(:class:`apictl.sdk.model.SpecText`) without an escape filter raises at render time.

Writing: ``--out`` must be empty (or ``--force``); every path is checked to stay inside ``--out``; files are
written with ``\\n`` line ends, so the same spec always gives byte-identical output. The SDK is written into a
staging folder beside ``--out`` and swapped in whole, with a manifest of the generated files that ``--force``
uses to replace exactly those (:func:`apictl.output.write_tree`).
"""
from __future__ import annotations

import importlib
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable

import jinja2

from ..output import NAME_MAX, check_folder_target, long_names, write_tree
from ..progress import SDK_OPERATIONS, Tracker, progress
from ..source.errors import InputError
from ..source.workspace import parse_pointer
from .model import Model, SdkApi, SpecText, TypeRef, build_sdk_model
from .naming import ESCAPERS, LanguageNaming, Scope

TEMPLATES_ROOT = Path(__file__).resolve().parent.parent / "sdk_templates"
TARGETS = {"python": "python", "js": "js", "ios": "ios", "android": "android"}


class GenerationError(InputError):
    """The generator produced something it refuses to write (a bug or an unsupported spec construct)."""


@dataclass
class Output:
    path: str  # relative, with "/" separators
    template: str | None = None
    content: str | None = None
    context: dict[str, Any] = field(default_factory=dict)


class Target:
    lang = ""
    template_dir = ""
    naming: LanguageNaming
    filters: dict[str, Callable[..., Any]] = {}

    def settings(self, sdk: SdkApi, name: str | None) -> dict[str, Any]:
        raise GenerationError(f"target {self.lang} does not define settings()")

    def type_name(self, t: TypeRef) -> str:
        raise GenerationError(f"target {self.lang} does not define type_name()")

    def outputs(self, sdk: SdkApi, settings: dict[str, Any]) -> list[Output]:
        raise GenerationError(f"target {self.lang} does not define outputs()")

    def check(self, files: dict[str, str], sdk: SdkApi, settings: dict[str, Any]) -> None:
        return None


def load_target(lang: str) -> Target:
    module_name = TARGETS.get(lang)
    if module_name is None:
        raise InputError(f"--lang must be one of {', '.join(TARGETS)}, not '{lang}'")
    try:
        module = importlib.import_module(f"apictl.sdk.targets.{module_name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"apictl.sdk.targets.{module_name}":
            raise InputError(f"--lang {lang}: this target is not available in this build") from None
        raise
    return module.TARGET


# -- names --------------------------------------------------------------------------------------------------------
def assign_names(sdk: SdkApi, naming: LanguageNaming) -> list[str]:
    """Fill every ``.name`` of the model for one language. Returns notes about renamed identifiers."""
    notes: list[str] = []
    types = Scope(reserved=naming.keywords | naming.type_reserved)
    for model in sdk.models:
        model.name = types.claim(naming.type_name(model.raw_name))
    joiner = "_" if naming.member_case == "snake" else ""
    done: set[int] = set()

    def name_properties(model: Model) -> None:
        """Own properties get names free of the names inherited through allOf (bases are named first)."""
        if id(model) in done:
            return
        done.add(id(model))
        for base in model.bases:
            if base.model is not None:
                name_properties(base.model)
        own = {id(p) for p in model.properties}
        scope = Scope(reserved=naming.property_reserved)
        scope.taken |= {p.name.lower() for p in model.all_properties if id(p) not in own and p.name}
        for prop in model.properties:
            prop.name = scope.claim(naming.property_name(prop.wire_name), joiner)

    for model in sdk.models:
        name_properties(model)
        values = Scope()
        for value in model.values:
            value.name = values.claim(naming.enum_name(value.value), "_")
    members = Scope(reserved=naming.member_reserved)
    for op in sdk.operations:
        op.name = members.claim(naming.member_name(op.raw_name), "_" if naming.member_case == "snake" else "",
                                naming.operation_suffixes)
        params = Scope(reserved=naming.param_reserved)
        for param in op.params:
            param.name = params.claim(naming.param_name(param.wire_name),
                                      "_" if naming.param_case == "snake" else "")
    schemes = Scope()
    for scheme in sdk.auth_schemes:
        scheme.name = schemes.claim(naming.member_name(scheme.key, fallback="scheme"))
    for scope_name, scope in (("type", types), ("method", members)):
        notes.extend(f"{scope_name} name {a} is taken; using {b}" for a, b in scope.renamed)
    return notes


# -- rendering ----------------------------------------------------------------------------------------------------
def _refuse_raw_spec_text(value: Any) -> Any:
    if isinstance(value, SpecText):
        raise GenerationError(f"template prints spec text {str(value)[:40]!r} without an escape filter")
    return value


def py_literal(value: Any) -> str:
    """A Python literal for a validated default value."""
    if value is None or isinstance(value, bool) or isinstance(value, int):
        return repr(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    if isinstance(value, str):
        return ascii(str(value))
    raise GenerationError(f"cannot write {type(value).__name__} as a literal")


def js_literal(value: Any) -> str:
    """A JS literal for a validated default value."""
    if isinstance(value, float) and not math.isfinite(value):
        raise GenerationError("cannot write a non-finite number as a literal")
    if value is None or isinstance(value, (bool, int, float, str)):
        return json.dumps(str(value) if isinstance(value, str) else value, ensure_ascii=True)
    raise GenerationError(f"cannot write {type(value).__name__} as a literal")


def make_environment(target: Target, templates: Path | None) -> jinja2.Environment:
    folders = [str(templates)] if templates else []
    folders.append(str(TEMPLATES_ROOT / target.template_dir))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders), undefined=jinja2.StrictUndefined, autoescape=False,
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, finalize=_refuse_raw_spec_text,
    )
    env.filters.update(ESCAPERS)
    env.filters.update({"py_literal": py_literal, "js_literal": js_literal, "type": target.type_name})
    env.filters.update(target.filters)
    return env


def render(sdk: SdkApi, target: Target, settings: dict[str, Any], templates: Path | None = None,
           tracker: Tracker | None = None) -> dict[str, str]:
    """All files of the SDK as {relative path: text}, not yet written."""
    env = make_environment(target, templates)
    files: dict[str, str] = {}
    base = {"api": sdk, "settings": settings, "target": target}
    tracker = tracker or Tracker()
    outputs = target.outputs(sdk, settings)
    tracker.phase("Rendering", len(outputs))
    for output in outputs:
        tracker.advance(0, output.path)
        path = safe_relative_path(output.path)
        if path in files:
            raise GenerationError(f"two outputs want the same file {path}")
        if output.content is not None:
            files[path] = output.content
        else:
            try:
                template = env.get_template(output.template or path)
                files[path] = template.render({**base, **output.context})
            except jinja2.TemplateError as exc:
                where = f"{exc.filename}:{exc.lineno}" if isinstance(exc, jinja2.TemplateSyntaxError) else output.template
                raise InputError(f"template {where}: {exc.message or exc}") from None
        tracker.advance()
    tracker.phase("Checking", None)
    target.check(files, sdk, settings)
    return files


# -- writing ------------------------------------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x1f]")


def safe_relative_path(path: str) -> str:
    """Refuse absolute paths, '..', empty parts, backslashes and control characters in an output path."""
    if not path or "\\" in path or _CONTROL.search(path) or path.startswith("/") or ":" in path:
        raise GenerationError(f"unsafe output path {path!r}")
    parts = PurePosixPath(path).parts
    if any(p in ("", ".", "..") for p in parts):
        raise GenerationError(f"unsafe output path {path!r}")
    return "/".join(parts)


def check_out_dir(out: Path, force: bool) -> None:
    """Before any work: ``--out`` can take the SDK (see :func:`apictl.output.check_folder_target`)."""
    check_folder_target(out, force)


def write_files(out: Path, files: dict[str, str], force: bool = False, tracker: Tracker | None = None) -> list[Path]:
    """Swap the SDK into ``out`` whole (:func:`apictl.output.write_tree`: staging folder, manifest, atomic swap)."""
    tracker = tracker or Tracker()
    tracker.phase("Writing", len(files))
    return write_tree(out, {safe_relative_path(rel): text for rel, text in files.items()}, force=force,
                      on_file=lambda rel: tracker.advance(1, rel))


def check_file_names(api: Any, sdk: SdkApi, files: dict[str, str], out: Path) -> None:
    """A file name over the limit is refused, placed at the model's schema when a model names the file.

    Names are shortened to fit (:func:`apictl.sdk.naming.shorten`), so only a ``--templates`` output path that
    adds much to a long name gets here."""
    too_long = long_names(files)
    if not too_long:
        return
    path = too_long[0]
    stem = path.rsplit("/", 1)[-1].split(".", 1)[0]
    for model in sdk.models:
        if model.name == stem:
            document, pointer = schema_location(api, model.key)
            line, column = document.position(pointer)
            raise InputError(f"schema name too long for a file name: the {target_label(path)} file {stem[:40]}... "
                             f"would be {len(os.fsencode(path.rsplit('/', 1)[-1]))} bytes (the limit is "
                             f"{NAME_MAX}); shorten the name", document.display, line, column)
    raise InputError(f"file name too long: {path[:80]}...", str(out))


def schema_location(api: Any, key: str) -> tuple[Any, tuple]:
    """The document and pointer of a model's schema, from its key ``<document display>#<pointer>``."""
    for document in api.workspace.documents.values():
        if key.startswith(document.display + "#"):
            return document, parse_pointer(key[len(document.display) + 1:]) or ()
    return api.document, ()


def target_label(path: str) -> str:
    return {"swift": "Swift", "java": "Java", "py": "Python", "js": "JavaScript", "ts": "TypeScript"}.get(
        path.rsplit(".", 1)[-1], "generated")


@dataclass
class GenerateOptions:
    lang: str
    out: Path
    name: str | None = None
    templates: Path | None = None
    force: bool = False
    progress: bool = False  # a bar on a terminal (apictl/progress.py) for APIs of SDK_OPERATIONS or more
    include_cors: bool = False  # keep CORS preflight operations (OPTIONS with a mock integration)


@dataclass
class GenerateResult:
    files: list[Path]
    notes: list[str]


def generate(api: Any, options: GenerateOptions) -> GenerateResult:
    """Build the model of ``api`` (an :class:`apictl.model.Api`), render ``options.lang`` and write it."""
    target = load_target(options.lang)
    if options.templates is not None and not options.templates.is_dir():
        raise InputError("--templates must be a folder", str(options.templates))
    check_out_dir(options.out, options.force)
    show = options.progress and len(api.operations) >= SDK_OPERATIONS
    with progress(f"{options.lang} SDK", None, enabled=show) as tracker:
        tracker.phase(f"Modelling {len(api.operations)} operations", None)
        sdk = build_sdk_model(api, options.include_cors)
        notes = list(sdk.notes) + assign_names(sdk, target.naming)
        settings = target.settings(sdk, options.name)
        try:
            files = render(sdk, target, settings, options.templates, tracker)
        except GenerationError as exc:
            if exc.file is None:  # e.g. generated code the language's own parser refuses: the spec is the input to fix
                exc.file, exc.line, exc.column = api.document.display, 1, 1
            raise
        check_file_names(api, sdk, files, options.out)
        return GenerateResult(write_files(options.out, files, options.force, tracker), notes)


def relative_display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
