"""Questions about user-given paths that never raise.

``pathlib`` raises on paths a user can easily write: ``Path.resolve()`` raises RuntimeError on a
symlink loop, ``exists()``/``is_file()`` raise OSError for a name over 255 bytes (ENAMETOOLONG) or a
folder without search permission, and a NUL byte gives ValueError. Here each question has an answer
(the path as far as it resolves; False), and the read or write that follows reports the real
reason as one clear line.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path


def resolve(path: Path | str) -> Path:
    """The absolute path with symlinks followed as far as they go (a loop or an unreadable part stays as is)."""
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError):
        return Path(os.path.abspath(path))


def _mode(path: Path | str) -> int | None:
    try:
        return os.stat(path).st_mode
    except (OSError, ValueError):
        return None


def exists(path: Path | str) -> bool:
    return _mode(path) is not None


def is_file(path: Path | str) -> bool:
    mode = _mode(path)
    return mode is not None and stat.S_ISREG(mode)


def is_dir(path: Path | str) -> bool:
    mode = _mode(path)
    return mode is not None and stat.S_ISDIR(mode)


def is_within(path: Path | str, folder: Path) -> bool:
    """True when ``path`` (symlinks followed) is ``folder`` or below it; ``folder`` must be resolved already."""
    try:
        resolve(path).relative_to(folder)
        return True
    except ValueError:
        return False
