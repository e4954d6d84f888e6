"""One writer per state at a time.

A local state is locked with an OS lock (``flock``) on a lock file beside it (``<state>.lock``):
the kernel releases it when the holder exits, however it exits (even ``kill -9``), so a lock is
never left behind. The lock file holds who took the lock (pid, user, host, operation, time), which
is what a second writer is told. A remote state is locked by an item in DynamoDB
(:mod:`.remote`); both share :class:`LockInfo` and the wording of the refusal.
"""
from __future__ import annotations

import errno
import fcntl
import getpass
import json
import os
import re
import socket
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from ...output import write_error
from ...source.errors import InputError

POLL_SECONDS = 0.1
_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s?)?$")


@dataclass
class LockInfo:
    id: str
    operation: str
    who: str
    pid: int
    created: str  # ISO 8601, UTC
    path: str  # the state it locks

    @classmethod
    def new(cls, operation: str, path: str) -> "LockInfo":
        try:
            user = getpass.getuser()
        except Exception:  # no user name (containers without a passwd entry)
            user = str(os.getuid())
        return cls(id=str(uuid.uuid4()), operation=operation, who=f"{user}@{socket.gethostname()}",
                   pid=os.getpid(), created=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), path=path)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "LockInfo | None":
        try:
            data = json.loads(text)
            return cls(**{k: data[k] for k in ("id", "operation", "who", "pid", "created", "path")})
        except (ValueError, TypeError, KeyError):
            return None

    def describe(self) -> str:
        return f"pid {self.pid} since {self.created} (apictl {self.operation} by {self.who}, lock id {self.id})"


def parse_duration(text: str | None) -> float:
    """'0', '30', '30s', '5m', '1h', '1m30s' -> seconds (terraform's -lock-timeout values)."""
    if text is None or text == "":
        return 0.0
    match = _DURATION.match(text.strip())
    if not match or not any(match.groups()):
        raise InputError(f"--lock-timeout expects a duration such as 30s, 5m or 1h, not '{text}'")
    hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def locked_error(label: str, holder: LockInfo | None, waited: float, remote: bool = False) -> InputError:
    who = holder.describe() if holder else "another apictl process"
    if waited > 0:
        hint = f"still locked after waiting {waited:g}s"
    else:
        hint = "wait for it with --lock-timeout DURATION (e.g. 5m)"
    if remote:
        hint += "; if that process is gone, `apictl force-unlock LOCK_ID` releases it"
    return InputError(f"state is locked by {who}; {hint}", label)


class FileLock:
    """An exclusive ``flock`` on ``<state>.lock``; the file is removed when the lock is released."""

    def __init__(self, state_path: Path):
        self.state_path = state_path
        self.path = state_path.with_name(state_path.name + ".lock")
        self.fd: int | None = None

    def acquire(self, operation: str, timeout: float) -> LockInfo:
        info = LockInfo.new(operation, str(self.state_path))
        deadline = time.monotonic() + timeout
        while True:
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno not in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES):
                    raise write_error(exc, self.path, "state lock file") from None
                if time.monotonic() >= deadline:
                    raise locked_error(str(self.state_path), self._holder(), timeout) from None
                time.sleep(POLL_SECONDS)
                continue
            if not self._still_linked(fd):  # the previous holder removed the file while we waited
                os.close(fd)
                continue
            try:
                os.ftruncate(fd, 0)
                os.pwrite(fd, info.to_json().encode(), 0)
            except OSError as exc:
                os.close(fd)
                raise write_error(exc, self.path, "state lock file") from None
            self.fd = fd
            return info

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            os.unlink(self.path)  # while still holding the lock: a waiter then retries on a new file
        except OSError:
            pass
        os.close(self.fd)
        self.fd = None

    def _open(self) -> int:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except FileExistsError:  # a file where a folder of the path should be
            raise write_error(OSError(errno.ENOTDIR, "not a folder"), self.path, "state lock file") from None
        except OSError as exc:
            raise write_error(exc, self.path, "state lock file") from None

    def _still_linked(self, fd: int) -> bool:
        try:
            now = os.stat(self.path)
        except OSError:
            return False
        mine = os.fstat(fd)
        return (now.st_ino, now.st_dev) == (mine.st_ino, mine.st_dev)

    def _holder(self) -> LockInfo | None:
        for _ in range(5):  # the holder writes its details right after locking
            try:
                info = LockInfo.from_json(self.path.read_text(encoding="utf-8"))
            except OSError:
                info = None
            if info is not None:
                return info
            time.sleep(0.02)
        return None
