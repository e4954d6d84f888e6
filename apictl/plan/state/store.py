"""Where a state lives: a local file (written atomically, locked with ``flock``) or an S3 object
locked by a DynamoDB item (:mod:`.remote`). Commands use a store through four methods: ``read_text``,
``write_text``, ``lock`` and ``label`` (what messages call it).

Without ``--state``, ``deploy`` keeps its state in ``.apictl/<stage>.json`` beside the config file
(and ``plan`` compares with that file when it exists), as terraform keeps ``terraform.tfstate``.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path
from typing import ContextManager, Iterator, Protocol

from ...output import write_file
from ...source.errors import InputError
from ..resources import ResourceGraph
from .lock import FileLock, LockInfo
from .model import State, parse_state, read_state_text, to_json

DEFAULT_FOLDER = ".apictl"


class StateStore(Protocol):
    label: str

    def read_text(self) -> str | None: ...

    def write_text(self, text: str) -> None: ...

    def lock(self, operation: str, timeout: float) -> ContextManager[LockInfo]: ...


class LocalStore:
    def __init__(self, path: Path):
        self.path = path
        self.label = str(path)

    def read_text(self) -> str | None:
        try:
            return read_state_text(self.path, self.label)  # bounded, regular files only, remembered as an input
        except FileNotFoundError:
            return None

    def write_text(self, text: str) -> None:
        # read and rewritten by design (updating); a report (-o) is never written over it (see apictl.output)
        write_file(self.path, text, what="state file", option="--state", updating=True)

    @contextmanager
    def lock(self, operation: str, timeout: float) -> Iterator[LockInfo]:
        lock = FileLock(self.path)
        info = lock.acquire(operation, timeout)
        try:
            yield info
        finally:
            lock.release()


def is_remote(location: str | Path | None) -> bool:
    return location is not None and str(location).startswith("s3://")


def open_store(location: str | Path, lock_table: str | None = None, region: str | None = None) -> StateStore:
    """A store for ``--state`` (a path, or ``s3://bucket/key`` with ``--lock-table``)."""
    text = str(location)
    if is_remote(text):
        from .remote import S3Store

        return S3Store.from_url(text, lock_table, region)
    if lock_table:
        raise InputError("--lock-table is for remote state (--state s3://BUCKET/KEY); a local state is locked "
                         "with a lock file beside it")
    return LocalStore(Path(location))


def default_location(config_folder: Path, stage: str) -> Path:
    """``.apictl/<stage>.json`` beside the config file, relative to the working folder when below it."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", stage) + ".json"
    path = config_folder / DEFAULT_FOLDER / name
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def load(store: StateStore, graph: ResourceGraph) -> State | None:
    """The state in ``store`` (None when there is none yet), checked against this API and stage."""
    text = store.read_text()
    if text is None:
        return None
    return parse_state(text, store.label, graph.title, graph.api_type, graph.stage)


def save(store: StateStore, state: State) -> None:
    state.serial += 1
    store.write_text(to_json(state))
