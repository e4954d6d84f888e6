"""`apictl validate` (alias `lint`): structure, semantics and API Gateway rules."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..progress import VALIDATE_FILES
from . import complete
from .shared import max_file_size_option

FORMAT_HELP = "Output format: text, json, sarif, github, junit or markdown."


def validate(
    files: Optional[List[str]] = typer.Argument(None, help="Spec files, SAM/CloudFormation templates, git:REF:path, or "
                                                "folders (their OpenAPI documents and templates). Default: the "
                                                "`specs` listed in apictl.yaml."),
    format: str = typer.Option("text", "--format", "-f", help=FORMAT_HELP,
                               autocompletion=complete.report_formats),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Exit 1 on findings at or above: error, warning or info "
                                          "(default: error, or fail_on in the config).",
                                          autocompletion=complete.lint_levels),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="Config file (default: nearest apictl.yaml "
                                          "or pyproject.toml with [tool.apictl])."),
    api_type: Optional[str] = typer.Option(None, "--api-type", help="rest or http (default: inferred and reported).",
                                            autocompletion=complete.api_types),
    param: Optional[List[str]] = typer.Option(None, "--param", "-p", help="KEY=VALUE for ${KEY} in CloudFormation "
                                              "Fn::Sub values; repeatable."),
    allow_remote: bool = typer.Option(False, "--allow-remote", help="Fetch http(s) $refs (off by default)."),
    root: Optional[Path] = typer.Option(None, "--root", help="Folder $refs may not leave (default: the spec's folder)."),
    max_file_size: int = max_file_size_option(),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Hide findings recorded in this baseline file."),
    write_baseline: bool = typer.Option(False, "--write-baseline", help="Record the current findings as the baseline "
                                        "(baseline from --baseline, the config, or .apictl-baseline.json) and exit 0."),
    only_openapi: bool = typer.Option(False, "--only-openapi", help="Skip files that are neither OpenAPI documents nor "
                                      "templates with APIs (for pre-commit hooks that pass every YAML file)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    no_color: bool = typer.Option(False, "--no-color", help="No colours in text output (also: NO_COLOR=1)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar (shown on a terminal from "
                               f"{VALIDATE_FILES} files)."),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes for many files (default 0: one per CPU)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Validate every file again instead of reusing the "
                                  "results of unchanged files (.apictl_cache/ next to apictl.yaml, or here)."),
    shard: Optional[str] = typer.Option(None, "--shard", metavar="K/N", help="Validate only share K of N of the files "
                                        "(the same split on every machine: one CI matrix job per share)."),
) -> None:
    """Validate specs: OpenAPI structure and semantics plus every x-amazon-apigateway extension.

    Examples:

      apictl validate specs/ecommerce.yaml

      apictl validate template.yaml --param Stage=prod --format sarif -o apictl.sarif

      apictl validate specs/*.yaml --fail-on warning --format github

      apictl validate specs/ --shard 2/4
    """
    from .validate_run import run

    code = run(files=files, format=format, fail_on=fail_on, config=config, api_type=api_type, param=param,
               allow_remote=allow_remote, root=root, max_file_size=max_file_size, baseline=baseline,
               write_baseline=write_baseline, only_openapi=only_openapi, output=output, no_color=no_color,
               quiet=quiet, jobs=jobs, no_cache=no_cache, shard=shard)
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
    app.command("lint", help="Alias of `validate`.")(validate)
