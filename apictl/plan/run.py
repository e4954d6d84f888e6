"""plan, export and deploy as commands: options in, exit code out. All three build the same
resource graph through ``pipeline.load_desired``; what only plan and deploy use (plans, state
files, reports) is imported when they run, so that export starts faster."""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..options import MAX_FILE_SIZE_MIB, check_choice, max_file_bytes
from ..output import emit, refuse_inputs, write_file
from ..printable import printable
from ..source import paths
from ..source.errors import InputError
from .pipeline import Desired, load_desired

if TYPE_CHECKING:
    from .plan import Plan
    from .state import State
    from .state.store import StateStore

PLAN_FORMATS = ("text", "json", "markdown")
EXPORT_FORMATS = ("cloudformation", "sam", "terraform")


@dataclass
class StateOptions:
    """Where the state is and how it is locked (shared by plan, deploy and import)."""
    state: str | Path | None = None  # a path or s3://bucket/key; None: .apictl/<stage>.json
    lock_table: str | None = None  # DynamoDB table locking an S3 state
    lock_timeout: str | None = None  # how long to wait for the lock ('30s', '5m'); default: do not wait
    region: str | None = None
    endpoint_url: str | None = None  # API Gateway endpoint (a local moto_server)


@dataclass
class PlanOptions(StateOptions):
    stage: str | None = None
    write_state: bool = False
    format: str = "text"
    detailed_exitcode: bool = False
    config: Path | None = None
    output: Path | None = None
    refresh: bool = False
    max_file_size: int = MAX_FILE_SIZE_MIB


def need_stage(stage: str | None) -> str:
    if not stage:
        raise InputError("--stage NAME is required (the stages are listed under `stages:` in apictl.yaml)")
    return stage


def state_store(desired: Desired, opts: StateOptions) -> StateStore:
    """The store ``--state`` names; without it, ``.apictl/<stage>.json`` beside the config."""
    from .state.store import default_location, open_store

    if opts.state is None and opts.lock_table:
        raise InputError("--lock-table locks a remote state: give --state s3://BUCKET/KEY too")
    location = opts.state if opts.state is not None else default_location(desired.config.folder, desired.stage.name)
    return open_store(location, opts.lock_table, opts.region)


def plan_store(desired: Desired, opts: StateOptions) -> StateStore | None:
    """What ``plan`` compares with: ``--state``, else the default state when it exists, else nothing."""
    store = state_store(desired, opts)
    if opts.state is None and not Path(store.label).is_file():
        return None
    return store


def lock_seconds(opts: StateOptions) -> float:
    from .state.lock import parse_duration

    return parse_duration(opts.lock_timeout)


def run_plan(opts: PlanOptions) -> int:
    """Exit codes: 0 success (or, with --detailed-exitcode, no changes); 2 changes with
    --detailed-exitcode. Errors raise InputError (the caller maps them to 2, or 1 with
    --detailed-exitcode)."""
    from contextlib import nullcontext

    from .plan import make_plan
    from .state import state_from_graph
    from .state.store import is_remote, load, save

    check_choice(opts.format, PLAN_FORMATS, "--format")
    if opts.write_state and opts.state is None:
        raise InputError("--write-state needs --state FILE (where to write it)")
    timeout = lock_seconds(opts)
    stage = need_stage(opts.stage)
    local_state = None if opts.state is None or is_remote(opts.state) else Path(opts.state)
    if opts.output is not None:  # before any work: the plan must never replace a file it reads
        refuse_inputs(opts.output, [opts.config, local_state])
        if local_state is not None and paths.resolve(opts.output) == paths.resolve(local_state):
            raise InputError("--output and --state name the same file; refusing to write both to it", str(opts.output))
    try:
        desired = load_desired(stage, opts.config, max_file_bytes(opts.max_file_size))
        store = plan_store(desired, opts)
    except InputError as exc:
        _report_failure(exc, opts)
        raise
    locking = store.lock("plan --write-state", timeout) if store is not None and opts.write_state else nullcontext()
    with locking:
        try:
            state = load(store, desired.graph) if store is not None else None
            if state is None and store is not None and opts.state is not None and not opts.write_state:
                raise InputError("state file not found (start one with `apictl plan --stage NAME --state FILE "
                                 "--write-state`)", store.label)
        except InputError as exc:
            _report_failure(exc, opts)
            raise
        drift: list = []
        if opts.refresh:
            state, drift = refresh_state(desired, state, opts)
        plan = make_plan(desired.graph, state, drift, refreshed=opts.refresh)
        label = store.label if state is not None and store is not None else None
        emit(format_plan(plan, desired, label, opts.format), opts.output, inputs=[*desired.files(), local_state])
        if opts.write_state and store is not None:
            written = state_from_graph(desired.graph, _physical_ids(state))
            written.serial = state.serial if state is not None else 0
            save(store, written)
            sys.stderr.write(printable(f"wrote the planned state ({len(desired.graph.resources)} resources) to "
                                       f"{store.label}") + "\n")
    if opts.detailed_exitcode:
        return 2 if plan.has_changes else 0
    return 0


