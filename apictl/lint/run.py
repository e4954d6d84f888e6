"""The validate/lint command: config, loading, linting, reporting, exit code."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..options import check_choice, parse_params, use_color
from ..output import emit
from ..progress import VALIDATE_FILES, track
from ..config import Config, check_rule_ids, load_config
from ..report import FORMATS, Report, ReportItem, RuleInfo, render
from ..source import SpecSource, format_pointer, open_spec
from ..source.errors import InputError
from .engine import LintOptions, LintResult, lint_source, read_baseline, write_baseline
from .registry import LEVEL_RANK, RETIRED, RULES, load_all_rules

DEFAULT_BASELINE = ".apictl-baseline.json"


@dataclass
class ValidateOptions:
    files: list[str]
    format: str = "text"
    fail_on: str | None = None
    config: Path | None = None
    api_type: str | None = None
    params: list[str] = field(default_factory=list)
    allow_remote: bool = False
    root: Path | None = None
    max_file_size: int = 64
    baseline: Path | None = None
    write_baseline: bool = False
    only_openapi: bool = False
    output: Path | None = None
    no_color: bool = False
    quiet: bool = False  # no progress bar


def run_validate(opts: ValidateOptions) -> int:
    check_choice(opts.format, FORMATS, "--format")
    check_choice(opts.fail_on, ("error", "warning", "info"), "--fail-on")
    check_choice(opts.api_type, ("rest", "http"), "--api-type")
    if opts.max_file_size <= 0:
        raise InputError("--max-file-size must be a positive number of MiB")
    first = Path(opts.files[0]).parent if opts.files and not opts.files[0].startswith("git:") else Path.cwd()
    config = load_config(opts.config, start=first)
    if config.rules or opts.format == "sarif":  # otherwise only the rule families each document needs are loaded
        load_all_rules()
        check_rule_ids(config, set(RULES) | set(RETIRED))
    files = list(opts.files) or _config_specs(config)
    if not files:
        raise InputError("no files given, and no `specs:` list in apictl.yaml")
    params = {**config.params, **parse_params(opts.params)}
    baseline_path = opts.baseline or config.baseline or (config.folder / DEFAULT_BASELINE)
    baseline = set()
    if not opts.write_baseline and (opts.baseline or config.baseline):
        baseline = read_baseline(baseline_path)

    results: list[LintResult] = []
    input_errors: list[InputError] = []
    checked: list[str] = []
    notes: list[str] = []
    for name in track(files, "Validating", enabled=not opts.quiet and len(files) >= VALIDATE_FILES):
        unreadable = len(input_errors)
        try:
            sources = open_spec(name, allow_remote=opts.allow_remote, root_folder=str(opts.root) if opts.root else None,
                                max_bytes=opts.max_file_size * 1024 * 1024, errors=input_errors)
        except InputError as exc:
            input_errors.append(exc)
            continue
        unreadable = len(input_errors) > unreadable  # a file the template names could not be read
        if opts.only_openapi:
            sources = [s for s in sources if _looks_like_openapi(s)]
        if not sources and opts.only_openapi:
            continue  # pre-commit passes every YAML file: the others are not ours to mention
        checked.append(name)
        if not sources and not unreadable:
            notes.append(f"{name}: no API found (a template without AWS::Serverless::Api/HttpApi, "
                         "AWS::ApiGateway::RestApi or AWS::ApiGatewayV2::Api with a body or a local DefinitionUri)")
            continue
        for source in sources:
            result = lint_source(source, config, LintOptions(api_type=opts.api_type, params=params), baseline)
            results.append(result)
            if opts.format == "text" and not opts.api_type and not config.api_type:
                notes.append(f"{source.label}: {result.api.api_type.upper()} API ({result.api.api_type_reason})")

    for exc in input_errors:
        sys.stderr.write(exc.one_line() + "\n")

    findings = [f for r in results for f in r.findings]
    if opts.write_baseline:
        write_baseline(baseline_path, findings)
        sys.stderr.write(f"wrote {len(findings)} finding(s) to {baseline_path}\n")
        return 2 if input_errors else 0

    report = Report(tool="lint", items=[_item(f) for f in findings], files=checked,
                    rules={r.id: RuleInfo(r.id, r.level, r.summary, r.fix) for r in RULES.values()},
                    notes=notes if opts.format == "text" else [])
    emit(render(report, opts.format, color=use_color(opts.no_color)), opts.output)
    if input_errors:
        return 2
    threshold = LEVEL_RANK[opts.fail_on or config.fail_on or "error"]
    return 1 if any(LEVEL_RANK[f.level] >= threshold for f in findings) else 0


def _item(f) -> ReportItem:
    line, column = f.position
    return ReportItem(id=f.rule, level=f.level, message=f.message, file=f.document.display, line=line, column=column,
                      pointer=format_pointer(f.pointer))


def _config_specs(config: Config) -> list[str]:
    specs = config.raw.get("specs") or []
    if not isinstance(specs, list) or not all(isinstance(s, str) for s in specs):
        raise config.error("specs must be a list of file paths", "specs")
    return [str(config.folder / s) if not s.startswith("git:") else s for s in specs]


def _looks_like_openapi(source: SpecSource) -> bool:
    data = source.document.data
    return isinstance(data, dict) and ("openapi" in data or "swagger" in data)
