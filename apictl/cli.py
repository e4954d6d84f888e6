"""The typer app. Each command lives in ``apictl/commands/<name>.py`` and imports its real work
lazily, so start-up stays fast; user errors become one line on stderr and exit code 2."""
from __future__ import annotations

import sys

import typer

from . import __version__
from .commands import diff, lsp, plan, rules, sdk, serve, validate
from .source.errors import InputError

app = typer.Typer(
    name="apictl",
    help="Lint, diff, plan and generate SDKs for OpenAPI specs on Amazon API Gateway.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"apictl {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """apictl: OpenAPI + API Gateway in git, checked locally, in pre-commit and in CI.

    Exit codes: 0 clean; 1 findings at or above --fail-on, or breaking changes; 2 usage or input error.
    """


for module in (validate, rules, diff, plan, sdk, serve, lsp):
    module.register(app)


def run() -> None:
    try:
        # one name however it was started (`apictl`, `python -m apictl`): usage lines and the completion
        # variable (_APICTL_COMPLETE) must not depend on it
        app(standalone_mode=True, prog_name="apictl")
    except InputError as exc:
        sys.stderr.write(exc.one_line() + "\n")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.stderr.write("apictl: interrupted\n")
        sys.exit(130)