def _report_failure(exc: InputError, opts: PlanOptions) -> None:
    """The plan report of a run an input error stopped (JSON, markdown: the failure shows where the report goes)."""
    from ..report import emit_failure

    emit_failure("plan", exc, opts.format, opts.output)


def refresh_state(desired: Desired, state: State | None, opts: StateOptions) -> tuple[State | None, list]:
    """The state as the account holds it, and the drift (``plan --refresh``)."""
    from .aws import aws_errors, describe, is_credentials_error, make_clients, resolve_region
    from .refresh import refresh

    if state is None or not any(r.physical_id for r in state.resources.values()):
        raise InputError("--refresh reads the resources a deploy recorded: it needs the state `apictl deploy` or "
                         "`apictl import` wrote (with physical ids)")
    service = "apigateway" if desired.graph.api_type == "rest" else "apigatewayv2"
    clients = make_clients(service, resolve_region(opts.region), opts.endpoint_url)
    try:
        return refresh(clients, desired, state)
    except aws_errors() as exc:
        if is_credentials_error(exc):
            raise InputError(f"AWS credentials: {describe(exc)}") from None
        raise AccountError(f"refresh failed (reading the account): {describe(exc)}") from None


class AccountError(Exception):
    """An AWS call failed while only reading: exit 1 (the CLI prints the message)."""


def _physical_ids(state: State | None) -> dict[str, str]:
    if state is None:
        return {}
    return {a: r.physical_id for a, r in state.resources.items() if r.physical_id}


def format_plan(plan: Plan, desired: Desired, state_label: str | None, fmt: str) -> str:
    from ..report import render
    from .render import plan_report, render_text

    if fmt == "text":
        return printable(render_text(plan, desired, state_label), keep="\n")  # spec text cannot garble a terminal
    return render(plan_report(plan, desired, state_label), fmt)


EXPORT_FILE_NAMES = {"cloudformation": "{stage}.cloudformation.json", "sam": "{stage}.sam.json",
                     "terraform": "{stage}.tf.json"}


@dataclass
class ExportOptions:
    stage: str | None
    formats: list[str]
    out: Path | None = None
    out_dir: Path | None = None
    force: bool = False
    config: Path | None = None
    max_file_size: int = MAX_FILE_SIZE_MIB


