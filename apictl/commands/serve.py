"""`apictl serve`: run the API locally as API Gateway would, from its definition and a stage."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from . import complete
from .shared import max_file_size_option


def serve(
    spec: Optional[str] = typer.Argument(None, help="The spec (default: the --stage's spec in apictl.yaml)."),
    stage: Optional[str] = typer.Option(None, "--stage", "-s", help="Stage from apictl.yaml: its variables, usage "
                                        "plans, throttling and access-log format (default: the only stage; with a "
                                        "SPEC and no stages: dev for REST, $default for HTTP APIs).",
                                        autocompletion=complete.stage_names),
    port: int = typer.Option(3000, "--port", "-p", help="Port on 127.0.0.1 (0 picks a free one)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    lambda_: Optional[List[str]] = typer.Option(None, "--lambda", "-l", help="NAME=module:function (a Python "
                                                "handler) or 'NAME=-- command args' (any runtime: event on "
                                                "stdin, result on stdout) for the Lambda function NAME; repeatable."),
    aws_endpoint: Optional[str] = typer.Option(None, "--aws-endpoint", help="Endpoint for AWS service integrations "
                                               "(e.g. a moto_server URL); also AWS_ENDPOINT_URL for handlers. "
                                               "Default: the real account."),
    jwks: Optional[List[str]] = typer.Option(None, "--jwks", help="AUTHORIZER_OR_ISSUER=FILE|URL: keys for a Cognito "
                                             "or JWT authorizer; repeatable."),
    api_key: Optional[List[str]] = typer.Option(None, "--api-key", help="NAME=VALUE for a usage plan's API key "
                                                "(default value: the key's name); repeatable."),
    credentials: Optional[List[str]] = typer.Option(None, "--credentials", help="ACCESS_KEY_ID:SECRET accepted for "
                                                    "AWS_IAM methods (default: AWS_ACCESS_KEY_ID/SECRET from the "
                                                    "environment); repeatable."),
    region: Optional[str] = typer.Option(None, "--region", help="Region in ARNs (default: from the integration URIs)."),
    watch: bool = typer.Option(False, "--watch", "-w", help="Reload the definition and the handlers when a file "
                               "changes."),
    access_log: bool = typer.Option(True, "--access-log/--no-access-log", help="Print one access-log line per "
                                    "request (the stage's accessLogSettings format) on standard output."),
    api_type: Optional[str] = typer.Option(None, "--api-type", help="rest or http (default: inferred).",
                                            autocompletion=complete.api_types),
    param: Optional[List[str]] = typer.Option(None, "--param", help="KEY=VALUE for ${KEY} in CloudFormation Fn::Sub "
                                              "values (a template's URIs); repeatable."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="Config file (default: nearest apictl.yaml)."),
    max_file_size: int = max_file_size_option(),
) -> None:
    """Serve the API on 127.0.0.1 exactly as API Gateway would run it: routing, validators, API keys and
    usage plans, authorizers, MOCK/HTTP/Lambda/AWS integrations with mapping templates, gateway
    responses, CORS and access logs. Parts of the definition that cannot run are listed first (exit 2).

    Examples:

      apictl serve --stage dev

      apictl serve specs/api.yaml --stage dev --lambda orders-dev=handlers.orders:handler

      apictl serve --stage dev --aws-endpoint http://127.0.0.1:5000 --watch
    """
    from ..options import check_choice
    from ..serve.load import LoadOptions, load
    from ..serve.server import ServeOptions, serve as run_server

    check_choice(api_type, ("rest", "http"), "--api-type")
    options = LoadOptions(spec=spec, stage=stage, config=config, api_type=api_type, lambdas=lambda_ or [],
                          jwks=jwks or [], api_keys=api_key or [], credentials=credentials or [],
                          aws_endpoint=aws_endpoint, region=region,
                          params=param or [], max_file_size=max_file_size)
    _, config_path = load(options)  # fail fast on bad input, before binding the port
    raise typer.Exit(run_server(ServeOptions(host=host, port=port, watch=watch, access_log=access_log,
                                             load=lambda: load(options)[0]), config_path))


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
