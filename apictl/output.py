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
from typing import Callable, Iterable

from .interrupt import deferred
from .source import paths
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
    errno.EBUSY: "the folder is in use (a mount point, or the working folder)",
    errno.ENOTEMPTY: "the folder is not empty",
    errno.EXDEV: "it is on another file system",
    errno.EMLINK: "too many links",
}


# errors that only a write can give: one that reaches the top of a run is about output (standard output above all)
WRITE_ONLY_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def encode_text(data: str | bytes) -> bytes:
    """UTF-8; a character UTF-8 cannot hold (a lone surrogate, e.g. from a file name that is not UTF-8) is written
    as its escape (``\\udcff``, which JSON reads back as the same string) instead of failing the write."""
    if isinstance(data, bytes):
        return data
    try:
        return data.encode("utf-8")
    except UnicodeEncodeError:
        return data.encode("utf-8", "backslashreplace")


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


def refuse_inputs(path: Path | str, inputs: Iterable[Path | str | None], option: str = "--output",
                  updating: bool = False) -> None:
    """Refuse to write ``path`` when it is one of the files the command read (named in ``inputs``, or read by
    this process at all: :func:`apictl.source.paths.remember_read`)."""
    if paths.was_read(path) and not updating:
        raise InputError(f"{option} is one of the input files; refusing to overwrite it", str(path))
    for name in inputs:
        if name is None:
            continue
        text = str(name)
        if text.startswith(("git:", "stage:", "http://", "https://", "-")):
            continue
        if same_file(path, text):
            raise InputError(f"{option} is one of the input files; refusing to overwrite it", str(path))


def make_folder(folder: Path) -> None:
    """``mkdir -p``; a part of the path that is a file is ENOTDIR ("a part of the path is not a folder"), not the
    EEXIST ("already exists") that ``Path.mkdir(exist_ok=True)`` raises when the folder itself is a file."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder)) from None


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
               inputs: Iterable[Path | str | None] = (), option: str = "--output", updating: bool = False,
               durable: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically and durably.

    ``replace=False`` refuses an existing file (checked at the moment of the rename, so two writers
    cannot both succeed). ``inputs`` are the files the command read: writing over one is refused, as over any
    file this process read, unless ``updating`` (a file that is read and rewritten by design: a state file).
    Missing parent folders are created. Returns the path written. ``durable=False`` skips the fsyncs, for
    files a crash may lose (a cache entry): still never a partial file.
    """
    target = Path(path)
    refuse_inputs(target, inputs, option, updating)
    shown = target
    if os.path.islink(target):  # write through a link the user made; replacing the link itself would lose it
        target = paths.resolve(target)
    payload = encode_text(data)
    folder = target.parent
    try:
        if paths.is_dir(target):
            raise InputError(f"cannot write {what}: is a folder", str(shown))
        make_folder(folder)
        with deferred():  # a signal between creating the temporary file and the try below would leak it
            fd, tmp_name = tempfile.mkstemp(prefix=".apictl-", suffix=TEMP_SUFFIX, dir=folder)
            tmp = Path(tmp_name)
    except OSError as exc:
        raise write_error(exc, shown, what) from None
    except ValueError:  # a NUL byte in the name
        raise InputError(f"cannot write {what}: the name contains a NUL byte", repr(str(shown))) from None
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
            raise write_error(exc, shown, what) from None
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
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            raise  # the reader stopped reading (`| head`): not an error of this run
        except OSError as exc:  # `> /dev/full`, a full disk behind a redirection
            raise InputError(f"cannot write the report to standard output: {os_error_reason(exc)}") from None
        return
    write_file(output, text, inputs=inputs)


# -- folders: an SDK is swapped in whole -----------------------------------------------------------------------------
MANIFEST_NAME = ".apictl-manifest.json"
STAGING_PREFIX = ".apictl-staging-"
NAME_MAX = 255  # bytes in one file name on every common file system (ext4, xfs, btrfs, APFS, NTFS in UTF-16 units)


def long_names(relative_paths: Iterable[str], folder: Path | None = None) -> list[str]:
    """The paths (relative, "/"-separated) with a part longer than a file name may be, shortest first."""
    limit = _name_max(folder)
    too_long = [p for p in relative_paths if any(len(os.fsencode(part)) > limit for part in p.split("/"))]
    return sorted(too_long, key=len)


def _name_max(folder: Path | None) -> int:
    try:
        return min(NAME_MAX, os.pathconf(folder, "PC_NAME_MAX")) if folder is not None else NAME_MAX
    except (OSError, ValueError):
        return NAME_MAX