def run_export(opts: ExportOptions) -> int:
    """One format to --out FILE (or standard output); several (one pipeline run) to --out-dir."""
    if not opts.formats:
        raise InputError(f"--format is required: one of {', '.join(EXPORT_FORMATS)}")
    for fmt in opts.formats:
        check_choice(fmt, EXPORT_FORMATS, "--format")
    formats = list(dict.fromkeys(opts.formats))
    if len(formats) > 1 and opts.out_dir is None:
        raise InputError("several --format values need --out-dir DIR (one file per format)")
    if opts.out is not None and opts.out_dir is not None:
        raise InputError("give --out FILE or --out-dir DIR, not both")
    stage = need_stage(opts.stage)
    targets: list[Path | None] = [opts.out]
    if opts.out_dir is not None:
        if not re.match(r"^[A-Za-z0-9_-]+$", stage):
            raise InputError(f"stage '{stage}' cannot name a file; use --out")
        targets = [opts.out_dir / EXPORT_FILE_NAMES[fmt].format(stage=stage) for fmt in formats]
    option = "--out-dir" if opts.out_dir is not None else "--out"
    for target in targets:
        if target is None:
            continue
        refuse_inputs(target, [opts.config], option)  # before any work; the spec is checked once it is read
        if paths.exists(target) and not opts.force:
            raise InputError("output file exists; pass --force to overwrite it", str(target))
    desired = load_desired(stage, opts.config, max_file_bytes(opts.max_file_size))
    texts = [export_text(desired, fmt) for fmt in formats]  # all built before anything is written
    read = desired.files()
    for fmt, text, target in zip(formats, texts, targets):
        size = len(text.encode())  # bytes in the file: measured once (a template can be several MB)
        note = size_note(size, fmt) if fmt != "terraform" else None
        if note:
            sys.stderr.write(note + "\n")
        if target is None:
            emit(text, None)
        else:
            write_file(target, text, replace=opts.force, what=f"{fmt} export", inputs=read, option=option)
            sys.stderr.write(printable(f"wrote {fmt} ({size:,} bytes) to {target}") + "\n")
    return 0


def size_note(size: int, fmt: str) -> str | None:
    from .export import size_note as note

    return note(size, fmt)


def export_text(desired: Desired, fmt: str) -> str:
    from importlib import import_module

    module = import_module(f".export.{fmt}", __package__)
    return module.export(desired)


@dataclass
class DeployOptions(StateOptions):
    stage: str | None = None
    config: Path | None = None
    refresh: bool = True
    quiet: bool = False  # no progress bar
    max_file_size: int = MAX_FILE_SIZE_MIB


def run_deploy(opts: DeployOptions) -> int:
    from .deploy import DeploySettings, deploy

    timeout = lock_seconds(opts)
    desired = load_desired(need_stage(opts.stage), opts.config, max_file_bytes(opts.max_file_size))
    store = state_store(desired, opts)
    settings = DeploySettings(endpoint_url=opts.endpoint_url, region=opts.region, lock_timeout=timeout,
                              refresh=opts.refresh, show_progress=not opts.quiet)
    return deploy(desired, store, settings)


@dataclass
class ImportOptions(StateOptions):
    stage: str | None = None
    rest_api_id: str | None = None
    api_id: str | None = None
    config: Path | None = None
    max_file_size: int = MAX_FILE_SIZE_MIB


def run_import(opts: ImportOptions) -> int:
    from .adopt import adopt

    if bool(opts.rest_api_id) == bool(opts.api_id):
        raise InputError("give the API to import: --rest-api-id ID (REST API) or --api-id ID (HTTP API)")
    timeout = lock_seconds(opts)
    desired = load_desired(need_stage(opts.stage), opts.config, max_file_bytes(opts.max_file_size))
    kind = "rest" if opts.rest_api_id else "http"
    if desired.graph.api_type != kind:
        option = "--rest-api-id" if kind == "rest" else "--api-id"
        raise InputError(f"{option} names a{'' if kind == 'rest' else 'n'} {kind.upper()} API, but stage "
                         f"'{desired.stage.name}' deploys a{'n' if desired.graph.api_type == 'http' else ''} "
                         f"{desired.graph.api_type.upper()} API ({desired.source.document.display})")
    store = state_store(desired, opts)
    return adopt(desired, store, opts.rest_api_id or opts.api_id or "", opts.region, opts.endpoint_url, timeout)


def run_force_unlock(location: str, lock_id: str, lock_table: str | None, region: str | None) -> int:
    from .state.store import open_store

    store = open_store(location, lock_table, region)
    unlock = getattr(store, "force_unlock", None)
    if unlock is None:
        raise InputError("a local state is locked with an OS lock that ends with its process: there is nothing "
                         "to unlock (the lock file beside it is only a note of who held it)", str(location))
    unlock(lock_id)
    sys.stderr.write(f"released lock {lock_id} of {store.label}\n")
    return 0
