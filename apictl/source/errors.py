"""Errors a user can cause while we read their files.

Every one of them becomes a single line ``file:line:col: error: message`` and exit code 2.
"""
from __future__ import annotations

from ..printable import printable


class InputError(Exception):
    """Bad input: a missing file, a file we refuse to parse, a broken reference target."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column

    def one_line(self) -> str:
        where = self.file or "apictl"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{printable(where)}: error: {printable(self.message)}"
