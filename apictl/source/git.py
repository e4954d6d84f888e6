"""Read spec files from a git revision (``git:REF:path``) without touching the work tree."""
from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

from .document import Document, decode, load_document
from .errors import InputError
from .parse import MAX_FILE_BYTES
from .workspace import Reader


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60)
    except FileNotFoundError:
        raise InputError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise InputError(f"git {' '.join(args)} took longer than 60 s") from None


def repository_root(start: Path) -> Path:
    result = _git(["rev-parse", "--show-toplevel"], start)
    if result.returncode != 0:
        raise InputError(f"{start} is not inside a git repository")
    return Path(result.stdout.decode().strip()).resolve()


class GitReader(Reader):
    """Reads files as they are at ``rev``; paths are virtual paths below the repository root."""

    def __init__(self, repo: Path, rev: str, max_bytes: int = MAX_FILE_BYTES):
        super().__init__(repo, max_bytes)
        self.rev = rev
        check = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], repo)
        if check.returncode != 0:
            raise InputError(f"unknown git revision '{rev}'", f"git:{rev}")

    def contains(self, path: Path) -> bool:
        try:
            PurePosixPath(path).relative_to(PurePosixPath(self.root))
            return True
        except ValueError:
            return False

    def display(self, path: Path) -> str:
        return f"git:{self.rev}:{PurePosixPath(path).relative_to(PurePosixPath(self.root))}"

    def load(self, path: Path, display: str) -> Document:
        rel = PurePosixPath(path).relative_to(PurePosixPath(self.root))
        result = _git(["cat-file", "blob", f"{self.rev}:{rel}"], self.root)  # a folder is an error, not its listing
        if result.returncode != 0:
            kind = _git(["cat-file", "-t", f"{self.rev}:{rel}"], self.root)
            if kind.returncode == 0 and kind.stdout.strip() == b"tree":
                raise InputError(f"'{rel}' is a folder at revision {self.rev}, not a file", display, 1, 1)
            raise InputError(f"'{rel}' does not exist at revision {self.rev}", display, 1, 1)
        if len(result.stdout) > self.max_bytes:
            raise InputError(f"file is over the {self.max_bytes:,}-byte limit", display)
        text = decode(result.stdout, display)
        return load_document(path, display, self.max_bytes, text=text)


def parse_git_spec(spec: str, default_path: str | None = None) -> tuple[str, str | None]:
    """'git:REF:path' -> (REF, path); 'git:REF' -> (REF, default_path)."""
    body = spec[len("git:"):]
    if not body:
        raise InputError("empty git revision in 'git:'", spec)
    rev, _, path = body.partition(":")
    if not rev or rev.startswith("-") or any(ord(c) < 32 for c in rev):
        raise InputError(f"'{rev}' is not a git revision", spec)  # never passed to git as an option
    return rev, (path or default_path) if ":" in body else default_path
