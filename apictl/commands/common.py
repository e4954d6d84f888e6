"""Options and helpers shared by several commands."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from ..source.errors import InputError


def parse_params(values: list[str] | None) -> dict[str, str]:
    params = {}
    for value in values or []:
        if "=" not in value:
            raise InputError(f"--param expects KEY=VALUE, got '{value}'")
        key, _, val = value.partition("=")
        if not key:
            raise InputError(f"--param expects KEY=VALUE, got '{value}'")
        params[key] = val
    return params


def use_color(no_color: bool) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write output: {exc.strerror}", str(output)) from None


def check_choice(value: str | None, choices: tuple[str, ...], option: str) -> str | None:
    if value is not None and value not in choices:
        raise InputError(f"{option} must be one of {', '.join(choices)}, not '{value}'")
    return value
