"""Bases for apictl's plain record classes.

The classes every command defines on start-up (options, config, documents, findings, report items...) are
plain classes with an explicit ``__init__`` rather than dataclasses: defining a dataclass costs ~0.4 ms on
every run (its methods are compiled from source), and a tiny `apictl validate` defined 23 of them (issue 14).
``Record`` gives the dataclass ``repr``; ``Value`` adds the dataclass equality (same class, equal fields).
The instances are ordinary objects: they pickle (process pool) and ``vars()`` lists their fields.
"""
from __future__ import annotations

from typing import Any


class Record:
    """``repr`` lists ``_fields`` (default: every attribute), as a dataclass's does. Compares by identity."""

    _fields: tuple[str, ...] = ()

    def __repr__(self) -> str:
        names = self._fields or tuple(vars(self))
        return f"{type(self).__name__}({', '.join(f'{k}={getattr(self, k)!r}' for k in names)})"


class Value(Record):
    """Equal to a record of the same class whose ``_fields`` are equal (a dataclass's ``__eq__``); unhashable
    unless a subclass says otherwise, as a mutable dataclass is."""

    def __eq__(self, other: Any) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        if not self._fields:
            return vars(self) == vars(other)
        return all(getattr(self, k) == getattr(other, k) for k in self._fields)

    __hash__ = None  # type: ignore[assignment]

    def _key(self) -> tuple:
        return tuple(getattr(self, k) for k in self._fields)
