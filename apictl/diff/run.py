"""The diff command: resolve both sides, compare, apply severity and ignore files, report, exit code.

Severity file (oasdiff's ``--severity-levels`` format): one ``<check-id> <level>`` per line, level
``err``, ``warn``, ``info`` or ``none`` (drops the check); ``#`` starts a comment.

Ignore file: one ``<check-id> <METHOD> <path> [reason...]`` per line; each of the three may be a glob
(``*`` matches anything: ``api-schema-removed * *``); ``#`` starts a comment. Text after the path is
free, so the file doubles as a log of accepted breaks. A change in a schema shared by several operations is
one change (one edit of the spec): an entry naming any of its operations accepts it.

Deprecation policy (oasdiff's ``--deprecation-days-stable`` / ``--deprecation-days-beta``): with N days,
deprecating an operation, parameter or property of that stability needs an ``x-sunset`` at least N days
away (see ``lifecycle``).
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

from ..options import MAX_FILE_SIZE_MIB, check_choice, max_file_bytes, use_color
from ..output import emit, refuse_inputs
from ..config import Config, load_config
from ..model.api import Api, build_api
from ..report import FORMATS, Report, ReportItem, RuleInfo, emit_failure, render
from ..source import SpecSource, format_pointer, open_spec
from ..source.errors import InputError
from .checks import CHECKS, FORMER_IDS, LEVEL_RANK, REPORT_LEVEL, Change, load_all_checks, run_all
from .context import DiffContext
from .lifecycle import Policy
from .stage_settings import StageSides

LEVEL_WORDS = {"err": "ERR", "error": "ERR", "warn": "WARN", "warning": "WARN", "info": "INFO", "none": "NONE"}


@dataclass
class DiffOptions:
    base: str | None = None
    revision: str | None = None
    stages: tuple[str, str] | None = None
    format: str = "text"
    fail_on: str = "ERR"
    level: str = "INFO"
    severity_file: Path | None = None
    ignore_file: Path | None = None
    config: Path | None = None
    api_type: str | None = None
    allow_remote: bool = False
    max_file_size: int = MAX_FILE_SIZE_MIB
    output: Path | None = None
    no_color: bool = False
    deprecation_days_stable: int = 0
    deprecation_days_beta: int = 0


@dataclass
class IgnoreRule:
    id: str
    method: str
    path: str

    def matches(self, change: Change) -> bool:
        """The id matches and the rule names any operation the change affects."""
        if not fnmatch.fnmatchcase(change.id, self.id):
            return False
        method = self.method.upper() if self.method != "*" else "*"
        for operation in change.operations or [""]:
            op_method, _, op_path = operation.partition(" ")
            if fnmatch.fnmatchcase(op_method or "*", method) and fnmatch.fnmatchcase(op_path or "*", self.path):
                return True
        return False


@dataclass
class Side:
    spec: str
    stage: object | None = None
    sources: list[SpecSource] = field(default_factory=list)

    def files(self) -> list[Path]:
        return [path for source in self.sources for path in source.local_files()]


def _level_option(value: str, option: str) -> str:
    level = LEVEL_WORDS.get(value.lower())
    if level is None or level == "NONE":
        raise InputError(f"{option} must be ERR, WARN or INFO, not '{value}'")
    return level


def read_severity_file(path: Path) -> dict[str, str]:
    out = {}
    for number, line in enumerate(_lines(path), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        parts = text.split()
        level = LEVEL_WORDS.get(parts[-1].lower()) if len(parts) == 2 else None
        if level is None:
            raise InputError("expected '<check-id> <err|warn|info|none>'", str(path), number, 1)
        parts[0] = FORMER_IDS.get(parts[0], parts[0])
        if parts[0] not in CHECKS:
            raise InputError(f"unknown check id '{parts[0]}' (see `apictl diff --list-checks`)", str(path), number, 1)
        out[parts[0]] = level
    return out


def read_ignore_file(path: Path) -> list[IgnoreRule]:
    rules = []
    for number, line in enumerate(_lines(path), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        parts = text.split()
        if len(parts) < 3:
            raise InputError("expected '<check-id> <METHOD> <path> [reason]' (use * for any)", str(path), number, 1)
        parts[0] = FORMER_IDS.get(parts[0], parts[0])
        if not any(ch in parts[0] for ch in "*?[") and parts[0] not in CHECKS:
            raise InputError(f"unknown check id '{parts[0]}'", str(path), number, 1)
        rules.append(IgnoreRule(parts[0], parts[1], parts[2]))
    return rules


def _lines(path: Path) -> list[str]:
    from ..source.document import read_text

    return read_text(path, str(path), 16 * 1024 * 1024).splitlines()  # bounded, regular files only, one-line errors


def _resolve(spec: str, other: str | None, config_holder: list, opts: DiffOptions) -> Side:
    stage = None
    if spec.startswith("stage:"):
        from ..stages import get_stage

        config = _config(config_holder, opts)
        stage = get_stage(config, spec[len("stage:"):])
        spec = stage.spec
    if spec.startswith("git:"):
        from ..source.git import parse_git_spec

        rev, rel = parse_git_spec(spec)
        if not rel:
            if not other or other.startswith(("git:", "stage:")):
                raise InputError(f"'{spec}' names no file, and the other side is not a file to take the path from")
            spec = f"git:{rev}:{other}"
    sources = open_spec(spec, allow_remote=opts.allow_remote, max_bytes=max_file_bytes(opts.max_file_size))
    if not sources:
        raise InputError("no API found in this file", spec, 1, 1)
    return Side(spec, stage, sources)


def _config(holder: list, opts: DiffOptions) -> Config:
    if not holder:
        holder.append(load_config(opts.config))
    return holder[0]


def _pairs(base: Side, rev: Side) -> list[tuple[SpecSource, SpecSource]]:
    if len(base.sources) == 1 and len(rev.sources) == 1:
        return [(base.sources[0], rev.sources[0])]
    b = {s.embedded.logical_id if s.embedded else "": s for s in base.sources}
    r = {s.embedded.logical_id if s.embedded else "": s for s in rev.sources}
    if b.keys() != r.keys():
        raise InputError(f"the two sides hold different APIs ({', '.join(sorted(b))} vs {', '.join(sorted(r))}); "
                         "compare one file per API")
    return [(b[k], r[k]) for k in sorted(b)]


def compare(base: Api, rev: Api, stages: StageSides | None = None, policy: Policy | None = None) -> list[Change]:
    """Every change from ``base`` to ``rev`` (and between the stages), unfiltered, in a stable order."""
    load_all_checks()
    ctx = DiffContext.build(base, rev, stages, policy)
    seen, out = set(), []
    for change in run_all(ctx):
        key = (change.id, change.operation, change.message)
        if key not in seen:
            seen.add(key)
            out.append(change)
    return out


def run_diff(opts: DiffOptions) -> int:
    check_choice(opts.format, FORMATS, "--format")
    check_choice(opts.api_type, ("rest", "http"), "--api-type")
    fail_on = _level_option(opts.fail_on, "--fail-on")
    min_level = _level_option(opts.level, "--level")
    max_file_bytes(opts.max_file_size)
    for days, option in ((opts.deprecation_days_stable, "--deprecation-days-stable"),
                         (opts.deprecation_days_beta, "--deprecation-days-beta")):
        if days < 0:
            raise InputError(f"{option} must be 0 (no policy) or a positive number of days, not {days}")
    policy = Policy(opts.deprecation_days_stable, opts.deprecation_days_beta)
    if opts.output is not None:  # before any work: the report must never replace a file it reads
        refuse_inputs(opts.output, [opts.base, opts.revision, opts.config, opts.severity_file, opts.ignore_file])
    try:
        return _diff(opts, fail_on, min_level, policy)
    except InputError as exc:
        title = f"apictl diff {opts.base} {opts.revision}" if opts.base and opts.revision else ""
        emit_failure("diff", exc, opts.format, opts.output, color=use_color(opts.no_color), title=title)
        raise


def _diff(opts: DiffOptions, fail_on: str, min_level: str, policy: Policy) -> int:
    load_all_checks()
    severity = read_severity_file(opts.severity_file) if opts.severity_file else {}
    ignores = read_ignore_file(opts.ignore_file) if opts.ignore_file else []
    holder: list[Config] = []
    promotion = False
    if opts.stages:
        if opts.base or opts.revision:
            raise InputError("give either BASE REVISION or --stages SOURCE TARGET, not both")
        source, target = opts.stages
        base_spec, rev_spec, promotion = f"stage:{target}", f"stage:{source}", True
    else:
        if not opts.base or not opts.revision:
            raise InputError("give BASE and REVISION (a file, git:REF[:path] or stage:NAME), or --stages SOURCE TARGET")
        base_spec, rev_spec = opts.base, opts.revision
    base = _resolve(base_spec, rev_spec if not rev_spec.startswith("git:") else None, holder, opts)
    rev = _resolve(rev_spec, base.spec if not base.spec.startswith("git:") else None, holder, opts)
    stages = None
    if base.stage is not None or rev.stage is not None:
        stages = StageSides(base.stage, rev.stage, _config(holder, opts), promotion)
    changes: list[Change] = []
    files: list[str] = []
    for b, r in _pairs(base, rev):
        api_type = opts.api_type or (rev.stage.api_type if rev.stage else None)
        changes.extend(compare(build_api(b.workspace, api_type), build_api(r.workspace, api_type), stages, policy))
        files.extend([b.document.display, r.document.display])
    items = []
    for change in changes:
        level = severity.get(change.id, CHECKS[change.id].level)
        if level == "NONE" or LEVEL_RANK[level] < LEVEL_RANK[min_level]:
            continue
        if any(rule.matches(change) for rule in ignores):
            continue
        items.append(_item(change, level))
    items.sort(key=lambda i: (-LEVEL_RANK[i.extra["level_name"]], i.extra.get("operation", ""), i.id, i.message))
    if promotion:
        source, target = opts.stages
        title = f"apictl diff --stages {source} {target}: promoting stage {source} to stage {target}"
    else:
        title = f"apictl diff {base_spec} {rev_spec}"
    title = title if opts.format in ("text", "markdown") else ""
    reported = {i.id for i in items}
    report = Report(tool="diff", items=items, files=files, title=title,
                    rules={c.id: RuleInfo(c.id, REPORT_LEVEL[c.level], c.summary) for c in CHECKS.values()
                           if c.id in reported})
    read = [*base.files(), *rev.files(), opts.severity_file, opts.ignore_file, *(c.path for c in holder)]
    emit(render(report, opts.format, color=use_color(opts.no_color)), opts.output, inputs=read)
    threshold = LEVEL_RANK[fail_on]
    return 1 if any(LEVEL_RANK[i.extra["level_name"]] >= threshold for i in items) else 0


def _item(change: Change, level: str) -> ReportItem:
    line, column, file, pointer = 1, 1, "", ""
    if change.at is not None:
        document, ptr = change.at
        file = document.display
        line, column = document.position(ptr)
        pointer = format_pointer(ptr) if not isinstance(ptr[0] if ptr else None, int) else ""
    extra: dict = {"level_name": level}
    if change.operation:
        extra["operation"] = change.operation
        extra["operations"] = list(change.operations or [change.operation])
    extra.update(change.extra)
    return ReportItem(id=change.id, level=REPORT_LEVEL[level], message=change.message, file=file, line=line,
                      column=column, pointer=pointer, extra=extra)


def list_checks() -> list[tuple[str, str, str, str]]:
    load_all_checks()
    return [(c.family, c.id, c.level, c.summary) for c in sorted(CHECKS.values(), key=lambda c: (c.family, c.id))]
