"""Run the registered checks over one API and apply levels, ignores and the baseline."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..config import Config
from ..model import Api, build_api
from ..output import write_file
from ..record import Value
from ..source import SpecSource, format_pointer
from ..source.document import Document
from .findings import Finding, clip_values
from .registry import LEVEL_RANK, RULES, load_families

INLINE_IGNORE = "x-apictl-ignore"


class LintOptions(Value):
    """Options of one lint run."""

    _fields = ("api_type", "params", "stage_variables")

    def __init__(self, api_type: str | None = None, params: dict[str, str] | None = None,
                 stage_variables: dict[str, dict[str, str]] | None = None):
        self.api_type = api_type  # rest | http | None (infer)
        self.params = {} if params is None else params
        self.stage_variables = {} if stage_variables is None else stage_variables  # stage -> variables


class LintContext(Value):
    """What a rule check receives."""

    _fields = ("api", "source", "config", "options")

    def __init__(self, api: Api, source: SpecSource, config: Config, options: LintOptions):
        self.api = api
        self.source = source
        self.config = config
        self.options = options

    @property
    def document(self) -> Document:
        return self.api.document

    def finding(self, rule: str, message: str, pointer: tuple, document: Document | None = None) -> Finding:
        return Finding(rule=rule, message=clip_values(message), document=document or self.api.document,
                       pointer=tuple(pointer))


class LintResult(Value):
    """The findings of one spec, after ignores and the baseline."""

    _fields = ("source", "api", "findings", "suppressed")

    def __init__(self, source: SpecSource, api: Api, findings: list[Finding], suppressed: int = 0):
        self.source = source
        self.api = api
        self.findings = findings
        self.suppressed = suppressed


def effective_level(rule_id: str, config: Config) -> str:
    if rule_id in config.rules:
        return config.rules[rule_id]
    for pattern, level in config.rules.items():
        if any(ch in pattern for ch in "*?[") and _glob_match(rule_id, pattern):
            return level
    return RULES[rule_id].level


def _glob_match(name: str, pattern: str) -> bool:
    import fnmatch  # only configs with rule patterns need it

    return fnmatch.fnmatchcase(name, pattern)


def lint_source(source: SpecSource, config: Config, options: LintOptions | None = None,
                baseline: set[str] | None = None) -> LintResult:
    options = options or LintOptions()
    api_type, reason = options.api_type, "set by --api-type"
    if not api_type and config.api_type:
        api_type, reason = config.api_type, "set by api_type in the config"
    if not api_type and source.embedded:
        api_type, reason = source.embedded.api_type, f"declared as {source.embedded.resource_type} in the template"
    api = build_api(source.workspace, api_type, reason)
    ctx = LintContext(api=api, source=source, config=config, options=options)
    checks = load_families(document_needs(api))
    levels = {rule_id: effective_level(rule_id, config) for rule_id in RULES}
    findings: list[Finding] = []
    for rule_ids, fn in checks:
        if all(levels[r] == "off" for r in rule_ids):
            continue
        for finding in fn(ctx):
            if finding.rule not in rule_ids:
                raise AssertionError(f"{fn.__name__} emitted undeclared rule {finding.rule}")
            level = levels[finding.rule]
            if level == "off":
                continue
            finding.level = level
            findings.append(finding)
    branch = source.embedded.branch if source.embedded else ""
    if branch:  # the same body pointer exists in each branch: say which one
        for finding in findings:
            finding.message = f"{finding.message} ({branch})"
    kept, suppressed = _filter(findings, config, baseline or set())
    kept.sort(key=_sort_key)
    return LintResult(source=source, api=api, findings=_dedupe(kept), suppressed=suppressed)


def document_needs(api: Api) -> set[str]:
    """What the API has, in the terms of registry.FAMILIES: which rule families can report anything on it."""
    needs = {"any"}
    if api.targets_gateway:
        needs.add("gateway")
    if api.document.value_sites:
        needs.add("values")
    return needs


def _filter(findings: list[Finding], config: Config, baseline: set[str]) -> tuple[list[Finding], int]:
    kept = []
    for f in findings:
        pointer = format_pointer(f.pointer)
        if _inline_ignored(f):
            continue
        if any(entry.matches(f.rule, pointer, f.document.display) for entry in config.ignore):
            continue
        if baseline and fingerprint(f) in baseline:
            continue
        kept.append(f)
    return kept, len(findings) - len(kept)


def _inline_ignored(f: Finding) -> bool:
    node: Any = f.document.data
    for seg in (None, *f.pointer):
        if seg is not None:
            if isinstance(node, dict) and seg in node:
                node = node[seg]
            elif isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node):
                node = node[seg]
            else:
                return False
        if isinstance(node, dict) and INLINE_IGNORE in node:
            value = node[INLINE_IGNORE]
            if value is True or value == "all":
                return True
            if isinstance(value, str) and value == f.rule:
                return True
            if isinstance(value, list) and f.rule in value:
                return True
    return False


def _sort_key(f: Finding) -> tuple:
    line, col = f.position
    return (f.document.display, line, col, -LEVEL_RANK[f.level], f.rule, f.message)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen = set()
    out = []
    for f in findings:
        key = (f.document.display, f.pointer, f.rule, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def fingerprint(f: Finding) -> str:
    """Stable across runs and line shifts: rule, file, pointer and message."""
    return fingerprint_of(f.rule, f.document.display, format_pointer(f.pointer), f.message)


def fingerprint_of(rule: str, file: str, pointer: str, message: str) -> str:
    import hashlib  # only baselines need it

    raw = "\x1f".join((rule, file, pointer, message))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


def read_baseline(path: Path) -> set[str]:
    import json

    from ..source import paths
    from ..source.document import read_text
    from ..source.errors import InputError

    if not paths.exists(path):
        raise InputError("baseline file not found (create it with --write-baseline)", str(path))
    try:
        # bounded, regular files only (a baseline of /dev/zero or a FIFO would never end); remembered as an input
        data = json.loads(read_text(path, str(path)))
    except json.JSONDecodeError as exc:
        raise InputError(f"baseline is not valid JSON: {exc.msg}", str(path), exc.lineno, exc.colno) from None
    except UnicodeDecodeError:
        raise InputError("baseline is not valid UTF-8", str(path), 1, 1) from None
    except RecursionError:
        raise InputError("baseline nests too deeply", str(path), 1, 1) from None
    except OSError as exc:
        raise InputError(f"cannot read baseline: {(exc.strerror or str(exc)).lower()}", str(path)) from None
    entries = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise InputError("baseline must be an object with a 'findings' list", str(path))
    return {e["fingerprint"] for e in entries if isinstance(e, dict) and isinstance(e.get("fingerprint"), str)}


def write_baseline(path: Path, items: list, inputs=()) -> None:
    """Record ``items`` (report.ReportItem: the findings as reported) as the baseline (never over an input)."""
    import json

    entries = sorted(
        ({"fingerprint": fingerprint_of(i.id, i.file, i.pointer, i.message), "rule": i.id, "file": i.file,
          "pointer": i.pointer, "message": i.message} for i in items),
        key=lambda e: (e["file"], e["pointer"], e["rule"], e["message"]),
    )
    write_file(path, json.dumps({"version": 1, "findings": entries}, indent=2, ensure_ascii=False) + "\n",
               what="baseline", inputs=inputs, option="--baseline")
