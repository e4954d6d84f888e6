"""The validate/lint command: config, loading, linting, reporting, exit code."""
from __future__ import annotations

import sys
from pathlib import Path

from ..cache import CACHE_FOLDER, MAX_BYTES as MAX_CACHED_BYTES, ResultCache
from ..config import Config, check_rule_ids, load_config
from ..options import MAX_FILE_SIZE_MIB, check_choice, max_file_bytes, parse_params, use_color
from ..output import emit, refuse_inputs
from ..printable import printable
from ..record import Value
from ..parallel import default_jobs, map_in_order
from ..progress import VALIDATE_FILES, progress as progress_bar
from ..report import FORMATS, Report, ReportError, RuleInfo, emit_failure, render
from ..shard import parse_shard, shard
from ..source import paths
from ..source.errors import InputError
from .engine import read_baseline, write_baseline
from .file_check import FileResult, FileSettings, cacheable, check_file, set_settings, settings_key
from .registry import LEVEL_RANK, RETIRED, RULES, load_all_rules

DEFAULT_BASELINE = ".apictl-baseline.json"


class ValidateOptions(Value):
    """The arguments of `apictl validate`."""

    _fields = ("files", "format", "fail_on", "config", "api_type", "params", "allow_remote", "root", "max_file_size",
               "baseline", "write_baseline", "only_openapi", "output", "no_color", "quiet", "jobs", "no_cache", "shard")

    def __init__(self, files: list[str], format: str = "text", fail_on: str | None = None, config: Path | None = None,
                 api_type: str | None = None, params: list[str] | None = None, allow_remote: bool = False,
                 root: Path | None = None, max_file_size: int = MAX_FILE_SIZE_MIB, baseline: Path | None = None,
                 write_baseline: bool = False, only_openapi: bool = False, output: Path | None = None,
                 no_color: bool = False, quiet: bool = False, jobs: int = 0, no_cache: bool = False,
                 shard: str | None = None):
        self.files = files
        self.format = format
        self.fail_on = fail_on
        self.config = config
        self.api_type = api_type
        self.params = [] if params is None else params
        self.allow_remote = allow_remote
        self.root = root
        self.max_file_size = max_file_size
        self.baseline = baseline
        self.write_baseline = write_baseline
        self.only_openapi = only_openapi
        self.output = output
        self.no_color = no_color
        self.quiet = quiet  # no progress bar
        self.jobs = jobs  # worker processes (0: one per CPU)
        self.no_cache = no_cache
        self.shard = shard  # "K/N"


def run_validate(opts: ValidateOptions) -> int:
    check_choice(opts.format, FORMATS, "--format")
    check_choice(opts.fail_on, ("error", "warning", "info"), "--fail-on")
    check_choice(opts.api_type, ("rest", "http"), "--api-type")
    if opts.jobs < 0:
        raise InputError("--jobs must be 0 (every CPU) or more")
    if opts.output is not None:  # before any work: the report must never replace a file it reads
        refuse_inputs(opts.output, [*opts.files, opts.config, opts.baseline])
    try:
        return _validate(opts)
    except InputError as exc:  # the report says so too, in its format: a CI dashboard reads the file, not stderr
        emit_failure("lint", exc, opts.format, opts.output, color=use_color(opts.no_color))
        raise


def _validate(opts: ValidateOptions) -> int:
    shard_k_n = parse_shard(opts.shard) if opts.shard else None
    first = Path(opts.files[0]).parent if opts.files and not opts.files[0].startswith("git:") else Path.cwd()
    config = load_config(opts.config, start=first)
    if opts.output is not None:  # the config found by search is an input too: refused before any work (or cache)
        refuse_inputs(opts.output, [config.path])
    if config.rules or opts.format == "sarif":  # otherwise only the rule families each document needs are loaded
        load_all_rules()
        check_rule_ids(config, set(RULES) | set(RETIRED))
    if opts.files:  # a folder without specs is an error, not a reason to validate the config's specs instead
        tasks = expand_inputs(opts.files, opts.only_openapi)
        if not tasks:
            raise InputError("no .yaml, .yml or .json files found in the folder(s) given", ", ".join(opts.files))
    else:
        tasks = [(name, opts.only_openapi) for name in _config_specs(config)]
    if not tasks:
        raise InputError("no files given, and no `specs:` list in apictl.yaml")
    if shard_k_n:
        keep = set(shard([name for name, _ in tasks], *shard_k_n))
        tasks = [task for task in tasks if task[0] in keep]
    params = {**config.params, **parse_params(opts.params)}
    baseline_path = opts.baseline or config.baseline or (config.folder / DEFAULT_BASELINE)
    baseline = set()
    if not opts.write_baseline and (opts.baseline or config.baseline):
        baseline = read_baseline(baseline_path)
    settings = FileSettings(config=config.without_positions(), api_type=opts.api_type, params=params,
                            allow_remote=opts.allow_remote, root=str(opts.root) if opts.root else None,
                            max_bytes=max_file_bytes(opts.max_file_size), baseline=frozenset(baseline))
    cache = None if opts.no_cache else ResultCache(config.folder / CACHE_FOLDER, settings_key(settings))
    file_results = check_files(tasks, settings, cache, opts.jobs or default_jobs(),
                               show_progress=not opts.quiet and len(tasks) >= VALIDATE_FILES)
    if cache is not None and cache.write_error:
        sys.stderr.write(f"apictl: warning: results not cached ({cache.folder}: {cache.write_error}); "
                         "pass --no-cache to skip the cache\n")

    input_errors = [exc for r in file_results for exc in r.input_errors()]
    for exc in input_errors:
        sys.stderr.write(exc.one_line() + "\n")

    baseline_read = not opts.write_baseline and (opts.baseline or config.baseline)
    read = [config.path, baseline_path if baseline_read else None, *opts.files,  # no output may replace a file read
            *(name for r in file_results for name in r.files_read)]
    items = [item for r in file_results for item in r.items]
    if opts.write_baseline:
        write_baseline(baseline_path, items, inputs=read)
        sys.stderr.write(f"wrote {len(items)} finding(s) to {printable(str(baseline_path))}\n")
        return 2 if input_errors else 0

    notes = [note for r in file_results for note in r.notes]
    if opts.format == "text" and not opts.api_type and not config.api_type:
        notes = [note for r in file_results for note in (*r.notes, *r.api_types)]
    report = Report(tool="lint", items=items, files=[r.name for r in file_results if r.checked],
                    rules={r.id: RuleInfo(r.id, r.level, r.summary, r.fix) for r in RULES.values()},
                    notes=notes if opts.format == "text" else [],
                    errors=[ReportError.from_exception(exc) for exc in input_errors])
    emit(render(report, opts.format, color=use_color(opts.no_color)), opts.output, inputs=read)
    if input_errors:
        return 2
    threshold = LEVEL_RANK[opts.fail_on or config.fail_on or "error"]
    return 1 if any(LEVEL_RANK[item.level] >= threshold for item in items) else 0


