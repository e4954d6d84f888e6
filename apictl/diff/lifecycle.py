"""Lifecycle facts, as oasdiff reads them: ``deprecated``, ``x-sunset`` dates, ``x-stability-level``, and the
deprecation policy (``--deprecation-days-stable`` / ``--deprecation-days-beta``).

- ``x-stability-level`` is ``draft``, ``alpha``, ``beta`` or ``stable`` (absent: stable). Changes to
  operations that are draft or alpha are not breaking (nothing is reported for them, as oasdiff's default
  threshold); lowering the level is breaking; any other value is an error of its own.
- ``x-sunset`` is an RFC 3339 date (``2026-12-31``) or date-time (``2026-12-31T00:00:00Z``); anything
  else does not parse.
- A policy of N days (per stability: stable, beta; draft and alpha have none) makes a deprecation without
  an ``x-sunset`` breaking, and so is a sunset less than N days away.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .words import show

STABILITY = ("draft", "alpha", "beta", "stable")
OUT_OF_SCOPE = ("draft", "alpha")  # changes to these are not breaking anybody
INVALID = "invalid"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


@dataclass(frozen=True)
class Policy:
    """Minimum days between deprecating something and its sunset, per stability level (0: no policy)."""

    deprecation_days_stable: int = 0
    deprecation_days_beta: int = 0
    today: dt.date = field(default_factory=dt.date.today)

    def days_for(self, stability: str) -> int:
        if stability == "beta":
            return self.deprecation_days_beta
        if stability in OUT_OF_SCOPE:
            return 0
        return self.deprecation_days_stable


def is_deprecated(node: dict) -> bool:
    return node.get("deprecated") is True


def parse_sunset(value: Any) -> dt.date | None | str:
    """A date; None when there is no value; ``INVALID`` when it is not an RFC 3339 date or date-time."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return INVALID
    text = value.strip()
    try:
        if _DATE.fullmatch(text):
            return dt.date.fromisoformat(text)
        if _DATE_TIME.fullmatch(text):
            return dt.datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00").replace("t", "T")).date()
    except ValueError:
        pass
    return INVALID


def sunset(node: dict) -> dt.date | None | str:
    """The x-sunset date of a node; None when absent; ``INVALID`` when it does not parse."""
    return parse_sunset(node.get("x-sunset"))


def removal_verdict(node: dict, today: dt.date | None = None) -> str:
    """How the removal of ``node`` counts: without-deprecation, before-sunset, with-deprecation, sunset-parse."""
    if not is_deprecated(node):
        return "without-deprecation"
    date = sunset(node)
    if date == INVALID:
        return "sunset-parse"
    if isinstance(date, dt.date) and date > (today or dt.date.today()):
        return "before-sunset"
    return "with-deprecation"


def deprecation_verdict(sunset_value: Any, days: int, today: dt.date) -> str:
    """What deprecating something says under a policy of ``days``: ``deprecated`` (no sunset, no policy),
    ``sunset-missing``, ``sunset-parse``, ``sunset-too-small`` or ``with-sunset``."""
    date = parse_sunset(sunset_value)
    if date is None:
        return "sunset-missing" if days > 0 else "deprecated"
    if date == INVALID:
        return "sunset-parse"
    if (date - today).days < days:
        return "sunset-too-small"
    return "with-sunset"


def stability_level(node: dict) -> tuple[str, bool]:
    """(level, valid): absent is ("stable", True); a value outside draft/alpha/beta/stable is invalid."""
    value = node.get("x-stability-level")
    if value is None:
        return "stable", True
    if value in STABILITY:
        return value, True
    return show(value), False


def stability_rank(node: dict) -> int | None:
    level, valid = stability_level(node)
    return STABILITY.index(level) if valid else None

