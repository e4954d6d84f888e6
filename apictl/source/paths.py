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
    """The absolute path with symlinks followed as far as they go (a loop or an unreadable part stays as is).

    A link whose target is not a path (``/dev/fd/N`` of a pipe points at ``pipe:[1234]``) stays the link: the
    name that exists is the one to open (and to report), not one that reads as a missing file."""
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError):
        return Path(os.path.abspath(path))
    if not os.path.lexists(real) and os.path.exists(path):  # (a dangling link still resolves to its target)
        return Path(os.path.abspath(path))
    return Path(real)


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


# Every file this process read as input, by identity (device, inode): an output is never written over one of them,
# whichever name reaches it (a hard link, a symlink, "./a/../a"), even one the command did not pass on explicitly
# (a config found by search, a $ref'd file, the file an error is about).
_READ: set[tuple[int, int]] = set()


def remember_read(path: Path | str | os.stat_result) -> None:
    """Record a file as an input of this run (call it where the file is opened for reading)."""
    info = path if isinstance(path, os.stat_result) else _stat(path)
    if info is not None and stat.S_ISREG(info.st_mode):
        _READ.add((info.st_dev, info.st_ino))


def was_read(path: Path | str) -> bool:
    info = _stat(path)
    return info is not None and (info.st_dev, info.st_ino) in _READ


def forget_reads() -> None:
    """For a process that runs several commands (tests): start a new run."""
    _READ.clear()


def _stat(path: Path | str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except (OSError, ValueError):
        return None
