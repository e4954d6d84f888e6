"""`apictl lsp`: the language server for editors (diagnostics, hover, definitions, completion, quick fixes)."""
from __future__ import annotations

import typer


def lsp(
    stdio: bool = typer.Option(True, "--stdio", show_default=False, help="Talk JSON-RPC over standard input and output (the only "
                               "transport; accepted because editors pass it)."),
) -> None:
    """Run the language server over stdio for OpenAPI YAML/JSON and SAM/CloudFormation templates: the
    diagnostics of `apictl validate` as you type, rule help on hover, go to definition on $ref, completion of
    x-amazon-apigateway-* extensions and a quick fix that adds x-apictl-ignore.

    Editor set-up (VS Code, Neovim): docs/editors.md.
    """
    import gc

    try:
        from ..lsp.server import serve_stdio
    except ImportError as exc:
        from ..source.errors import InputError

        raise InputError(f"apictl lsp needs pygls: pip install 'pygls>=2.0,<3' ({exc})") from None
    gc.enable()  # a long-running process: the one-shot commands' start-up trade-off does not apply
    serve_stdio()


def register(app: typer.Typer) -> None:
    app.command("lsp")(lsp)
