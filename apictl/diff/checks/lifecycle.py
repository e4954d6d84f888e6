"""Deprecation and sunset: ``deprecated: true``, ``x-sunset`` dates, ``x-stability-level``."""
from __future__ import annotations

import datetime as dt
from typing import Any

STABILITY = ("draft", "alpha", "beta", "stable")


def is_deprecated(node: dict) -> bool:
    return node.get("deprecated") is True


def sunset(node: dict) -> dt.date | None | str:
    """The x-sunset date; None when absent; "invalid" when it does not parse."""
    value: Any = node.get("x-sunset")
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return "invalid"


def removal_verdict(node: dict, today: dt.date | None = None) -> str:
    """How the removal of ``node`` counts: without-deprecation, before-sunset, with-deprecation."""
    if not is_deprecated(node):
        return "without-deprecation"
    date = sunset(node)
    if date == "invalid":
        return "sunset-parse"
    if isinstance(date, dt.date) and date > (today or dt.date.today()):
        return "before-sunset"
    return "with-deprecation"


def stability_rank(node: dict) -> int | None:
    value = node.get("x-stability-level")
    return STABILITY.index(value) if value in STABILITY else None
