"""`apictl diff BASE REVISION` / `apictl diff --stages SOURCE TARGET`: breaking changes, the CI gate."""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Tuple

import typer

from . import complete
from .shared import max_file_size_option

FORMAT_HELP = "Output format: text, json, markdown (a changelog), github, junit or sarif."


def diff(
    base: Optional[str] = typer.Argument(None, help="The old spec: a file, git:REF[:path] or stage:NAME."),
    revision: Optional[str] = typer.Argument(None, help="The new spec: a file, git:REF[:path] or stage:NAME."),
    stages: Optional[Tuple[str, str]] = typer.Option(None, "--stages", metavar="SOURCE TARGET",
                                                     help="What promoting SOURCE to TARGET changes: the API and the "
                                                          "stage settings (apictl.yaml).",
                                                     autocompletion=complete.stage_names),
    format: str = typer.Option("text", "--format", "-f", help=FORMAT_HELP,
                               autocompletion=complete.report_formats),
    fail_on: str = typer.Option("ERR", "--fail-on", help="Exit 1 on changes at or above ERR, WARN or INFO.",
                                autocompletion=complete.change_levels),
    level: str = typer.Option("INFO", "--level", help="Show changes at or above ERR, WARN or INFO.",
                              autocompletion=complete.change_levels),
    severity_file: Optional[Path] = typer.Option(None, "--severity-file", help="Lines '<check-id> <err|warn|info|none>' "
                                                 "(oasdiff --severity-levels format)."),
    ignore_file: Optional[Path] = typer.Option(None, "--ignore-file", help="Lines '<check-id> <METHOD> <path> [reason]'; "
                                               "globs allowed."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="Config file with the stages (default: nearest "
                                          "apictl.yaml)."),
    api_type: Optional[str] = typer.Option(None, "--api-type", help="rest or http (default: inferred).",
                                            autocompletion=complete.api_types),
    allow_remote: bool = typer.Option(False, "--allow-remote", help="Fetch http(s) $refs (off by default)."),
    max_file_size: int = max_file_size_option(),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    no_color: bool = typer.Option(False, "--no-color", help="No colours in text output (also: NO_COLOR=1)."),
    deprecation_days_stable: int = typer.Option(0, "--deprecation-days-stable", metavar="DAYS",
                                                help="Deprecating a stable operation, parameter or property needs an "
                                                     "x-sunset at least DAYS away (0: no policy)."),
    deprecation_days_beta: int = typer.Option(0, "--deprecation-days-beta", metavar="DAYS",
                                              help="The same for x-stability-level beta (0: no policy)."),
    list_checks: bool = typer.Option(False, "--list-checks", help="List every check id with its level and exit."),
) -> None:
    """Compare two versions of an API and report every change with an id and a level (ERR, WARN, INFO).

    Exit codes: 0 nothing at or above --fail-on; 1 breaking changes; 2 input error.

    Examples:

      apictl diff git:origin/main specs/ecommerce.yaml

      apictl diff old.yaml new.yaml --format markdown -o CHANGELOG-api.md

      apictl diff --stages dev prod --fail-on WARN
    """
    from ..diff.run import DiffOptions, list_checks as all_checks, run_diff

    if list_checks:
        rows = all_checks()
        width = max(len(r[1]) for r in rows)
        family = None
        for fam, check_id, lvl, summary in rows:
            if fam != family:
                family = fam
                typer.echo(f"\n{fam}")
            typer.echo(f"  {check_id.ljust(width)}  {lvl.ljust(4)}  {summary}")
        typer.echo(f"\n{len(rows)} checks.")
        return
    code = run_diff(DiffOptions(
        base=base, revision=revision, stages=stages, format=format, fail_on=fail_on, level=level,
        severity_file=severity_file, ignore_file=ignore_file, config=config, api_type=api_type,
        allow_remote=allow_remote, max_file_size=max_file_size, output=output, no_color=no_color,
        deprecation_days_stable=deprecation_days_stable, deprecation_days_beta=deprecation_days_beta,
    ))
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.command("diff")(diff)
