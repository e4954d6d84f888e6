"""An editor for the tests: pygls' LanguageClient speaking JSON-RPC to `python -m apictl lsp` over stdio."""
from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Callable

from lsprotocol import types
from pygls.lsp.client import LanguageClient

from conftest import ROOT


class Editor:
    def __init__(self) -> None:
        self.client = LanguageClient("apictl-tests", "1")
        self.diagnostics: dict[str, list[types.Diagnostic]] = {}
        self.publications: list[str] = []  # uris, in the order diagnostics arrived
        self.logs: list[str] = []
        self._changed = asyncio.Event()
        self.versions: dict[str, int] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self.diagnostics[params.uri] = list(params.diagnostics)
            self.publications.append(params.uri)
            self._changed.set()

        @self.client.feature(types.WINDOW_LOG_MESSAGE)
        def on_log(params: types.LogMessageParams) -> None:
            self.logs.append(params.message)

    async def start(self, root: Path, debounce_ms: int = 0, encodings: list | None = None) -> types.InitializeResult:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        await self.client.start_io(sys.executable, "-m", "apictl", "lsp", "--stdio", env=env, cwd=str(root))
        capabilities = types.ClientCapabilities(
            general=types.GeneralClientCapabilities(position_encodings=encodings) if encodings else None,
            text_document=types.TextDocumentClientCapabilities(
                publish_diagnostics=types.PublishDiagnosticsClientCapabilities(data_support=True),
                hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
            ),
        )
        result = await self.client.initialize_async(types.InitializeParams(
            capabilities=capabilities, root_uri=root.as_uri(), process_id=os.getpid(),
            initialization_options={"debounceMs": debounce_ms}))
        self.client.initialized(types.InitializedParams())
        return result

    async def stop(self) -> None:
        try:
            await asyncio.wait_for(self.client.shutdown_async(None), 10)
            self.client.exit(None)
        finally:
            await self.client.stop()

    def open(self, path: Path, text: str | None = None) -> str:
        uri = path.as_uri()
        self.versions[uri] = 1
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
            uri=uri, language_id="json" if path.suffix == ".json" else "yaml", version=1,
            text=path.read_text(encoding="utf-8") if text is None else text)))
        return uri

    def change(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            [types.TextDocumentContentChangeWholeDocument(text=text)]))

    def edit(self, uri: str, line: int, character: int, end_line: int, end_character: int, text: str) -> None:
        self.versions[uri] += 1
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            [types.TextDocumentContentChangePartial(
                range=types.Range(types.Position(line, character), types.Position(end_line, end_character)),
                text=text)]))

    def close(self, uri: str) -> None:
        self.client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))

    async def wait_for(self, uri: str, predicate: Callable[[list[types.Diagnostic]], bool],
                       timeout: float = 30) -> list[types.Diagnostic]:
        """Wait until the diagnostics of ``uri`` satisfy ``predicate``."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            if uri in self.diagnostics and predicate(self.diagnostics[uri]):
                return self.diagnostics[uri]
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(f"diagnostics of {uri} never matched; last: {self.diagnostics.get(uri)}; "
                                     f"logs: {self.logs}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    async def hover(self, uri: str, line: int, character: int) -> types.Hover | None:
        return await self.client.text_document_hover_async(types.HoverParams(
            types.TextDocumentIdentifier(uri), types.Position(line, character)))

    async def definition(self, uri: str, line: int, character: int):
        return await self.client.text_document_definition_async(types.DefinitionParams(
            types.TextDocumentIdentifier(uri), types.Position(line, character)))

    async def complete(self, uri: str, line: int, character: int) -> list[types.CompletionItem]:
        result = await self.client.text_document_completion_async(types.CompletionParams(
            types.TextDocumentIdentifier(uri), types.Position(line, character)))
        if result is None:
            return []
        return list(result.items if isinstance(result, types.CompletionList) else result)

    async def code_actions(self, uri: str, diagnostics: list[types.Diagnostic]) -> list[types.CodeAction]:
        rng = diagnostics[0].range if diagnostics else types.Range(types.Position(0, 0), types.Position(0, 0))
        result = await self.client.text_document_code_action_async(types.CodeActionParams(
            types.TextDocumentIdentifier(uri), rng, types.CodeActionContext(diagnostics=diagnostics)))
        return [a for a in result or [] if isinstance(a, types.CodeAction)]


def run(scenario):
    """Run an async test scenario with a fresh event loop (no pytest plugin needed); returns its result."""
    return asyncio.run(asyncio.wait_for(scenario(), 120))


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (UTF-16 positions, as the server was told) to ``text``."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        before = sum(len(line) + 1 for line in lines[:position.line])
        line = lines[position.line] if position.line < len(lines) else ""
        units, column = 0, 0
        while column < len(line) and units < position.character:
            units += 2 if ord(line[column]) > 0xFFFF else 1
            column += 1
        return before + column

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
        lines = text.split("\n")
    return text
