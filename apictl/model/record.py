"""A base for the model's plain record classes.

The model classes a validate run defines (operations, parameters, responses...) are plain classes with an
explicit ``__init__`` rather than dataclasses: defining a dataclass costs ~0.4 ms on every run (its methods are
compiled from source), and these are defined by every command. They compare by identity, as the
``eq=False`` dataclasses they replace did."""
from __future__ import annotations


class Record:
    """``repr`` lists the attributes, as a dataclass's does."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in vars(self).items())})"
