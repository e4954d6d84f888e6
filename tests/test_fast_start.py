"""The fast start-up path (apictl/commands/fast.py): `apictl validate` without typer and click must behave
exactly as the full typer app does. For every argument list it accepts, the command function receives what
typer would give it; everything else (help, completion, errors, unusual forms) is left to the full app."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from apictl.commands import fast, validate_run
from apictl.commands.fast_table import COMMANDS
from conftest import ROOT, run_apictl

SPEC = "specs/ecommerce.yaml"

ACCEPTED = [
    [],
    [SPEC],
    [SPEC, "specs/dev", "other.yaml"],
    [SPEC, "--format", "json"],
    [SPEC, "--format=sarif", "-o", "out.sarif"],
    ["-f", "github", SPEC, "--fail-on", "warning"],
    [SPEC, "--config", "cfg/apictl.yaml", "--api-type", "http"],
    [SPEC, "-c", "apictl.yaml", "--root", "..", "--baseline", "b.json", "--write-baseline"],
    [SPEC, "--param", "Stage=prod", "-p", "Env=dev", "--param=Region=eu-west-1"],
    [SPEC, "--allow-remote", "--only-openapi", "--no-color", "-q", "--quiet", "--no-cache"],
    [SPEC, "--max-file-size", "5", "--jobs", "3", "-j", "2"],
    [SPEC, "--max-file-size=0", "--jobs=0", "--shard", "2/4"],
    [SPEC, "--format", "text", "--format", "json"],  # the last one wins, as in click
    ["git:HEAD:specs/ecommerce.yaml", "--output", "report.txt"],
    [SPEC, "--jobs", " 7 "],
    [SPEC, "--format", ""],
]

LEFT_TO_THE_FULL_APP = [
    ["--help"],
    [SPEC, "--help"],
    [SPEC, "-h"],
    [SPEC, "--bogus"],
    [SPEC, "--format"],  # a value is missing
    [SPEC, "--format", "--quiet"],  # click would take "--quiet" as the value
    [SPEC, "--jobs", "many"],
    [SPEC, "--jobs", "-1"],
    [SPEC, "--quiet=yes"],
    [SPEC, "-qf", "json"],
    [SPEC, "-fjson"],
    [SPEC, "-f=json"],
    ["--", SPEC],
    ["-"],
    ["--version"],
    ["diff", "a.yaml", "b.yaml"],
]


def full_app_arguments(command: str, args: list[str], monkeypatch) -> dict:
    """What the typer command passes on for `apictl <command> <args>`."""
    from apictl.cli import app

    seen: dict = {}

    def record(**kwargs):
        seen.update(kwargs)
        return 0

    monkeypatch.setattr(validate_run, "run", record)
    with pytest.raises(SystemExit) as exit_info:
        app([command, *args], prog_name="apictl")
    assert exit_info.value.code == 0
    return seen


def test_the_option_table_is_generated_from_the_typer_commands():
    assert fast.build_table() == COMMANDS, "run `python -m apictl.commands.fast --write`"


@pytest.mark.parametrize("command", sorted(fast.RUNNERS))
@pytest.mark.parametrize("args", ACCEPTED, ids=lambda a: " ".join(a) or "(none)")
def test_accepted_arguments_reach_the_command_as_typer_passes_them(command, args, monkeypatch):
    monkeypatch.delenv(fast.COMPLETION_VARIABLE, raising=False)
    parsed = fast.parse([command, *args])
    assert parsed is not None, "the fast path should handle these arguments"
    assert parsed == (command, full_app_arguments(command, args, monkeypatch))


@pytest.mark.parametrize("args", LEFT_TO_THE_FULL_APP, ids=lambda a: " ".join(a))
def test_anything_else_is_left_to_the_full_app(args, monkeypatch):
    monkeypatch.delenv(fast.COMPLETION_VARIABLE, raising=False)
    assert fast.parse(["validate", *args] if args[0] not in ("--version", "diff") else args) is None


def test_completion_requests_go_to_the_full_app(monkeypatch):
    monkeypatch.setenv(fast.COMPLETION_VARIABLE, "bash_complete")
    assert fast.parse(["validate", SPEC]) is None


def full_app(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The same command run by the full typer app only (apictl.cli.run), in a new process."""
    code = "import sys; from apictl.cli import run; sys.argv[0] = 'apictl'; run()"
    env = {"PYTHONPATH": str(ROOT), "NO_COLOR": "1", "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=env)


@pytest.mark.parametrize("args", [
    [SPEC, "--format", "json", "--no-cache"],
    ["tests/bad_inputs", "--no-cache", "-q", "--format=text"],
    ["missing.yaml", "--no-cache"],  # an input error: one line, exit 2
    [SPEC, "--format", "nonsense", "--no-cache"],
    [SPEC, "--jobs", "oops"],  # a click usage error, from the full app in both
])
def test_a_run_gives_the_same_output_and_exit_code_either_way(args):
    fast_run = run_apictl("validate", *args, env={"PATH": "/usr/bin:/bin"})
    typer_run = full_app("validate", *args, cwd=ROOT)
    assert (fast_run.returncode, fast_run.stdout, fast_run.stderr) == \
        (typer_run.returncode, typer_run.stdout, typer_run.stderr)


def test_a_deferred_module_is_imported_on_first_use(monkeypatch):
    import importlib

    name = "colorsys"  # a standard module nothing here imports
    monkeypatch.delitem(sys.modules, name, raising=False)
    fast.defer_import(name)
    placeholder = sys.modules[name]
    held = importlib.import_module(name)  # what `import colorsys` gives a module importing it now
    assert held is placeholder and "rgb_to_hsv" not in vars(placeholder)
    assert held.rgb_to_hsv(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0)  # the first use imports the real module
    real = sys.modules[name]
    assert real is not placeholder and real.rgb_to_hsv is held.rgb_to_hsv
    monkeypatch.delitem(sys.modules, name)


def fast_validate_in_a_child(arguments: list[str], then: list[str], cwd: Path) -> str:
    """Run `validate <arguments>` the fast way in a fresh interpreter, then the lines ``then`` (``code`` holds
    the exit code); the last line the child printed."""
    code = "\n".join([
        "import sys",
        "from apictl.commands import fast",
        "try:",
        f"    fast.run({['validate', *arguments]!r})",
        "except SystemExit as end:",
        "    code = end.code",
        *then,
    ])
    result = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120,
                            env={"PYTHONPATH": str(ROOT), "NO_COLOR": "1", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_a_fast_validate_leaves_inspect_usable(tmp_path):
    last = fast_validate_in_a_child(["specs/ecommerce.yaml", "--no-cache", "-q"], [
        "deferred = type(sys.modules['inspect']).__name__",
        "import dataclasses, inspect",
        "print(code, deferred, dataclasses.inspect.signature(lambda a, b=2: 0), inspect.signature(len))",
    ], ROOT)
    assert last == "0 _Deferred (a, b=2) (obj, /)"


def test_a_tiny_validate_defines_no_dataclass_and_imports_nothing_it_does_not_use(tmp_path):
    """What start-up (issue 14) cut stays cut: a clean validate of a gateway spec with a JSON report needs neither
    typer/click, nor dataclasses (each one compiles its methods on every run), nor orjson (a small report)."""
    spec = tmp_path / "api.yaml"
    spec.write_text((ROOT / "specs" / "ecommerce.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    last = fast_validate_in_a_child([str(spec), "--no-cache", "-q", "-f", "json", "-o", str(tmp_path / "r.json")], [
        "print(code, [m for m in ('typer', 'click', 'dataclasses', 'orjson') if m in sys.modules])",
    ], tmp_path)
    code, loaded = last.split(" ", 1)
    assert code in ("0", "1") and loaded == "[]", last
    assert '"items"' in (tmp_path / "r.json").read_text(encoding="utf-8")
