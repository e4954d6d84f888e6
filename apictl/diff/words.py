"""How values appear in change messages: as a user wrote them in YAML or JSON, never as Python reprs."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any


def show(value: Any) -> str:
    """``true``, ``false``, ``null``, ``2026-12-31``, lists and maps as JSON; other values as text."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return str(value)


def setting(value: Any) -> str:
    """A stage setting's value; an absent one reads "unset"."""
    return "unset" if value is None else show(value)
