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
from ..output import emit, write_file
from ..source.errors import InputError
from .pipeline import Desired, load_desired

if TYPE_CHECKING:
    from .plan import Plan
    from .state import State

PLAN_FORMATS = ("text", "json", "markdown")
EXPORT_FORMATS = ("cloudformation", "sam", "terraform")


@dataclass
class PlanOptions:
    stage: str | None
    state: Path | None = None
    write_state: bool = False
    format: str = "text"
    detailed_exitcode: bool = False
    config: Path | None = None
    output: Path | None = None
    max_file_size: int = MAX_FILE_SIZE_MIB


def need_stage(stage: str | None) -> str:
    if not stage:
        raise InputError("--stage NAME is required (the stages are listed under `stages:` in apictl.yaml)")
    return stage


def load_state(desired: Desired, path: Path | None, missing_ok: bool = False) -> State | None:
    from .state import read_state

    if path is None or (missing_ok and not path.exists()):
        return None
    g = desired.graph
    return read_state(path, g.title, g.api_type, g.stage)


def run_plan(opts: PlanOptions) -> int:
    """Exit codes: 0 success (or, with --detailed-exitcode, no changes); 2 changes with
    --detailed-exitcode. Errors raise InputError (the caller maps them to 2, or 1 with
    --detailed-exitcode)."""
    from .plan import make_plan
    from .state import state_from_graph, write_state

    check_choice(opts.format, PLAN_FORMATS, "--format")
    if opts.write_state and opts.state is None:
        raise InputError("--write-state needs --state FILE (where to write it)")
    desired = load_desired(need_stage(opts.stage), opts.config, max_file_bytes(opts.max_file_size))
    state = load_state(desired, opts.state, missing_ok=opts.write_state)
    plan = make_plan(desired.graph, state)
    label = str(opts.state) if state is not None else None
    emit(format_plan(plan, desired, label, opts.format), opts.output)
    if opts.write_state and opts.state is not None:
        write_state(opts.state, state_from_graph(desired.graph, _physical_ids(state)))
        sys.stderr.write(f"wrote the planned state ({len(desired.graph.resources)} resources) to {opts.state}\n")
    if opts.detailed_exitcode:
        return 2 if plan.has_changes else 0
    return 0


def _physical_ids(state: State | None) -> dict[str, str]:
    if state is None:
        return {}
    return {a: r.physical_id for a, r in state.resources.items() if r.physical_id}


def format_plan(plan: Plan, desired: Desired, state_label: str | None, fmt: str) -> str:
    from ..report import render
    from .render import plan_report, render_text

    if fmt == "text":
        return render_text(plan, desired, state_label)
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
    for target in targets:
        if target is not None and target.exists() and not opts.force:
            raise InputError("output file exists; pass --force to overwrite it", str(target))
    desired = load_desired(stage, opts.config, max_file_bytes(opts.max_file_size))
    texts = [export_text(desired, fmt) for fmt in formats]  # all built before anything is written
    for fmt, text, target in zip(formats, texts, targets):
        size = len(text.encode())  # bytes in the file: measured once (a template can be several MB)
        note = size_note(size, fmt) if fmt != "terraform" else None
        if note:
            sys.stderr.write(note + "\n")
        if target is None:
            emit(text, None)
        else:
            write_file(target, text, replace=opts.force, what=f"{fmt} export")
            sys.stderr.write(f"wrote {fmt} ({size:,} bytes) to {target}\n")
    return 0


def size_note(size: int, fmt: str) -> str | None:
    from .export import size_note as note

    return note(size, fmt)


def export_text(desired: Desired, fmt: str) -> str:
    from importlib import import_module

    module = import_module(f".export.{fmt}", __package__)
    return module.export(desired)


@dataclass
class DeployOptions:
    stage: str | None
    endpoint_url: str | None = None
    region: str | None = None
    state: Path | None = None
    config: Path | None = None
    quiet: bool = False  # no progress bar
    max_file_size: int = MAX_FILE_SIZE_MIB


def run_deploy(opts: DeployOptions) -> int:
    from .deploy import deploy
    from .plan import make_plan

    desired = load_desired(need_stage(opts.stage), opts.config, max_file_bytes(opts.max_file_size))
    state = load_state(desired, opts.state, missing_ok=True)
    plan = make_plan(desired.graph, state)
    return deploy(desired, plan, state, opts.endpoint_url, opts.region, opts.state, show_progress=not opts.quiet)
