"""Fast start-up path: `apictl validate ...` without importing typer and click (about 45 ms of a 60 ms
interpreter start, issue 14).

The options are not defined here. ``apictl/commands/fast_table.py`` is generated from the typer commands
(``python -m apictl.commands.fast --write``; tests/test_fast_start.py fails when it is stale), and only the
plain forms of arguments are parsed here: ``--name value``, ``--name=value``, ``-x value``, flags and
positional arguments. Anything else (``--help``, completion, an unknown or malformed option, a value that
does not convert, ``--``, bundled short options, a value that looks like an option) returns None and the
full typer app handles the command, so errors, help and completion come from one place. For arguments it
accepts, the command's function receives exactly what typer would pass it (the same test compares both).
"""
from __future__ import annotations

import os
import sys
from importlib import import_module
from types import ModuleType

# command -> module of apictl/commands/ whose run(**arguments) -> exit code does the work (typer-free)
RUNNERS = {"validate": "validate_run", "lint": "validate_run"}
COMPLETION_VARIABLE = "_APICTL_COMPLETE"
KINDS = ("flag", "string", "int", "path")


def parse(argv: list[str]) -> tuple[str, dict] | None:
    """(command, the keyword arguments typer would call its function with), or None when the full app
    must handle these arguments."""
    if not argv or argv[0] not in RUNNERS or COMPLETION_VARIABLE in os.environ:
        return None
    from .fast_table import COMMANDS

    spec = COMMANDS.get(argv[0])
    if spec is None:
        return None
    options, argument = spec["options"], spec["argument"]
    given: dict = {}
    positional: list[str] = []
    args = argv[1:]
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "-" or arg == "--":
            return None
        if not arg.startswith("-"):
            positional.append(arg)
            continue
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name not in options or (not name.startswith("--") and len(name) != 2):
            return None
        dest, kind, multiple = options[name]
        if kind == "flag":
            if eq:
                return None
            given[dest] = True
            continue
        if not eq:
            if i >= len(args) or args[i].startswith("-"):
                return None
            value = args[i]
            i += 1
        converted = _convert(kind, value)
        if converted is None:
            return None
        if multiple:
            given.setdefault(dest, []).append(converted)
        else:
            given[dest] = converted
    if positional:
        if argument is None:
            return None
        given[argument] = positional
    return argv[0], {**spec["defaults"], **given}


def _convert(kind: str, value: str):
    if kind == "int":
        try:
            return int(value)
        except ValueError:
            return None
    if kind == "path":
        from pathlib import Path

        return Path(value)
    return value


def run(argv: list[str]) -> None:
    """Run the command the fast way, ending as apictl/cli.py run() ends (SystemExit with the exit code), or
    return when the full app must run it."""
    parsed = parse(argv)
    if parsed is None:
        return
    command, arguments = parsed
    defer_import("inspect")
    from ..guard import run_guarded

    runner = import_module(f".{RUNNERS[command]}", __package__).run
    run_guarded(lambda: sys.exit(_as_click_would(runner, arguments)))


def _as_click_would(runner, arguments: dict) -> int:
    """The runner's exit code, with what click's standalone mode does around a command: Ctrl-D / a
    KeyboardInterrupt inside it is "Aborted!" and exit 1, and a closed pipe ends the run quietly with exit 1."""
    try:
        return runner(**arguments)
    except (EOFError, KeyboardInterrupt):
        sys.stderr.write("\nAborted!\n")
        return 1
    except OSError as exc:
        import errno

        if exc.errno != errno.EPIPE:
            raise
        from click.utils import PacifyFlushWrapper

        sys.stdout = PacifyFlushWrapper(sys.stdout)
        sys.stderr = PacifyFlushWrapper(sys.stderr)
        return 1


class _Deferred(ModuleType):
    """Stands in ``sys.modules`` for a module until an attribute of it is first read; then the real module is
    imported and this object takes on its namespace, so that the modules holding it keep working."""

    def __getattr__(self, attr: str):
        real = _load_deferred(self.__name__)
        self.__dict__.update(real.__dict__)
        return getattr(real, attr)


