"""A content-addressed cache of per-file results in ``.apictl_cache/``: re-running a command over unchanged
specs costs a hash of each file instead of a parse and a lint.

An entry's key is the SHA-256 of everything its result depends on that is known before the work: the cache
format, apictl's version and the source of the code that produces the result, the caller's settings (the
config file's bytes, options...), the name the file was given, the working folder, and the file's bytes. The
other files the work read (``$ref`` targets, a template's ``DefinitionUri``) are known only afterwards: the
entry lists each with the hash of the bytes read (or its absence), and a lookup checks them all, so an
edited, added or removed referenced file is a miss.

Entries are written atomically (output.write_file) but not fsync'ed: a lost or damaged entry is only a miss.
The folder holds a ``.gitignore`` of ``*`` so that git ignores it wherever it is created.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable

from . import __version__

CACHE_FOLDER = ".apictl_cache"
FORMAT = b"apictl-cache/1"
MAX_BYTES = 256 * 1024 * 1024  # a file larger than this is not cached (hashing it would cost what it saves)


def sha256_file(path: str | Path, limit: int = MAX_BYTES) -> str | None:
    """Hex SHA-256 of a regular file's bytes; None when it cannot be read (or is larger than ``limit``)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except (OSError, ValueError):
        return None
    import hashlib  # here, not at the top: `--no-cache` runs need no OpenSSL (start-up, issue 14)

    return hashlib.sha256(data).hexdigest() if len(data) <= limit else None


def source_stamp(packages: Iterable[str]) -> str:
    """Hash of the source of apictl's ``packages`` (folders or modules below apictl/): results made by other
    code never match, even at the same version (a checkout between releases)."""
    import hashlib

    root = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for name in sorted(packages):
        target = root / name
        files = [target] if target.is_file() else sorted(
            p for p in target.rglob("*") if p.suffix in (".py", ".json") and "__pycache__" not in p.parts)
        for path in files:
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"\0unreadable")
    return digest.hexdigest()


class ResultCache:
    """Results keyed by content, in ``folder`` (created on the first write)."""

    def __init__(self, folder: Path, settings: Any):
        import hashlib

        self.folder = folder
        self.salt = hashlib.sha256(FORMAT + b"\0" + json.dumps(settings, sort_keys=True, default=str).encode())
        self.write_error: str | None = None  # the first reason an entry could not be written

    def key(self, name: str, data: bytes) -> str:
        digest = self.salt.copy()
        digest.update(json.dumps([name, os.getcwd()]).encode() + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key[2:]}.json"

    def get(self, key: str, skip: str | None = None) -> Any | None:
        """The result stored under ``key`` if every file it read is as it was; else None. ``skip``: a file
        the key covers already (the one it was made from)."""
        try:
            entry = json.loads(self._path(key).read_bytes())
            deps, result = entry["deps"], entry["result"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        for path, digest in deps:
            if path != skip and sha256_file(path) != digest:
                return None
        return result

    def put(self, key: str, result: Any, deps: list[tuple[str, str | None]]) -> None:
        from .output import write_file
        from .source.errors import InputError

        data = json.dumps({"deps": deps, "result": result}, ensure_ascii=False, separators=(",", ":"))
        try:
            if not (self.folder / ".gitignore").exists():
                write_file(self.folder / ".gitignore", "# apictl's result cache (delete it at will)\n*\n",
                           what="cache", durable=False)
            write_file(self._path(key), data, what="cache", durable=False)
        except InputError as exc:
            self.write_error = self.write_error or exc.message
