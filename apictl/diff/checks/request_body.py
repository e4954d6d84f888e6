"""Request bodies: added, removed, required or not, media types, and their schemas."""
from __future__ import annotations

from typing import Iterator

from ..context import DiffContext
from . import ERR, INFO, Change, declare, media_type_changes

declare("request_body", [
    ("request-body-added-required", ERR, "A required request body was added to an existing operation"),
    ("request-body-added-optional", INFO, "An optional request body was added"),
    ("request-body-removed", ERR, "The request body was removed from an operation"),
    ("request-body-became-required", ERR, "requestBody.required went from false to true"),
    ("request-body-became-optional", INFO, "requestBody.required went from true to false"),
    ("request-body-media-type-added", INFO, "The request body accepts an additional media type"),
    ("request-body-media-type-removed", ERR, "The request body no longer accepts a media type"),
    ("request-body-media-type-schema-added", ERR, "A schema appeared under a request media type (body now constrained)"),
    ("request-body-media-type-schema-removed", INFO, "The schema of a request media type was removed"),
])


def run(ctx: DiffContext) -> Iterator[Change]:
    for pair in ctx.pairs:
        label, old, new = pair.label, pair.base_body, pair.rev_body
        if old is None and new is None:
            continue
        if old is None:
            kind = "required" if new.required else "optional"
            yield Change(f"request-body-added-{kind}", f"{kind} request body added", new.at, label)
            continue
        if new is None:
            yield Change("request-body-removed", "request body removed", old.at, label)
            continue
        if new.required and not old.required:
            yield Change("request-body-became-required", "request body became required", new.at, label)
        elif old.required and not new.required:
            yield Change("request-body-became-optional", "request body became optional", new.at, label)
        yield from media_type_changes(
            old.content, new.content, label,
            ("request-body-media-type-removed", "request-body-media-type-added",
             "request-body-media-type-schema-added", "request-body-media-type-schema-removed"),
            lambda name, what: f"request media type '{name}'{':' if what.startswith('schema') else ''} {what}")
