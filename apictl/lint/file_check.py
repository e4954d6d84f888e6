"""Validate one input (a spec, a template, git:REF:path): what validate needs from it, as plain data that
crosses process boundaries (a worker of the pool) and is stored by the result cache."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..config import Config
from ..record import Value
from ..report.item import ReportItem
from ..source.errors import InputError


class FileSettings(Value):
    """Everything a file's result depends on besides the file itself (picklable: sent to each worker once)."""

    _fields = ("config", "api_type", "params", "allow_remote", "root", "max_bytes", "baseline")

    def __init__(self, config: Config, api_type: str | None = None, params: dict[str, str] | None = None,
                 allow_remote: bool = False, root: str | None = None, max_bytes: int = 64 * 1024 * 1024,
                 baseline: frozenset[str] = frozenset()):
        self.config = config
        self.api_type = api_type
        self.params = {} if params is None else params
        self.allow_remote = allow_remote
        self.root = root
        self.max_bytes = max_bytes
        self.baseline = baseline


class FileResult(Value):
    """Everything validate reports about one input file (picklable and cacheable)."""

    _fields = ("name", "errors", "checked", "notes", "api_types", "items", "suppressed", "files_read")

    def __init__(self, name: str, errors: list[tuple[str, str | None, int | None, int | None]] | None = None,
                 checked: bool = False, notes: list[str] | None = None, api_types: list[str] | None = None,
                 items: list[ReportItem] | None = None, suppressed: int = 0, files_read: list[str] | None = None):
        self.name = name
        self.errors = [] if errors is None else errors  # InputError fields
        self.checked = checked  # counted among the files checked (a skipped non-OpenAPI file is not)
        self.notes = [] if notes is None else notes  # for text output: "no API found"...
        self.api_types = [] if api_types is None else api_types  # "<label>: REST API (reason)", one per API
        self.items = [] if items is None else items  # the findings, sorted as lint sorts them
        self.suppressed = suppressed
        self.files_read = [] if files_read is None else files_read  # local files of its APIs ($refs too): never an output

    def input_errors(self) -> list[InputError]:
        return [InputError(*fields) for fields in self.errors]

    def to_json(self) -> dict:
        """Plain JSON-able data (what from_json reads back)."""
        return {"name": self.name, "errors": [list(e) for e in self.errors], "checked": self.checked,
                "notes": list(self.notes), "api_types": list(self.api_types),
                "items": [{k: getattr(item, k) for k in ReportItem._fields} for item in self.items],
                "suppressed": self.suppressed, "files_read": list(self.files_read)}

    @classmethod
    def from_json(cls, data: dict) -> "FileResult":
        fields = dict(data)
        fields["errors"] = [tuple(e) for e in data["errors"]]
        fields["items"] = [ReportItem(**item) for item in data["items"]]
        return cls(**fields)


_settings: FileSettings | None = None


def set_settings(settings: FileSettings) -> None:
    """Make ``settings`` the ones check_file uses in this process (the pool's initializer)."""
    global _settings
    _settings = settings


def check_file(task: tuple[str, bool]) -> FileResult:
    """Validate the input ``name``; ``only_openapi``: skip it unless it is an OpenAPI document or a template
    with APIs."""
    from ..source import open_spec
    from .engine import LintOptions, lint_source

    name, only_openapi = task
    settings = _settings
    assert settings is not None, "set_settings first"
    result = FileResult(name)
    errors: list[InputError] = []
    try:
        sources = open_spec(name, allow_remote=settings.allow_remote, root_folder=settings.root,
                            max_bytes=settings.max_bytes, errors=errors)
    except InputError as exc:
        result.errors.append(_fields(exc))
        return result
    result.errors.extend(_fields(e) for e in errors)  # a file the template names could not be read
    if only_openapi:
        sources = [s for s in sources if looks_like_openapi(s)]
        if not sources:
            return result  # pre-commit passes every YAML file: the others are not ours to mention
    result.checked = True
    if not sources and not errors:
        result.notes.append(f"{name}: no API found (a template without AWS::Serverless::Api/HttpApi, "
                            "AWS::ApiGateway::RestApi or AWS::ApiGatewayV2::Api with a body or a local DefinitionUri)")
    options = LintOptions(api_type=settings.api_type, params=settings.params)
    for source in sources:
        result.files_read.extend(str(path) for path in source.local_files())
        linted = lint_source(source, settings.config, options, set(settings.baseline))
        result.items.extend(finding_item(f) for f in linted.findings)
        result.suppressed += linted.suppressed
        result.api_types.append(f"{source.label}: {linted.api.api_type.upper()} API ({linted.api.api_type_reason})")
    return result


def finding_item(f: Any) -> ReportItem:
    from ..source import format_pointer

    line, column = f.position
    return ReportItem(id=f.rule, level=f.level, message=f.message, file=f.document.display, line=line, column=column,
                      pointer=format_pointer(f.pointer))


def looks_like_openapi(source: Any) -> bool:
    data = source.document.data
    return isinstance(data, dict) and ("openapi" in data or "swagger" in data)


def _fields(exc: InputError) -> tuple[str, str | None, int | None, int | None]:
    return (exc.message, exc.file, exc.line, exc.column)


def cacheable(name: str, settings: FileSettings) -> Path | None:
    """The local file a cached result may be keyed by (None: git revisions and remote references, whose
    content the cache cannot check)."""
    if name.startswith("git:") or settings.allow_remote:
        return None
    from ..source import paths

    path = Path(name)
    return path if paths.is_file(path) else None  # (pathlib's is_file raises on a name too long)


def settings_key(settings: FileSettings) -> dict[str, Any]:
    """What of the settings a cached result depends on, as JSON-able data."""
    from ..cache import sha256_file, source_stamp

    config = settings.config
    return {
        "code": source_stamp(("lint", "source", "model", "config.py", "stages.py", "options.py", "report/item.py")),
        "config": [str(config.path) if config.path else None, sha256_file(config.path) if config.path else None],
        "api_type": settings.api_type, "params": settings.params, "root": settings.root,
        "max_bytes": settings.max_bytes, "baseline": sorted(settings.baseline),
    }
