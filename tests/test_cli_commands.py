"""The command table of the lazy CLI: every command a module registers is listed (a command missing from it
would vanish from `apictl --help` and be unknown), and nothing is listed that no module registers."""
from __future__ import annotations

from importlib import import_module

import typer

from apictl.cli import COMMAND_MODULES
from conftest import run_apictl


def registered_by(module_name: str) -> set[str]:
    sub = typer.Typer()
    import_module(f"apictl.commands.{module_name}").register(sub)
    return {info.name for info in sub.registered_commands}


def test_the_table_lists_exactly_what_each_module_registers():
    for module_name in sorted(set(COMMAND_MODULES.values())):
        listed = {name for name, module in COMMAND_MODULES.items() if module == module_name}
        assert registered_by(module_name) == listed, module_name


def test_every_command_answers_help_and_is_listed():
    listing = run_apictl("--help")
    assert listing.returncode == 0
    for name in COMMAND_MODULES:
        assert f"  {name} " in listing.stdout
        result = run_apictl(name, "--help")
        assert result.returncode == 0, result.stderr
        assert f"Usage: apictl {name}" in result.stdout


def test_an_unknown_command_is_a_usage_error():
    result = run_apictl("valdate", "x.yaml")
    assert result.returncode == 2
    assert "No such command 'valdate'" in result.stderr
