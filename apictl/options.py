"""Checks of option values shared by several commands (below the CLI layer, so every layer may use them)."""
from __future__ import annotations

import os
import sys

from .source.errors import InputError


def parse_params(values: list[str] | None) -> dict[str, str]:
    """``--param KEY=VALUE`` values as a dict."""
    params = {}
    for value in values or []:
        key, sep, val = value.partition("=")
        if not sep or not key:
            raise InputError(f"--param expects KEY=VALUE, got '{value}'")
        params[key] = val
    return params


def check_choice(value: str | None, choices: tuple[str, ...], option: str) -> str | None:
    if value is not None and value not in choices:
        raise InputError(f"{option} must be one of {', '.join(choices)}, not '{value}'")
    return value


def use_color(no_color: bool) -> bool:
    """Colours only on a terminal, and never with --no-color or NO_COLOR set."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()
