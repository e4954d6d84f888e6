"""Reading spec nodes whose type is not checked yet.

A command other than ``validate`` reads a node of the wrong type (``headers: true``, ``tags: 5``) as absent:
the wrong type is validate's finding, and no command may fail with a traceback on it.
"""
from __future__ import annotations

from typing import Any


def as_mapping(value: Any) -> dict:
    """``value`` if it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    """``value`` if it is a list, else an empty one."""
    return value if isinstance(value, list) else []
