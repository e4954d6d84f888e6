"""`apictl lsp`: a language server (pygls, over stdio) for OpenAPI YAML/JSON and SAM/CloudFormation templates.

* Diagnostics: the lint engine of `apictl validate`, with the same apictl.yaml, on open and on every
  change (debounced), for the open spec and for every file its ``$ref``s reach; each carries its rule
  id, level and a link to the rule. Linting runs on one worker thread, so the editor never waits for it.
* Hover: on a finding, the rule explained (as `apictl rules ID`); on a ``$ref``, what it points to.
* Go to definition on ``$ref``, across files.
* Completion of ``x-amazon-apigateway-*`` names, their fields and enum values (lint/schemas/).
* Code action: silence a finding in place with ``x-apictl-ignore``.

Initialization option ``debounceMs`` (default 300) sets how long after the last keystroke it lints.
"""
from __future__ import annotations

import asyncio
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..config import find_config
from ..lint.explain import explain_rule, rule_url
from .analysis import ApiResult, ConfigCache, Issue, lint_api
from .completion import complete
from .cursor import cursor_at
from .ignore import ignore_edit
from .refs import ref_at, resolve
from .texts import path_to_uri, uri_to_path

DEFAULT_DEBOUNCE = 0.3
_SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
             "info": types.DiagnosticSeverity.Information}
_OAS2 = re.compile(r"""^\s*["']?swagger["']?\s*:""", re.M)


class ApictlServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("apictl", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.debounce = DEFAULT_DEBOUNCE
        self.configs = ConfigCache()  # used on the lint thread only
        self.results: dict[Path, ApiResult] = {}  # open API documents -> their last lint
        self.published: dict[str, list[tuple]] = {}  # uri -> what was last sent (to send changes only)
        self.pending: dict[Path, asyncio.Task] = {}
        self.lint_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="apictl-lint")

    # -- the open documents ------------------------------------------------------------------------------
    def open_texts(self) -> dict[str, str]:
        texts = {}
        for uri, document in self.workspace.text_documents.items():
            path = uri_to_path(uri)
            if path is not None:
                texts[os.path.normpath(str(path))] = document.source
        return texts

    def version_of(self, path: Path) -> int | None:
        document = self.workspace.text_documents.get(path_to_uri(path))
        return document.version if document is not None else None

    # -- linting -----------------------------------------------------------------------------------------
    def schedule(self, path: Path, delay: float | None = None) -> None:
        previous = self.pending.pop(path, None)
        if previous is not None:
            previous.cancel()
        self.pending[path] = asyncio.get_running_loop().create_task(self._lint_later(path, self.debounce
                                                                                      if delay is None else delay))

    async def _lint_later(self, path: Path, delay: float) -> None:
        await asyncio.sleep(delay)
        self.pending.pop(path, None)
        including = [root for root, result in self.results.items() if root != path and path in result.files]
        for root in [path] + including:
            if self.version_of(root) is None:
                continue  # closed meanwhile
            version = self.version_of(root)
            texts = self.open_texts()
            part = root == path and bool(including)
            try:
                result = await asyncio.get_running_loop().run_in_executor(self.lint_thread, lint_api, root, texts,
                                                                          self.configs, part)
            except Exception as exc:  # noqa: BLE001 - an internal error must not stop the server
                import traceback

                self.window_log_message(types.LogMessageParams(
                    types.MessageType.Error, f"apictl: linting {root} failed: {exc}\n{traceback.format_exc()}"))
                continue
            if self.version_of(root) != version:
                continue  # edited while linting: the newer lint is on its way
            if result is None:
                self.results.pop(root, None)
            else:
                self.results[root] = result
        self.publish()

    def forget(self, path: Path) -> None:
        task = self.pending.pop(path, None)
        if task is not None:
            task.cancel()
        self.results.pop(path, None)
        self.publish()

    def publish(self) -> None:
        """Send each file's diagnostics when they changed; every file of a linted API gets a first (maybe
        empty) list, which also clears what an earlier session left in the editor."""
        by_uri: dict[str, dict[tuple, Issue]] = {}
        linted: set[str] = set()
        for result in self.results.values():
            linted.update(path_to_uri(path) for path in result.files)
            for issue in result.issues:
                key = (issue.line, issue.start, issue.end, issue.rule, issue.message)
                by_uri.setdefault(path_to_uri(issue.path), {})[key] = issue
        for uri in sorted(set(by_uri) | linted | set(self.published)):
            issues = by_uri.get(uri, {})
            keys = sorted(issues, key=lambda k: (k[0], k[1], str(k[3]), k[4]))
            if self.published.get(uri) == keys:
                if not keys and uri not in linted:
                    del self.published[uri]
                continue
            self.published[uri] = keys
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=uri, diagnostics=[self.diagnostic(issues[k]) for k in keys]))

    def units(self, text_line: str, column: int) -> int:
        """Code points -> the client's position units (UTF-16 unless it chose otherwise)."""
        return self.workspace.position_codec.client_num_units(text_line[:column])

    def diagnostic(self, issue: Issue) -> types.Diagnostic:
        start = types.Position(issue.line, self.units(issue.line_text, issue.start))
        end = types.Position(issue.end_line, self.units(issue.line_text, issue.end))
        return types.Diagnostic(
            range=types.Range(start, end), message=issue.message, severity=_SEVERITY[issue.level], source="apictl",
            code=issue.rule, code_description=types.CodeDescription(rule_url(issue.rule)) if issue.rule else None,
            data={"rule": issue.rule, "pointer": issue.pointer, "bodyDepth": issue.body_depth} if issue.rule else None,
        )

    # -- positions ---------------------------------------------------------------------------------------
    def line_and_column(self, uri: str, position: types.Position) -> tuple[str, str, int] | None:
        """(document text, text of the line, column in code points) at a client position."""
        document = self.workspace.text_documents.get(uri)
        if document is None:
            return None
        text = document.source
        lines = text.split("\n")
        if position.line >= len(lines):
            return None
        line_text = lines[position.line]
        column, units = 0, 0
        while column < len(line_text) and units < position.character:
            units += self.workspace.position_codec.client_num_units(line_text[column])
            column += 1
        return text, line_text, column

    def root_folder_for(self, path: Path) -> Path:
        """The folder $refs may not leave, as `apictl validate` on the spec that includes this file sets it."""
        for root, result in self.results.items():
            if path in result.files:
                return root.parent
        config = find_config(path.parent)
        return config.parent if config is not None else path.parent


