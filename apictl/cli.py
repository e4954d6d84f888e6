"""The typer app. Each command lives in ``apictl/commands/<module>.py`` and imports its real work lazily;
the commands themselves are registered lazily too: running one imports and builds only the module that
declares it (``--help`` and completion of command names build them all). User errors become one line on
stderr and exit code 2."""
from __future__ import annotations

from functools import lru_cache
from importlib import import_module

import click
import typer
import typer.core
from typer.core import TyperGroup

from . import __version__
from .guard import run_guarded

# typer 0.15-0.19 escapes "[default: text]" for rich whenever rich is importable, even with rich_markup_mode=None,
# so help showed a literal "\[default: text]" (fastapi/typer#1058, fix proposed in #1089). apictl never uses rich.
typer.core.HAS_RICH = False

# command name -> the module of apictl/commands/ whose register() declares it, in the order --help lists them
COMMAND_MODULES = {
    "validate": "validate", "lint": "validate", "rules": "rules", "diff": "diff", "plan": "plan",
    "export": "plan", "deploy": "plan", "import": "plan", "force-unlock": "plan", "sdk": "sdk", "serve": "serve",
    "lsp": "lsp",
}
APP_SETTINGS = dict(pretty_exceptions_enable=False, rich_markup_mode=None)


@lru_cache(maxsize=None)
def commands_of(module_name: str) -> dict[str, click.Command]:
    """The click commands one module of apictl/commands/ registers."""
    module = import_module(f".commands.{module_name}", __package__)
    sub = typer.Typer(**APP_SETTINGS)
    module.register(sub)
    return dict(typer.main.get_group(sub).commands)


class LazyCommands(TyperGroup):
    """The command group; a command is built from its module the first time it is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        return commands_of(module).get(cmd_name) if module else None


app = typer.Typer(
    name="apictl",
    help="Lint, diff, plan and generate SDKs for OpenAPI specs on Amazon API Gateway.",
    cls=LazyCommands,
    no_args_is_help=True,
    add_completion=True,
    **APP_SETTINGS,
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


def run() -> None:
    # one name however it was started (`apictl`, `python -m apictl`): usage lines and the completion
    # variable (_APICTL_COMPLETE) must not depend on it
    run_guarded(lambda: app(standalone_mode=True, prog_name="apictl"))
