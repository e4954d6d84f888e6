"""`apictl sdk`: generate a client SDK (python, js; ios and android where the target is present)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ..progress import SDK_OPERATIONS
from . import complete
from .shared import max_file_size_option


def sdk(
    spec: str = typer.Argument(..., help="The spec file (or git:REF:path, or a SAM/CloudFormation template)."),
    lang: str = typer.Option(..., "--lang", "-l", help="Target language: python, js, ios or android.",
                            autocompletion=complete.sdk_languages),
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write the SDK to (must be empty unless --force)."),
    name: Optional[str] = typer.Option(None, "--name", "-n", help="Package name (default: from info.title)."),
    templates: Optional[Path] = typer.Option(None, "--templates", help="Folder of templates that override the "
                                             "built-in ones file by file."),
    force: bool = typer.Option(False, "--force", help="Write into a non-empty --out, overwriting files."),
    api_type: Optional[str] = typer.Option(None, "--api-type", help="rest or http (default: inferred).",
                                            autocompletion=complete.api_types),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar (shown on a terminal from "
                               f"{SDK_OPERATIONS} operations)."),
    include_cors: bool = typer.Option(False, "--include-cors", help="Keep CORS preflight operations (OPTIONS "
                                      "answered by a mock integration); clients never call them, so they are left "
                                      "out by default."),
    max_file_size: int = max_file_size_option(),
) -> None:
    """Generate a client SDK from a spec.

    Examples:

      apictl sdk specs/ecommerce.yaml --lang python --out build/sdk-python

      apictl sdk specs/ecommerce.yaml --lang js --out build/sdk-js --name @shop/ecommerce-client
    """
    from ..model.api import build_api
    from ..sdk.generate import GenerateOptions, generate, load_target
    from ..source import InputError, open_spec
    from ..options import check_choice, max_file_bytes

    check_choice(api_type, ("rest", "http"), "--api-type")
    load_target(lang)
    sources = open_spec(spec, max_bytes=max_file_bytes(max_file_size))
    if not sources:
        raise InputError("no API found in this template", spec, 1, 1)
    if len(sources) > 1:
        raise InputError(f"{len(sources)} APIs in this template; SDKs are made from one spec at a time", spec, 1, 1)
    source = sources[0]
    api = build_api(source.workspace, api_type)
    result = generate(api, GenerateOptions(lang=lang, out=out, name=name, templates=templates, force=force,
                                           progress=not quiet, include_cors=include_cors))
    from ..printable import printable

    for note in result.notes:
        sys.stderr.write(printable(f"{source.label}: note: {note}") + "\n")
    typer.echo(printable(f"wrote {len(result.files)} files to {out}"))


def register(app: typer.Typer) -> None:
    app.command("sdk")(sdk)
