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
ENDPOINT_HELP = "API Gateway endpoint (e.g. a local moto_server); default: AWS."
REGION_HELP = "AWS region (default: AWS_REGION / AWS_DEFAULT_REGION / your AWS config)."
LOCK_TIMEOUT_HELP = ("How long to wait for the state lock held by another apictl (30s, 5m, 1h); default 0: "
                     "refuse at once, naming the holder.")
LOCK_TABLE_HELP = ("DynamoDB table (string key LockID) that locks a remote state (--state s3://BUCKET/KEY), "
                   "as terraform's S3 backend does.")


def plan(
    stage: Optional[str] = typer.Option(None, "--stage", "-s", help=STAGE_HELP,
                                        autocompletion=complete.stage_names),
    state: Optional[str] = typer.Option(None, "--state", help="State to compare with: a file or s3://BUCKET/KEY "
                                        "(written by --write-state, `apictl deploy` or `apictl import`). Default: "
                                        ".apictl/STAGE.json beside apictl.yaml when it exists; else everything is "
                                        "new. A missing --state is an error unless --write-state starts it."),
    write_state: bool = typer.Option(False, "--write-state", help="After planning, record the desired resources "
                                     "in --state FILE (e.g. once CloudFormation/Terraform applied the export)."),
    refresh: bool = typer.Option(False, "--refresh", help="Read the recorded resources from the account first: "
                                 "changes made outside apictl (drift) get their own section and the plan undoes "
                                 "them. Needs AWS credentials and a deploy state."),
    endpoint_url: Optional[str] = typer.Option(None, "--endpoint-url", help=ENDPOINT_HELP),
    region: Optional[str] = typer.Option(None, "--region", help=REGION_HELP),
    lock_timeout: Optional[str] = typer.Option(None, "--lock-timeout", help=LOCK_TIMEOUT_HELP),
    lock_table: Optional[str] = typer.Option(None, "--lock-table", help=LOCK_TABLE_HELP),
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

      apictl plan --stage dev --refresh
    """
    from ..plan.run import AccountError, PlanOptions, run_plan

    opts = PlanOptions(stage=stage, state=state, write_state=write_state, format=format,
                       detailed_exitcode=detailed_exitcode, config=config, output=output, refresh=refresh,
                       endpoint_url=endpoint_url, region=region, lock_timeout=lock_timeout, lock_table=lock_table,
                       max_file_size=max_file_size)
    try:
        code = run_plan(opts)
    except AccountError as exc:
        sys.stderr.write(f"apictl: error: {exc}\n")
        code = 1
    except InputError as exc:
        if not detailed_exitcode:
            raise
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
    endpoint_url: Optional[str] = typer.Option(None, "--endpoint-url", help=ENDPOINT_HELP),
    region: Optional[str] = typer.Option(None, "--region", help=REGION_HELP),
    state: Optional[str] = typer.Option(None, "--state", help="State: a file, or s3://BUCKET/KEY with --lock-table "
                                        "(default: .apictl/STAGE.json beside apictl.yaml). Locked for the whole "
                                        "deploy, written after every step."),
    refresh: bool = typer.Option(True, "--refresh/--no-refresh", help="Read the recorded resources from the "
                                 "account before planning (default), so that changes made outside apictl are undone "
                                 "and deleted resources made again."),
    lock_timeout: Optional[str] = typer.Option(None, "--lock-timeout", help=LOCK_TIMEOUT_HELP),
    lock_table: Optional[str] = typer.Option(None, "--lock-table", help=LOCK_TABLE_HELP),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help=CONFIG_HELP),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar (shown on a terminal)."),
    max_file_size: int = max_file_size_option(),
) -> None:
    """Apply the plan of a stage through the API Gateway API (needs boto3: pip install 'apictl[deploy]'):
    put the body, create a deployment when the definition changed, create or update the stage, usage
    plans, API keys, the domain and its mapping.

    Safe to retry: every resource apictl creates is tagged with its identity and looked up before it
    is created, so a rerun after a failure or a crash adopts what exists instead of duplicating it.
    The state is locked (one deploy at a time) and written after every step.

    Exit codes: 0 deployed; 1 an AWS call failed (the report says what was done and what was not;
    rerun to finish); 2 input error, or the state is locked by another apictl.

    Examples:

      apictl deploy --stage dev

      apictl deploy --stage prod --state s3://my-bucket/apictl/prod.json --lock-table apictl-locks --lock-timeout 5m
    """
    from ..plan.run import DeployOptions, run_deploy

    raise typer.Exit(run_deploy(DeployOptions(stage=stage, endpoint_url=endpoint_url, region=region, state=state,
                                              config=config, refresh=refresh, lock_timeout=lock_timeout,
                                              lock_table=lock_table, quiet=quiet, max_file_size=max_file_size)))


def import_api(
    stage: Optional[str] = typer.Option(None, "--stage", "-s", help=STAGE_HELP,
                                        autocompletion=complete.stage_names),
    rest_api_id: Optional[str] = typer.Option(None, "--rest-api-id", help="Id of the existing REST API."),
    api_id: Optional[str] = typer.Option(None, "--api-id", help="Id of the existing HTTP API."),
    state: Optional[str] = typer.Option(None, "--state", help="State to start: a file or s3://BUCKET/KEY "
                                        "(default: .apictl/STAGE.json beside apictl.yaml)."),
    endpoint_url: Optional[str] = typer.Option(None, "--endpoint-url", help=ENDPOINT_HELP),
    region: Optional[str] = typer.Option(None, "--region", help=REGION_HELP),
    lock_timeout: Optional[str] = typer.Option(None, "--lock-timeout", help=LOCK_TIMEOUT_HELP),
    lock_table: Optional[str] = typer.Option(None, "--lock-table", help=LOCK_TABLE_HELP),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help=CONFIG_HELP),
    max_file_size: int = max_file_size_option(),
) -> None:
    """Record an API made outside apictl (console, CLI, another tool) and its stage in the state, so
    that apictl manages it from now on: the API, the stage and its deployment, the usage plans
    attached to the stage and their keys, the custom domain and its mapping. Nothing in the account
    changes; the next plan shows only what really differs from the spec and the config.

    Exit codes: 0 recorded; 1 reading the account failed; 2 input error (unknown API id, a state
    that already records resources, a locked state).

    Examples:

      apictl import --stage prod --rest-api-id a1b2c3d4e5

      apictl import --stage live --api-id f6g7h8 --state .apictl/live.json
    """
    from ..plan.run import ImportOptions, run_import

    raise typer.Exit(run_import(ImportOptions(stage=stage, rest_api_id=rest_api_id, api_id=api_id, state=state,
                                              endpoint_url=endpoint_url, region=region, lock_timeout=lock_timeout,
                                              lock_table=lock_table, config=config,
                                              max_file_size=max_file_size)))


def force_unlock(
    lock_id: str = typer.Argument(..., help="The lock id the refusal printed."),
    state: str = typer.Option(..., "--state", help="The remote state: s3://BUCKET/KEY."),
    lock_table: Optional[str] = typer.Option(None, "--lock-table", help=LOCK_TABLE_HELP),
    region: Optional[str] = typer.Option(None, "--region", help=REGION_HELP),
) -> None:
    """Release the lock of a remote state that a killed apictl left behind (terraform's force-unlock).
    Only the lock with this id is released. Local states need no unlocking: their OS lock ends with
    the process that held it.

    Example:

      apictl force-unlock 4f6c...-9e2a --state s3://my-bucket/apictl/prod.json --lock-table apictl-locks
    """
    from ..plan.run import run_force_unlock

    raise typer.Exit(run_force_unlock(state, lock_id, lock_table, region))


def register(app: typer.Typer) -> None:
    app.command("plan")(plan)
    app.command("export")(export)
    app.command("deploy")(deploy)
    app.command("import")(import_api)
    app.command("force-unlock")(force_unlock)
