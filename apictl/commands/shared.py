"""Options several commands share, defined once."""
from __future__ import annotations

import typer

from ..options import MAX_FILE_SIZE_MIB


def max_file_size_option() -> int:
    return typer.Option(MAX_FILE_SIZE_MIB, "--max-file-size", metavar="MIB",
                        help="Largest file to read, in MiB (each file: a spec, a $ref'd file, a template).")
