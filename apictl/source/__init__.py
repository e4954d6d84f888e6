"""Loading: files, git revisions and templates become Workspaces of parsed Documents."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .document import Document
from .errors import InputError
from .parse import MAX_FILE_BYTES
from .templates import EmbeddedApi, embedded_document, find_embedded_apis, is_template
from .workspace import Reader, Workspace, format_pointer, parse_pointer

__all__ = [
    "Document", "InputError", "Reader", "Workspace", "SpecSource", "open_spec", "sources_in", "format_pointer",
    "parse_pointer",
]


@dataclass
class SpecSource:
    """One API found in one input: a spec file, or one API inside a SAM/CloudFormation template."""

    workspace: Workspace
    embedded: EmbeddedApi | None = None

    @property
    def document(self) -> Document:
        return self.workspace.root

    @property
    def label(self) -> str:
        if self.embedded:
            return f"{self.document.display} ({self.embedded.logical_id})"
        return self.document.display


def open_spec(spec: str, *, allow_remote: bool = False, root_folder: str | None = None,
              max_bytes: int = MAX_FILE_BYTES) -> list[SpecSource]:
    """Open a spec given as a path or ``git:REF:path``. Templates may yield several APIs (or none)."""
    if spec.startswith("git:"):
        from .git import GitReader, parse_git_spec, repository_root

        rev, rel = parse_git_spec(spec)
        if not rel:
            raise InputError("name the file: git:REF:path", spec)
        repo = repository_root(Path.cwd())
        target = (Path.cwd() / rel).resolve()
        try:
            target.relative_to(repo)
        except ValueError:
            raise InputError(f"'{rel}' is outside the git repository {repo}", spec) from None
        reader: Reader = GitReader(repo, rev, max_bytes)
        root = reader.load(target, spec)
    else:
        path = Path(spec)
        absolute = path.resolve() if path.exists() else path.absolute()
        reader = Reader(Path(root_folder) if root_folder else absolute.parent, max_bytes)
        root = reader.load(absolute, spec)
    return sources_in(root, reader, allow_remote=allow_remote)


def sources_in(root: Document, reader: Reader, *, allow_remote: bool = False) -> list[SpecSource]:
    """The APIs of one loaded file: the spec itself, or each API inside a SAM/CloudFormation template."""
    if is_template(root.data):
        apis = find_embedded_apis(root.data)
        return [
            SpecSource(Workspace.from_document(embedded_document(root, api), reader, allow_remote=allow_remote), api)
            for api in apis
        ]
    return [SpecSource(Workspace.from_document(root, reader, allow_remote=allow_remote))]