def create_server() -> ApictlServer:
    server = ApictlServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: ApictlServer, params: types.InitializeParams) -> None:
        options = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("debounceMs"), (int, float)):
            ls.debounce = max(0.0, float(options["debounceMs"]) / 1000)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ApictlServer, params: types.DidOpenTextDocumentParams) -> None:
        path = uri_to_path(params.text_document.uri)
        if path is not None:
            ls.schedule(path, delay=0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ApictlServer, params: types.DidChangeTextDocumentParams) -> None:
        path = uri_to_path(params.text_document.uri)
        if path is not None:
            ls.schedule(path)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: ApictlServer, params: types.DidSaveTextDocumentParams) -> None:
        path = uri_to_path(params.text_document.uri)
        if path is not None:
            ls.schedule(path, delay=0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ApictlServer, params: types.DidCloseTextDocumentParams) -> None:
        path = uri_to_path(params.text_document.uri)
        if path is not None:
            ls.forget(path)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: ApictlServer, params: types.HoverParams) -> types.Hover | None:
        return _hover(ls, params.text_document.uri, params.position)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: ApictlServer, params: types.DefinitionParams) -> types.Location | None:
        found = _ref_target(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        target = found[1]
        start = types.Position(target.line, ls.units(target.line_text, target.start))
        end = types.Position(target.line, ls.units(target.line_text, target.end))
        return types.Location(path_to_uri(target.path), types.Range(start, end))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[":", " ", '"']))
    def completion(ls: ApictlServer, params: types.CompletionParams) -> types.CompletionList | None:
        return _completion(ls, params.text_document.uri, params.position)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: ApictlServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return _ignore_actions(ls, params)

    return server