def check_folder_target(out: Path, force: bool, option: str = "--out") -> Path:
    """Before any work: can ``out`` take a generated folder? Returns the real path the folder goes to."""
    for part in out.parts:
        if len(os.fsencode(part)) > NAME_MAX:
            raise InputError(f"cannot write {option}: file name too long", str(out))
    real = paths.resolve(out)
    if paths.exists(out) and not paths.is_dir(out):
        raise InputError(f"{option} exists and is not a folder", str(out))
    cwd = paths.resolve(Path.cwd())
    if real == cwd or real in cwd.parents:
        raise InputError(f"{option} is the working folder (or holds it); choose a folder below it", str(out))
    if real.parent == real:
        raise InputError(f"{option} cannot be the root folder", str(out))
    if paths.is_dir(real) and not force and _has_entries(real):
        raise InputError(f"{option} is not empty; choose an empty folder or pass --force to overwrite", str(out))
    return real


def _has_entries(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(True for _ in entries)
    except OSError as exc:
        raise write_error(exc, folder, "output folder") from None


def write_tree(out: Path, files: dict[str, str | bytes], *, force: bool = False, what: str = "SDK",
               option: str = "--out", on_file: Callable[[str], None] | None = None) -> list[Path]:
    """Make folder ``out`` hold exactly ``files`` ({relative "/" path: content}), all at once.

    The files are written (and fsync'ed) into a staging folder beside ``out``, with a manifest of what
    apictl generated (``.apictl-manifest.json``: path -> SHA-256); then the staging folder takes the
    place of ``out`` in one rename (an atomic exchange where the kernel has one), with SIGINT and
    SIGTERM held back. A full disk, a permission error or Ctrl-C while writing leaves ``out`` as it
    was and removes the staging folder.

    ``out`` must be empty unless ``force``. With ``force`` the manifest says what apictl wrote last
    time: those files are replaced, and those it no longer generates disappear; every other file in
    ``out`` (the user's) is kept. A file the user changed since it was generated, or one apictl did not
    generate that is in the way of a new file, is refused (nothing is written): apictl never deletes
    what it did not make. ``on_file(path)`` is called as each file is written (a progress bar).
    """
    real = check_folder_target(out, force, option)
    for rel in files:
        _check_relative(rel)
    too_long = long_names(files, real.parent if paths.is_dir(real.parent) else None)
    if too_long:
        raise InputError(f"cannot write {what}: file name too long ({too_long[0]})", str(out))
    parent = real.parent
    try:
        make_folder(parent)
    except OSError as exc:
        raise write_error(exc, out, what) from None
    with _folder_lock(parent, out, what):
        staging = None
        try:
            keep = _kept_user_files(real, out, files) if paths.is_dir(real) else ([], [])
            with deferred():  # the staging folder exists only inside the try that removes it
                staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=parent))
            _stage(staging, real, files, keep, on_file)
            _swap_in(staging, real, out, force, option)
            staging = None
        except OSError as exc:
            raise write_error(exc, out, what) from None
        finally:
            if staging is not None:
                _remove_tree(staging)
    _fsync_folder(parent)
    return [real / rel for rel in sorted(files)]


def _check_relative(rel: str) -> None:
    parts = rel.split("/")
    if not rel or rel.startswith("/") or "\\" in rel or "\x00" in rel or any(p in ("", ".", "..") for p in parts):
        raise InputError(f"unsafe output path {rel!r}")
    if rel == MANIFEST_NAME:
        raise InputError(f"output path {rel!r} is the name of apictl's manifest")


class _folder_lock:
    """One apictl at a time swaps folders in ``parent`` (an exclusive flock on the folder itself)."""

    def __init__(self, parent: Path, out: Path, what: str):
        self.parent, self.out, self.what, self.fd = parent, out, what, -1

    def __enter__(self) -> None:
        import fcntl

        try:
            self.fd = os.open(self.parent, os.O_RDONLY | os.O_DIRECTORY)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except OSError as exc:
            if self.fd >= 0:
                os.close(self.fd)
                self.fd = -1
            if exc.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EBADF):
                raise write_error(exc, self.out, self.what) from None

    def __exit__(self, *exc_info) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing releases the lock


def _read_manifest(real: Path, out: Path) -> dict[str, str]:
    path = real / MANIFEST_NAME
    if not os.path.lexists(path):
        return {}
    import json

    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read(16 * 1024 * 1024).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        data = None
    files = data.get("files") if isinstance(data, dict) and data.get("tool") == "apictl" else None
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise InputError(f"{MANIFEST_NAME} is not an apictl manifest; remove the folder (or that file) and "
                         "generate again", str(out / MANIFEST_NAME), 1, 1)
    return files