def check_files(tasks: list[tuple[str, bool]], settings: FileSettings, cache: ResultCache | None, jobs: int,
                show_progress: bool = False) -> list[FileResult]:
    """One result per (name, only_openapi) task, in order: from the cache when an unchanged file's result is
    there, else validated on ``jobs`` processes (and then stored)."""
    results: list[FileResult | None] = [None] * len(tasks)
    keys: dict[int, tuple[str, str]] = {}  # task index -> (cache key, file the key covers)
    if cache is not None:
        for i, (name, only_openapi) in enumerate(tasks):
            path = cacheable(name, settings)
            data = _read_small(path, settings.max_bytes) if path else None
            if data is None:
                continue
            key = cache.key(f"{name}\0{int(only_openapi)}", data)
            keys[i] = (key, str(path.absolute()))
            hit = cache.get(key, skip=keys[i][1])
            if hit is not None:
                try:
                    results[i] = FileResult.from_json(hit)
                except (KeyError, TypeError, ValueError):
                    pass  # an entry of another shape: validated again below
    todo = [i for i, r in enumerate(results) if r is None]
    work = check_and_record if cache is not None else check_file
    outcomes = map_in_order(work, [tasks[i] for i in todo], jobs, set_settings, (settings,))
    with progress_bar("Validating", len(tasks), enabled=show_progress) as bar:
        bar.advance(len(tasks) - len(todo))  # the cached ones
        for i, outcome in zip(todo, outcomes):
            if cache is not None:
                outcome, reads = outcome
                if i in keys:
                    cache.put(keys[i][0], outcome.to_json(), reads)
            results[i] = outcome
            bar.advance(1, tasks[i][0])
    return results  # type: ignore[return-value]


def check_and_record(task: tuple[str, bool]) -> tuple[FileResult, list[tuple[str, str | None]]]:
    """check_file, and the files it read with the hashes of their bytes (what a cached result depends on)."""
    from ..source.document import recording_reads

    with recording_reads() as reads:
        result = check_file(task)
    return result, list(dict.fromkeys(reads))


def _read_small(path: Path, limit: int) -> bytes | None:
    """The file's bytes when it is a regular file within the size limit (a larger one is for the lint to
    report, uncached)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(min(limit, MAX_CACHED_BYTES) + 1)
    except OSError:
        return None
    return data if len(data) <= min(limit, MAX_CACHED_BYTES) else None


SPEC_SUFFIXES = (".yaml", ".yml", ".json")
SKIPPED_FOLDERS = {CACHE_FOLDER, "node_modules", "__pycache__"}


def expand_inputs(names: list[str], only_openapi: bool) -> list[tuple[str, bool]]:
    """(name, only_openapi) for each input; a folder becomes every .yaml/.yml/.json file below it (sorted, hidden
    folders skipped), each checked only if it is an OpenAPI document or a template with APIs (the others are
    $ref'd fragments, configs, data...)."""
    tasks: list[tuple[str, bool]] = []
    for name in names:
        path = Path(name)
        if name.startswith("git:") or not paths.is_dir(path):  # (pathlib raises on a name too long)
            tasks.append((name, only_openapi))
            continue
        for found in sorted(_spec_files(path)):
            tasks.append((str(found), True))
    return tasks


def _spec_files(folder: Path):
    import os

    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIPPED_FOLDERS)
        for filename in filenames:
            if filename.endswith(SPEC_SUFFIXES) and not filename.startswith("."):
                yield Path(dirpath) / filename


def _config_specs(config: Config) -> list[str]:
    specs = config.raw.get("specs") or []
    if not isinstance(specs, list) or not all(isinstance(s, str) for s in specs):
        raise config.error("specs must be a list of file paths", "specs")
    return [str(config.folder / s) if not s.startswith("git:") else s for s in specs]