def _hover(ls: ApictlServer, uri: str, position: types.Position) -> types.Hover | None:
    found = _ref_target(ls, uri, position)
    if found is not None:
        ref, target = found
        where = f"{target.path.name}:{target.line + 1}"
        body = f"`$ref` → `{ref}` ({where})\n\n```{'json' if target.path.suffix == '.json' else 'yaml'}\n" \
               f"{target.preview}\n```"
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, body))
    at = ls.line_and_column(uri, position)
    path = uri_to_path(uri)
    if at is None or path is None:
        return None
    _, line_text, column = at
    if ref_at(line_text, column) is not None:
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, "`$ref` does not resolve (see the diagnostic)"))
    from ..lint.registry import RULES

    parts, seen = [], set()
    for result in ls.results.values():
        for issue in result.issues:
            if issue.path != path or issue.line != position.line or not issue.start <= column <= issue.end:
                continue
            if (issue.rule, issue.message) in seen:
                continue
            seen.add((issue.rule, issue.message))
            rule = RULES.get(issue.rule) if issue.rule else None
            parts.append(f"**{issue.level}**: {issue.message}" + ("\n\n" + explain_rule(rule, markdown=True) if rule else ""))
    if not parts:
        return None
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, "\n\n---\n\n".join(parts)))


def _ref_target(ls: ApictlServer, uri: str, position: types.Position):
    at = ls.line_and_column(uri, position)
    path = uri_to_path(uri)
    if at is None or path is None:
        return None
    _, line_text, column = at
    ref = ref_at(line_text, column)
    if ref is None:
        return None
    target = resolve(path, ls.open_texts(), ref.ref, ls.root_folder_for(path))
    return None if target is None else (ref.ref, target)


def _completion(ls: ApictlServer, uri: str, position: types.Position) -> types.CompletionList | None:
    at = ls.line_and_column(uri, position)
    if at is None:
        return None
    text, line_text, column = at
    json_like = uri.lower().endswith(".json") or text.lstrip().startswith("{")
    cursor = cursor_at(text, position.line, column, json_like)
    if cursor is None:
        return None
    choices = complete(cursor, bool(_OAS2.search(text)), json_like)
    start = types.Position(position.line, ls.units(line_text, cursor.start))
    replace = types.Range(start, position)
    quote = line_text[cursor.start] if cursor.quoted and cursor.start < len(line_text) else ""
    kinds = {"extension": types.CompletionItemKind.Module, "field": types.CompletionItemKind.Property,
             "value": types.CompletionItemKind.EnumMember}
    items = [types.CompletionItem(
        label=choice.label, kind=kinds[choice.kind], detail=choice.detail or None,
        documentation=types.MarkupContent(types.MarkupKind.Markdown, choice.documentation)
        if choice.documentation else None,
        filter_text=quote + choice.label, sort_text=f"{n:04d}",
        text_edit=types.TextEdit(replace, choice.insert),
    ) for n, choice in enumerate(choices)]
    return types.CompletionList(is_incomplete=False, items=items)


def _ignore_actions(ls: ApictlServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    document = ls.workspace.text_documents.get(uri)
    if document is None:
        return []
    text = document.source
    kind = "json" if uri.lower().endswith(".json") or text.lstrip().startswith("{") else "yaml"
    lines = text.split("\n")
    actions = []
    for diagnostic in params.context.diagnostics:
        data: Any = diagnostic.data
        if diagnostic.source != "apictl" or not isinstance(data, dict) or not data.get("rule"):
            continue
        edit = ignore_edit(text, kind, str(data.get("pointer", "")), int(data.get("bodyDepth") or 0), data["rule"])
        if edit is None:
            continue
        start_line = lines[edit.line] if edit.line < len(lines) else ""
        end_line = lines[edit.end_line] if edit.end_line < len(lines) else ""
        change = types.TextEdit(types.Range(types.Position(edit.line, ls.units(start_line, edit.col)),
                                            types.Position(edit.end_line, ls.units(end_line, edit.end_col))), edit.text)
        actions.append(types.CodeAction(
            title=f"Ignore {data['rule']} here (x-apictl-ignore)", kind=types.CodeActionKind.QuickFix,
            diagnostics=[diagnostic], edit=types.WorkspaceEdit(changes={uri: [change]})))
    return actions


def serve_stdio() -> None:
    create_server().start_io()
