"""A finding: one problem at one place."""
from __future__ import annotations

from dataclasses import dataclass

from ..source.document import Document


@dataclass(eq=False)
class Finding:
    rule: str
    message: str
    document: Document
    pointer: tuple
    level: str = ""  # filled from the rule (and config overrides) by the engine

    @property
    def position(self) -> tuple[int, int]:
        return self.document.position(self.pointer)
