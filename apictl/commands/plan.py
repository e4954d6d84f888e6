"""`apictl plan`, `apictl export` and `apictl deploy`: one resource graph, three uses."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..source.errors import InputError
from . import complete
from .shared import max_file_size_option

STAGE_HELP = "Stage from apictl.yaml `stages:` (its spec and settings)."
CONFIG_HELP = "Config file (default: nearest apictl.yaml or pyproject.toml with [tool.apictl])."


def plan(
    stage: Optional[str] = typer.Option(None, "--stage", "-s", help=STAGE_HELP,
                                           autocompletion=complete.stage_names),
    state: Optional[Path] = typer.Option(None, "--state", help="State file to compare with (written by "
                                         "--write-state or `apictl deploy`). Without it, everything is new. "
                                         "A missing file is an error unless --write-state starts it."),
    write_state: bool = typer.Option(False, "--write-state", help="After planning, record the desired resources "
                                     "in --state FILE (e.g. once CloudFormation/Terraform applied the export)."),
    format: str = typer.Option("text", "--format", "-f", help="text (like terraform plan), json or markdown.",
                               autocompletion=complete.plan_formats),
    detailed_exitcode: bool = typer.Option(False, "--detailed-exitcode", help="Exit 0 when there are no changes, "
                                           "2 when there are changes, 1 on any error (terraform's convention)."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help=CONFIG_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the plan to this file."),
    max_file_size: int = max_file_size_option(),
) -> None:
    """Show what deploying a stage changes: create (+), update (~), replace (-/+ or +/-), delete (-),
    in dependency order, with the changed attributes and whether the stage needs a new deployment.

    Exit codes: 0 planned (changes or not); 2 input error (unknown stage, missing or foreign state
    file, bad spec). With --detailed-exitcode (terraform's convention): 0 no changes, 2 changes,
    1 error (input errors then exit 1, so that 2 always means "changes"). A command line that cannot
    be parsed at all (an unknown option) is a usage error, exit 2, in both modes.

    Examples:

      apictl plan --stage prod

      apictl plan --stage prod --state .apictl/prod.json --detailed-exitcode

      apictl plan --stage prod --state .apictl/prod.json --write-state --format json
    """
    from ..plan.run import PlanOptions, run_plan

    opts = PlanOptions(stage=stage, state=state, write_state=write_state, format=format,
                       detailed_exitcode=detailed_exitcode, config=config, output=output, max_file_size=max_file_size)
    if not detailed_exitcode:
        raise typer.Exit(run_plan(opts))
    try:
        code = run_plan(opts)
    except InputError as exc:
        sys.stderr.write(exc.one_line() + "\n")
        code = 1
    raise typer.Exit(code)


def export(
    format: Optional[List[str]] = typer.Option(None, "--format", "-f", help="cloudformation, sam or terraform "
                                               "(.tf.json); repeat it to write several formats from one run "
                                               "(with --out-dir).", autocompletion=complete.export_formats),
    stage: Optional[str] = typer.Option(None, "--stage", "-s", help=STAGE_HELP,
                                           autocompletion=complete.stage_names),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write to this file (default: standard output); "
                                       "an existing file is kept unless --force."),
    out_dir: Optional[Path] = typer.Option(None, "--out-dir", help="Write STAGE.cloudformation.json, STAGE.sam.json "
                                           "and/or STAGE.tf.json into this folder."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing output files."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help=CONFIG_HELP),
    max_file_size: int = max_file_size_option(),
) -> None:
    """Export a stage as a CloudFormation template (JSON), a SAM template (JSON) or Terraform
    (.tf.json), with the redeploy pattern each engine needs (a deployment keyed by the definition's
    hash). Exit codes: 0 written; 2 input error.

    Examples:

      apictl export --format cloudformation --stage prod --out template.json

      apictl export --format terraform --stage dev --out api.tf.json

      apictl export -f cloudformation -f sam -f terraform --stage prod --out-dir build/
    """
    from ..plan.run import ExportOptions, run_export

    raise typer.Exit(run_export(ExportOptions(stage=stage, formats=format or [], out=out, out_dir=out_dir,
                                              force=force, config=config, max_file_size=max_file_size)))


def deploy(
    stage: Optional[str] = typer.Option(None, "--stage", "-s", help=STAGE_HELP,
                                           autocompletion=complete.stage_names),
    endpoint_url: Optional[str] = typer.Option(None, "--endpoint-url", help="API Gateway endpoint (e.g. a local "
                                               "moto_server); default: AWS."),
    region: Optional[str] = typer.Option(None, "--region", help="AWS region (default: AWS_REGION / "
                                         "AWS_DEFAULT_REGION / your AWS config)."),
    state: Optional[Path] = typer.Option(None, "--state", help="State file: read to update what the last deploy "
                                         "created (physical ids), written after every step. Without it, "
                                         "everything is created anew."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help=CONFIG_HELP),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar (shown on a terminal)."),
    max_file_size: int = max_file_size_option(),
) -> None:
    """Apply the plan of a stage through the API Gateway API (needs boto3: pip install 'apictl[deploy]'):
    import or put-rest-api (overwrite) the body, create a deployment when the definition changed,
    create or update the stage, usage plans, API keys, the domain and its mapping.

    Exit codes: 0 deployed; 1 an AWS call failed (the state records what was done); 2 input error.

    Example:

      apictl deploy --stage dev --state .apictl/dev-deployed.json --endpoint-url http://127.0.0.1:5000
    """
    from ..plan.run import DeployOptions, run_deploy

    raise typer.Exit(run_deploy(DeployOptions(stage=stage, endpoint_url=endpoint_url, region=region, state=state,
                                              config=config, quiet=quiet, max_file_size=max_file_size)))


def register(app: typer.Typer) -> None:
    app.command("plan")(plan)
    app.command("export")(export)
    app.command("deploy")(deploy)
