"""The files as the editor has them: open documents (unsaved text included) over the files on disk."""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..source import Reader
from ..source.document import Document, load_document
from ..source.parse import MAX_FILE_BYTES

# A file that means to be an OpenAPI document or a template, even while it does not parse.
_LOOKS_LIKE_API = re.compile(r"""^\s*["']?(openapi|swagger|AWSTemplateFormatVersion|Transform)["']?\s*:""", re.M)


def uri_to_path(uri: str) -> Path | None:
    """file:// URIs only (untitled buffers and other schemes have no place next to their $refs)."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        return None
    return Path(os.path.normpath(unquote(parts.path)))


def path_to_uri(path: Path) -> str:
    return Path(os.path.normpath(str(path))).as_uri()


def looks_like_api(text: str) -> bool:
    return bool(_LOOKS_LIKE_API.search(text[:65536]))


class OverlayReader(Reader):
    """Reads open documents from the editor's text and every other file from disk. Names are shown
    relative to ``display_base`` (the folder of apictl.yaml), as the CLI run from there shows them, so
    `ignore:` entries with file globs match the same files."""

    def __init__(self, root: Path, texts: dict[str, str], display_base: Path | None,
                 max_bytes: int = MAX_FILE_BYTES):
        super().__init__(root, max_bytes)
        self.texts = texts
        self.display_base = display_base

    def load(self, path: Path, display: str) -> Document:
        text = self.texts.get(os.path.normpath(str(path)))
        if text is None:
            return load_document(path, display, self.max_bytes)
        return load_document(path, display, self.max_bytes, text=text)

    def display(self, path: Path) -> str:
        if self.display_base is not None:
            try:
                return str(Path(os.path.normpath(str(path))).relative_to(self.display_base))
            except ValueError:
                pass
        return str(path)
