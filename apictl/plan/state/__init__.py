"""State: what apictl last planned or deployed for one stage of one API, where it is kept, and
who may write it. ``model`` (the JSON format), ``store`` (local file or S3), ``lock`` (flock),
``remote`` (S3 object + DynamoDB lock item)."""
from __future__ import annotations

from .model import (
    MAX_SHOWN_BYTES,
    STATE_VERSION,
    Deposed,
    ResourceState,
    State,
    empty_state,
    fingerprint,
    parse_state,
    read_state,
    state_from_graph,
    to_json,
    write_state,
)

__all__ = ["MAX_SHOWN_BYTES", "STATE_VERSION", "Deposed", "ResourceState", "State", "empty_state", "fingerprint",
           "parse_state", "read_state", "state_from_graph", "to_json", "write_state"]
