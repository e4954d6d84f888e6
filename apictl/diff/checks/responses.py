"""Responses: status codes, media types, headers, and their schemas."""
from __future__ import annotations

from typing import Iterator

from ..context import DiffContext
from . import ERR, INFO, WARN, Change, declare, media_type_changes

declare("responses", [
    ("response-success-status-removed", ERR, "A 2xx response code was removed"),
    ("response-success-status-added", INFO, "A 2xx response code was added"),
    ("response-non-success-status-removed", INFO, "A non-2xx response code was removed"),
    ("response-non-success-status-added", INFO, "A non-2xx response code was added"),
    ("response-media-type-removed", ERR, "A response media type is no longer produced"),
    ("response-media-type-added", INFO, "A response media type was added"),
    ("response-body-media-type-schema-added", INFO, "A schema appeared under a response media type"),
    ("response-body-media-type-schema-removed", WARN, "The schema of a response media type was removed"),
    ("required-response-header-removed", ERR, "A required response header was removed"),
    ("optional-response-header-removed", WARN, "An optional response header was removed"),
    ("response-header-added", INFO, "A response header was added"),
    ("response-header-became-optional", ERR, "A required response header became optional"),
])


def run(ctx: DiffContext) -> Iterator[Change]:
    for pair in ctx.pairs:
        label, old, new = pair.label, pair.base_responses, pair.rev_responses
        for status in sorted(old.keys() - new.keys()):
            kind = "success" if old[status].success else "non-success"
            yield Change(f"response-{kind}-status-removed", f"response {status} removed", old[status].at, label)
        for status in sorted(new.keys() - old.keys()):
            kind = "success" if new[status].success else "non-success"
            yield Change(f"response-{kind}-status-added", f"response {status} added", new[status].at, label)
        for status in sorted(old.keys() & new.keys()):
            was, now = old[status], new[status]
            yield from media_type_changes(
                was.content, now.content, label,
                ("response-media-type-removed", "response-media-type-added",
                 "response-body-media-type-schema-added", "response-body-media-type-schema-removed"),
                lambda name, what, status=status: (f"response {status} ({name}): {what}" if what.startswith("schema")
                                                   else f"response {status}: media type '{name}' {what}"))
            for key in sorted(was.headers.keys() - now.headers.keys()):
                h = was.headers[key]
                check_id = "required-response-header-removed" if h.required else "optional-response-header-removed"
                yield Change(check_id, f"response {status}: header '{h.name}' removed", h.at, label)
            for key in sorted(now.headers.keys() - was.headers.keys()):
                h = now.headers[key]
                yield Change("response-header-added", f"response {status}: header '{h.name}' added", h.at, label)
            for key in sorted(was.headers.keys() & now.headers.keys()):
                if was.headers[key].required and not now.headers[key].required:
                    h = now.headers[key]
                    yield Change("response-header-became-optional", f"response {status}: header '{h.name}' "
                                                                    "became optional", h.at, label)
