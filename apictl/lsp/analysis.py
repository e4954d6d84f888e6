"""Lint one API as the editor has it, with the same engine, config and rules as `apictl validate`.

The result is editor-neutral (plain dataclasses, 0-based lines and code-point columns) so it can be
computed on a worker thread and turned into LSP diagnostics by the server.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Config, find_config, load_config
from ..lint.engine import LintOptions, lint_source, read_baseline
from ..source import format_pointer, sources_in
from ..source.document import Document
from ..source.errors import InputError
from ..source.templates import find_embedded_apis, is_template
from .ranges import token_range
from .texts import OverlayReader, looks_like_api


@dataclass
class Issue:
    """One problem at one place in one file."""

    path: Path
    line: int  # 0-based
    start: int  # code points
    end_line: int
    end: int
    level: str  # error | warning | info
    message: str
    line_text: str = ""  # the text of ``line`` (to count columns in the editor's units)
    rule: str | None = None  # None: the file could not be read or the config is broken
    pointer: str = ""  # JSON pointer of the node in its file (a template's body pointer included)
    body_depth: int = 0  # how many leading segments of ``pointer`` lead to the API body (templates)


@dataclass
class ApiResult:
    """The findings of one root document (a spec, or a template with APIs), grouped by nothing yet."""

    path: Path
    files: set[Path] = field(default_factory=set)  # the root and every file its $refs reach
    issues: list[Issue] = field(default_factory=list)


class ConfigCache:
    """apictl.yaml per folder, read again when the file changes (edits show up on the next lint)."""

    def __init__(self) -> None:
        self._by_file: dict[Path, tuple[float, Config | InputError]] = {}

    def for_file(self, path: Path) -> Config | InputError:
        found = find_config(path.parent)
        if found is None:
            return Config()
        try:
            stamp = found.stat().st_mtime_ns
        except OSError:
            return Config()
        cached = self._by_file.get(found)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        outcome: Config | InputError
        try:
            outcome = _checked_config(found)
        except InputError as exc:
            outcome = exc
        self._by_file[found] = (stamp, outcome)
        return outcome


def _checked_config(path: Path) -> Config:
    """The config, with its rule ids checked as `apictl validate` checks them."""
    from ..config import check_rule_ids
    from ..lint.registry import RULES, load_all_rules

    config = load_config(path)
    load_all_rules()
    check_rule_ids(config, set(RULES))
    return config


def is_api_document(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    if "openapi" in data or "swagger" in data:
        return True
    return is_template(data) and bool(find_embedded_apis(data))


def lint_api(path: Path, texts: dict[str, str], configs: ConfigCache, part_of_api: bool = False) -> ApiResult | None:
    """Lint the API whose root file is ``path`` (its text from ``texts`` when open in the editor).
    None when the file is not an API document at all (any other YAML or JSON file). ``part_of_api``: the
    file is reached by an open API's $refs, so it is ours even when it does not look like a spec (a
    syntax error in it is reported on it)."""
    key = os.path.normpath(str(path))
    text = texts.get(key)
    result = ApiResult(path=path, files={path})
    config = configs.for_file(path)
    if isinstance(config, InputError):
        if text is not None and not looks_like_api(text):
            return None
        result.issues.append(Issue(path, 0, 0, 0, 0, "error", f"config: {config.one_line()}"))
        config = Config()
    display_base = config.path.parent if config.path else path.parent
    reader = OverlayReader(path.parent, texts, display_base)
    try:
        root = reader.load(path, reader.display(path))
    except InputError as exc:
        if text is None or not (part_of_api or looks_like_api(text)):
            return None
        line = max((exc.line or 1) - 1, 0)
        col = max((exc.column or 1) - 1, 0)
        lines = text.split("\n")
        start, end = token_range(lines, line, col)
        result.issues.append(Issue(path, line, start, line, end, "error", exc.message,
                                   lines[line] if line < len(lines) else ""))
        return result
    if not is_api_document(root.data):
        return None
    baseline: set[str] = set()
    if config.baseline is not None:
        try:
            baseline = read_baseline(config.baseline)
        except InputError as exc:
            result.issues.append(Issue(path, 0, 0, 0, 0, "warning", f"baseline not used: {exc.one_line()}"))
    options = LintOptions(params=dict(config.params))
    lines_of: dict[int, list[str]] = {}
    unreadable: list[InputError] = []  # files the template names (DefinitionUri, AWS::Include) that cannot be read
    for source in sources_in(root, reader, errors=unreadable):
        linted = lint_source(source, config, options, baseline)
        result.files.update(_files_of(source.workspace))
        for finding in linted.findings:
            result.issues.append(_issue(finding, lines_of))
    for exc in unreadable:
        line, col = max((exc.line or 1) - 1, 0), max((exc.column or 1) - 1, 0)
        lines = root.text.split("\n")
        start, end = token_range(lines, line, col)
        result.issues.append(Issue(path, line, start, line, end, "error", exc.message,
                                   lines[line] if line < len(lines) else ""))
    return result


def _files_of(workspace: Any) -> set[Path]:
    """Every local file the API names: those loaded, and those its $refs name that could not be read (a
    missing file, a syntax error), so that fixing one of them re-lints the API."""
    from urllib.parse import unquote, urlsplit

    files = set()
    for document in workspace.documents.values():
        path = Path(os.path.normpath(str(document.path)))
        files.add(path)
        for _, ref in document.refs:
            file_part = ref.split("#", 1)[0]
            if file_part and not urlsplit(file_part).scheme and not str(document.path).startswith(("http:", "https:")):
                files.add(Path(os.path.normpath(str(path.parent / unquote(file_part)))))
    return files


def _issue(finding: Any, lines_of: dict[int, list[str]]) -> Issue:
    document: Document = finding.document
    lines = lines_of.get(id(document))
    if lines is None:
        lines = lines_of[id(document)] = document.text.split("\n")
    line, column = finding.position
    line, col = max(line - 1, 0), max(column - 1, 0)
    start, end = token_range(lines, line, col)
    return Issue(Path(os.path.normpath(str(document.path))), line, start, line, end, finding.level, finding.message,
                 lines[line] if line < len(lines) else "", rule=finding.rule, pointer=format_pointer(document.base_pointer + tuple(finding.pointer)),
                 body_depth=len(document.base_pointer))
