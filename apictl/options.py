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


MAX_FILE_SIZE_MIB = 64  # --max-file-size default: the largest file any command reads


def max_file_bytes(mib: int) -> int:
    """--max-file-size (MiB, every command that reads specs) in bytes."""
    if mib <= 0:
        raise InputError("--max-file-size must be a positive number of MiB")
    return mib * 1024 * 1024


def check_choice(value: str | None, choices: tuple[str, ...], option: str) -> str | None:
    if value is not None and value not in choices:
        raise InputError(f"{option} must be one of {', '.join(choices)}, not '{value}'")
    return value


def use_color(no_color: bool) -> bool:
    """Colours only on a terminal, and never with --no-color or NO_COLOR set."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()
