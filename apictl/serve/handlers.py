"""Which local code stands in for each Lambda function: ``NAME=module:function`` (a Python handler,
run in a worker process of its own) or ``NAME=-- command args`` (any runtime: the event as JSON on
stdin, the result as JSON on stdout)."""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from ..source.errors import InputError

PYTHON_HANDLER = re.compile(r"^(?P<module>[A-Za-z_][A-Za-z0-9_.]*|[^:]+\.py):(?P<function>[A-Za-z_][A-Za-z0-9_]*)$")


@dataclass(frozen=True)
class HandlerSpec:
    name: str
    module: str = ""  # dotted module name, or a .py file (absolute)
    function: str = ""
    command: tuple[str, ...] = ()
    folder: str = ""  # where relative module names are imported from / the command runs

    @property
    def is_command(self) -> bool:
        return bool(self.command)

    def describe(self) -> str:
        return " ".join(self.command) if self.command else f"{self.module}:{self.function}"


@dataclass
class HandlerRegistry:
    specs: dict[str, HandlerSpec] = field(default_factory=dict)

    def __contains__(self, name: object) -> bool:
        return name in self.specs

    def __getitem__(self, name: str) -> HandlerSpec:
        return self.specs[name]

    def add(self, spec: HandlerSpec) -> None:
        self.specs[spec.name] = spec


def parse_handler(name: str, value: str | list, folder: Path, where: str) -> HandlerSpec:
    """One handler from ``module:function``, ``path/file.py:function``, ``-- command args`` or a list
    ``["--", "command", ...]``; ``where`` names the flag or config entry for error messages."""
    if isinstance(value, list):
        parts = [str(v) for v in value]
        if parts and parts[0] == "--":
            parts = parts[1:]
        if not parts:
            raise InputError(f"{where}: the command for '{name}' is empty")
        return HandlerSpec(name=name, command=tuple(parts), folder=str(folder))
    text = str(value).strip()
    if text.startswith("--"):
        try:
            parts = shlex.split(text[2:])
        except ValueError as exc:
            raise InputError(f"{where}: cannot split the command for '{name}': {exc}") from None
        if not parts:
            raise InputError(f"{where}: the command for '{name}' is empty")
        return HandlerSpec(name=name, command=tuple(parts), folder=str(folder))
    m = PYTHON_HANDLER.match(text)
    if not m:
        raise InputError(f"{where}: handler for '{name}' must be module:function, path/file.py:function or "
                         f"-- command args, not '{text}'")
    module = m.group("module")
    if module.endswith(".py"):
        path = Path(module)
        module = str(path if path.is_absolute() else (folder / path).resolve())
        if not Path(module).is_file():
            raise InputError(f"{where}: handler file not found: {m.group('module')}")
    return HandlerSpec(name=name, module=module, function=m.group("function"), folder=str(folder))


def parse_handler_flag(flag: str, folder: Path) -> HandlerSpec:
    name, sep, value = flag.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise InputError(f"--lambda expects NAME=module:function or NAME=-- command, got '{flag}'")
    return parse_handler(name.strip(), value, folder, "--lambda")