def _sha256(path: Path) -> str | None:
    import hashlib

    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _kept_user_files(real: Path, out: Path, files: dict[str, str | bytes]) -> tuple[list[str], list[str]]:
    """(files and links, empty folders) of ``out`` that apictl did not generate: they move to the new folder.
    Refuses when one is in the way of a new file, or when a generated file was changed since."""
    manifest = _read_manifest(real, out)
    new_dirs = {rel.rsplit("/", i)[0] for rel in files for i in range(1, rel.count("/") + 1)}
    kept, empty_dirs = [], []
    for folder, dirs, names in os.walk(real, onerror=_raise):
        base = Path(folder).relative_to(real).as_posix()
        prefix = "" if base == "." else base + "/"
        entries = list(names) + [d for d in dirs if os.path.islink(os.path.join(folder, d))]
        if not dirs and not names and prefix:
            empty_dirs.append(prefix[:-1])
        for name in entries:
            rel = prefix + name
            if rel == MANIFEST_NAME:
                continue
            full = Path(folder) / name
            generated = rel in manifest and not os.path.islink(full) and _sha256(full) == manifest[rel]
            if generated:
                continue
            if rel in manifest:
                raise InputError(f"{rel} changed since apictl generated it; --force does not overwrite or delete "
                                 "your edits (move the file away, or restore it, and run again)", str(out / rel))
            parts = rel.split("/")
            if rel in files or rel in new_dirs or any("/".join(parts[:i]) in files for i in range(1, len(parts))):
                raise InputError(f"--force would replace {rel}, which apictl did not generate "
                                 f"(it is not in {MANIFEST_NAME}); move it away and run again", str(out / rel))
            kept.append(rel)
    return kept, empty_dirs


def _raise(exc: OSError) -> None:
    raise exc


def _stage(staging: Path, real: Path, files: dict[str, str | bytes], keep: tuple[list[str], list[str]],
           on_file: Callable[[str], None] | None = None) -> None:
    import hashlib
    import json

    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, (os.stat(real).st_mode & 0o7777) if paths.is_dir(real) else 0o777 & ~umask)
    made: set[Path] = {staging}
    manifest = {}
    for rel in sorted(files):
        payload = encode_text(files[rel])
        _write_new(staging / rel, payload, made)
        manifest[rel] = hashlib.sha256(payload).hexdigest()
        if on_file is not None:
            on_file(rel)
    kept_files, empty_dirs = keep
    for rel in kept_files:
        _carry(real / rel, staging / rel, made)
    for rel in empty_dirs:
        if not (staging / rel).exists():
            (staging / rel).mkdir(parents=True)
    text = json.dumps({"tool": "apictl", "version": 1, "files": manifest}, indent=2, sort_keys=True) + "\n"
    _write_new(staging / MANIFEST_NAME, text.encode("utf-8"), made)
    for folder in sorted(made, key=lambda p: -len(p.parts)):  # the entries are durable before the swap
        _fsync_folder(folder)


def _write_new(path: Path, payload: bytes, made: set[Path]) -> None:
    if path.parent not in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        made.update(p for p in [path.parent, *path.parent.parents] if p not in made)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())


def _carry(source: Path, target: Path, made: set[Path]) -> None:
    """The user's file (or link) into the new folder: a hard link (the same file, no copy), else a copy."""
    import shutil

    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.update(p for p in [target.parent, *target.parent.parents] if p not in made)
    if os.path.islink(source):
        os.symlink(os.readlink(source), target)
        return
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        shutil.copy2(source, target, follow_symlinks=False)


def _swap_in(staging: Path, real: Path, out: Path, force: bool, option: str) -> None:
    """Put ``staging`` where ``real`` is, in one step; the old folder is removed afterwards."""
    with deferred():
        try:
            os.rename(staging, real)  # nothing there, or an empty folder (which rename(2) replaces)
            return
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
        if not force:  # filled by someone else since it was checked
            raise InputError(f"{option} is not empty; choose an empty folder or pass --force to overwrite", str(out))
        if _exchange(staging, real):
            _remove_tree(staging)  # now the old folder
            return
        old = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=real.parent))
        os.rename(real, old / "old")
        try:
            os.rename(staging, real)
        except OSError:
            os.rename(old / "old", real)
            _remove_tree(old)
            raise
        _remove_tree(old)


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code))


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


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
