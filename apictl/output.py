"""The one way any command writes a file: never a partial file, never over one of its inputs.

Every write goes to a unique temporary file in the target's folder, is flushed and fsync'ed, then
renamed over the target (``os.replace``, atomic on POSIX), and the folder is fsync'ed so the rename
survives a crash. A reader therefore sees either the old file or the new one, whatever fails and
however many writers run at once. A write that cannot be made (full disk, read-only file system,
no permission, a name too long) leaves the old file untouched, removes its temporary file and
becomes one :class:`InputError` line.
"""
from __future__ import annotations

import errno
import os
import sys
import tempfile
from pathlib import Path
from typing import Iterable

from .source.errors import InputError

TEMP_SUFFIX = ".apictl-tmp"

_REASONS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENAMETOOLONG: "file name too long",
    errno.ENOENT: "no such file or folder",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "is a folder",
    errno.ELOOP: "too many levels of symbolic links",
    errno.EEXIST: "already exists",
    errno.EFBIG: "file too large",
    errno.EIO: "input/output error",
}


def os_error_reason(exc: OSError) -> str:
    """A short, stable description of an OS error (no Python repr, no errno number)."""
    return _REASONS.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()


def write_error(exc: OSError, path: Path | str, what: str = "output") -> InputError:
    return InputError(f"cannot write {what}: {os_error_reason(exc)}", str(path))


def same_file(a: Path | str, b: Path | str) -> bool:
    """True when both names denote one existing file (hard links and symlinks included)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def refuse_inputs(path: Path | str, inputs: Iterable[Path | str | None], option: str = "--output") -> None:
    """Refuse to write ``path`` when it is one of the files the command read."""
    for name in inputs:
        if name is None:
            continue
        text = str(name)
        if text.startswith(("git:", "stage:", "http://", "https://", "-")):
            continue
        if same_file(path, text):
            raise InputError(f"{option} is one of the input files; refusing to overwrite it", str(path))


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse fsync on folders; the rename itself is still atomic
        pass
    finally:
        os.close(fd)


def _new_file_mode(existing: Path) -> int:
    try:
        return os.stat(existing).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_file(path: Path | str, data: str | bytes, *, replace: bool = True, what: str = "output",
               inputs: Iterable[Path | str | None] = (), option: str = "--output", durable: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically and durably.

    ``replace=False`` refuses an existing file (checked at the moment of the rename, so two writers
    cannot both succeed). ``inputs`` are the files the command read: writing over one is refused.
    Missing parent folders are created. Returns the path written. ``durable=False`` skips the fsyncs, for
    files a crash may lose (a cache entry): still never a partial file.
    """
    target = Path(path)
    refuse_inputs(target, inputs, option)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = target.parent
    try:
        if target.is_dir():
            raise InputError(f"cannot write {what}: is a folder", str(target))
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".apictl-", suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise write_error(exc, target, what) from None
    tmp = Path(tmp_name)
    try:
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                if durable:
                    os.fsync(handle.fileno())
            os.chmod(tmp, _new_file_mode(target))
            if replace:
                os.replace(tmp, target)
            else:
                _link_exclusive(tmp, target, what)
        except OSError as exc:
            raise write_error(exc, target, what) from None
    finally:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass
    if durable:
        _fsync_folder(folder)
    return target


def _link_exclusive(tmp: Path, target: Path, what: str) -> None:
    """Put ``tmp`` at ``target`` only if nothing is there yet (atomic: a hard link fails on EEXIST)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise InputError("output file exists; pass --force to overwrite it", str(target)) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        # file systems without hard links: an exclusive create reserves the name, then the rename fills it
        try:
            reserve = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise InputError("output file exists; pass --force to overwrite it", str(target)) from None
        os.close(reserve)
        os.replace(tmp, target)


def emit(text: str, output: Path | None, inputs: Iterable[Path | str | None] = ()) -> None:
    """Write a report: to standard output, or atomically to ``output`` (never over an input file)."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_file(output, text, inputs=inputs)


def append_text(path: Path | str, text: str) -> None:
    """Append to a file another program reads line by line (a CI job summary, step outputs): one write of
    the whole text with O_APPEND, then fsync; never a rewrite of what is already there."""
    target = Path(path)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        try:
            os.write(fd, text.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise write_error(exc, target) from None