def _load_deferred(name: str) -> ModuleType:
    if isinstance(sys.modules.get(name), _Deferred):
        del sys.modules[name]
    return import_module(name)


def defer_import(name: str) -> None:
    """Make ``import name`` cheap until the module is really used.

    For ``inspect`` (with ast, dis and tokenize, ~8 ms, about a tenth of a small validate): ``dataclasses``
    imports it only to write a docstring for a dataclass that has none, and apictl's dataclasses all have
    one, so a validate run never reads it. (importlib.util.LazyLoader does not help here: the import system
    reads ``__spec__`` of a module found in ``sys.modules``, which makes a lazy module load at once.)"""
    if name not in sys.modules:
        placeholder = _Deferred(name)
        placeholder.__spec__ = None  # read by the import system: no "_initializing" module
        sys.modules[name] = placeholder


def build_table() -> dict:
    """The table of apictl/commands/fast_table.py, read from the typer commands."""
    import click

    from ..cli import COMMAND_MODULES, commands_of

    table = {}
    for command in RUNNERS:
        click_command = commands_of(COMMAND_MODULES[command])[command]
        options: dict = {}
        defaults: dict = {}
        argument = None
        for param in click_command.params:
            if param.envvar or param.callback or param.is_eager or not param.expose_value:
                raise ValueError(f"{command}: {param.name}: the fast path cannot parse this parameter")
            multiple = bool(getattr(param, "multiple", False)) or param.nargs == -1
            if isinstance(param, click.Argument):
                if argument is not None or param.nargs != -1 or param.required:
                    raise ValueError(f"{command}: {param.name}: only one optional nargs=-1 argument is supported")
                argument = param.name
            elif param.nargs != 1 or param.count or param.secondary_opts or param.prompt:
                raise ValueError(f"{command}: {param.name}: the fast path cannot parse this option")
            kind = _kind(param)
            if multiple and param.default is not None:
                raise ValueError(f"{command}: {param.name}: repeatable with a default")
            if isinstance(param, click.Option):
                for opt in param.opts:
                    options[opt] = (param.name, kind, multiple)
            default = param.default
            defaults[param.name] = _convert(kind, default) if kind == "path" and default is not None else default
        table[command] = {"options": options, "argument": argument, "defaults": defaults}
    return table


def _kind(param) -> str:
    import click

    if getattr(param, "is_flag", False):
        if param.flag_value is not True or param.default is not False:
            raise ValueError(f"{param.name}: only on/off flags that default to off are supported")
        return "flag"
    if isinstance(param.type, click.Path):
        if param.type.exists or param.type.resolve_path or param.type.allow_dash or param.type.type is not None:
            raise ValueError(f"{param.name}: only unchecked paths are supported")
        return "path"
    if type(param.type) is click.types.IntParamType:
        return "int"
    if type(param.type) is click.types.StringParamType:
        return "string"
    raise ValueError(f"{param.name}: type {param.type!r} is not supported by the fast path")


def table_source() -> str:
    import pprint

    table = build_table()
    written: dict = {}  # an alias (lint = validate) has the same table: written once, named again
    aliases = []
    for name in sorted(table, key=lambda n: (n != "validate", n)):
        first = next((other for other, spec in written.items() if spec == table[name]), None)
        if first is None:
            written[name] = table[name]
        else:
            aliases.append(f"COMMANDS[{name!r}] = COMMANDS[{first!r}]\n")
    return ('"""Generated by `python -m apictl.commands.fast --write` from the typer commands: do not edit.\n'
            'Read by apictl/commands/fast.py; tests/test_fast_start.py checks that it is up to date."""\n'
            "COMMANDS = " + pprint.pformat(written, width=110, sort_dicts=True) + "\n" + "".join(aliases))


if __name__ == "__main__":
    from pathlib import Path

    from ..output import write_file

    target = Path(__file__).with_name("fast_table.py")
    if sys.argv[1:] == ["--write"]:
        write_file(target, table_source(), what="table")
        print(f"wrote {target.name}")
    else:
        sys.stdout.write(table_source())
