"""Authorizer result cache: per authorizer, keyed by the token or the identity-source values, with the
authorizer's TTL (gateway-runtime.md 8.4, 8.8)."""
from __future__ import annotations

import time
from typing import Any

MAX_ENTRIES = 10000


class ResultCache:
    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], tuple[float, Any]] = {}

    def get(self, authorizer: str, key: str) -> Any:
        entry = self.entries.get((authorizer, key))
        if entry is None:
            return None
        expires, value = entry
        if expires < time.monotonic():
            del self.entries[(authorizer, key)]
            return None
        return value

    def put(self, authorizer: str, key: str, ttl: int, value: Any) -> None:
        if ttl <= 0:
            return
        if len(self.entries) >= MAX_ENTRIES:
            now = time.monotonic()
            self.entries = {k: v for k, v in self.entries.items() if v[0] >= now}
            if len(self.entries) >= MAX_ENTRIES:
                self.entries.pop(next(iter(self.entries)))
        self.entries[(authorizer, key)] = (time.monotonic() + ttl, value)
