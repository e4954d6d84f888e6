"""Loading: files, git revisions and templates become Workspaces of parsed Documents."""
from __future__ import annotations

from pathlib import Path

from ..record import Value
from .document import Document
from . import paths
from .errors import InputError
from .parse import MAX_FILE_BYTES
from .templates import EmbeddedApi, embedded_document, find_embedded_apis, is_template
from .workspace import Reader, Workspace, format_pointer, parse_pointer

__all__ = [
    "Document", "InputError", "Reader", "Workspace", "SpecSource", "open_spec", "sources_in", "format_pointer",
    "parse_pointer",
]


class SpecSource(Value):
    """One API found in one input: a spec file, or one API inside a SAM/CloudFormation template."""

    _fields = ("workspace", "embedded")

    def __init__(self, workspace: Workspace, embedded: EmbeddedApi | None = None):
        self.workspace = workspace
        self.embedded = embedded

    @property
    def document(self) -> Document:
        return self.workspace.root

    def local_files(self) -> list[Path]:
        """The files on disk this API was read from (its $ref'd files included; git revisions are not files)."""
        return self.workspace.local_files()

    @property
    def label(self) -> str:
        if self.embedded and self.embedded.location:
            return f"{self.document.display} ({self.embedded.label} in {self.embedded.template})"
        if self.embedded:
            return f"{self.document.display} ({self.embedded.label})"
        return self.document.display


def open_spec(spec: str, *, allow_remote: bool = False, root_folder: str | None = None,
              max_bytes: int = MAX_FILE_BYTES, errors: list[InputError] | None = None) -> list[SpecSource]:
    """Open a spec given as a path or ``git:REF:path``. Templates may yield several APIs (or none).

    A file a template names (DefinitionUri, AWS::Include) that cannot be read raises an InputError placed
    at the name in the template; with ``errors`` given, it is collected there and the other APIs of the
    template are still returned."""
    if spec.startswith("git:"):
        from .git import GitReader, parse_git_spec, repository_root

        rev, rel = parse_git_spec(spec)
        if not rel:
            raise InputError("name the file: git:REF:path", spec)
        repo = repository_root(Path.cwd())
        target = paths.resolve(Path.cwd() / rel)
        try:
            target.relative_to(repo)
        except ValueError:
            raise InputError(f"'{rel}' is outside the git repository {repo}", spec) from None
        reader: Reader = GitReader(repo, rev, max_bytes)
        root = reader.load(target, spec)
    else:
        path = Path(spec)
        absolute = paths.resolve(path) if paths.exists(path) else path.absolute()
        reader = Reader(Path(root_folder) if root_folder else absolute.parent, max_bytes)
        root = reader.load(absolute, spec)
    return sources_in(root, reader, allow_remote=allow_remote, errors=errors)


def sources_in(root: Document, reader: Reader, *, allow_remote: bool = False,
               errors: list[InputError] | None = None) -> list[SpecSource]:
    """The APIs of one loaded file: the spec itself, or each API inside (or named by) a SAM/CloudFormation
    template. A file the template names that cannot be read raises, or is collected in ``errors``."""
    if not is_template(root.data):
        return [SpecSource(Workspace.from_document(root, reader, allow_remote=allow_remote))]
    sources = []
    for api in find_embedded_apis(root.data):
        if not api.location:
            document = embedded_document(root, api)
        else:
            api.template = root.display
            try:
                document = _named_file(root, api, reader)
            except InputError as exc:
                if errors is None:
                    raise
                errors.append(exc)
                continue
        sources.append(SpecSource(Workspace.from_document(document, reader, allow_remote=allow_remote), api))
    return sources


def _named_file(template: Document, api: EmbeddedApi, reader: Reader) -> Document:
    """The local file a template names for an API, read below the root folder like a $ref target."""
    import posixpath
    from pathlib import PurePosixPath

    line, column = template.position(api.pointer)
    path = Path(posixpath.normpath(str(PurePosixPath(template.path).parent / api.location)))
    if not reader.contains(path):
        raise InputError(f"'{api.location}' ({api.logical_id}) leaves the template's root folder {reader.root}; "
                         "refused (pass --root to widen it)", template.display, line, column)
    try:
        return reader.load(path, reader.display(path))
    except InputError as exc:
        where = f" ({exc.line}:{exc.column})" if exc.line and (exc.line, exc.column) != (1, 1) else ""
        raise InputError(f"'{api.location}' ({api.logical_id}): {exc.message}{where}", template.display, line,
                         column) from None
