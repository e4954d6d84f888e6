"""Values for shell completion (``apictl --install-completion``; click's ``_APICTL_COMPLETE`` protocol).

Each function is a typer ``autocompletion`` callback: it gets the word being completed (and the
options parsed so far) and returns the ``(value, help)`` pairs that start with it (case matters, as in
the shells). The values come from
the tables the commands check against, imported only when the shell asks, so ordinary runs pay
nothing for them. A completion never fails: a broken config just offers no stages.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import typer

Choices = list[tuple[str, str]]


def _matching(values: Iterable[tuple[str, str]], incomplete: str) -> Choices:
    return [(value, help) for value, help in values if value.startswith(incomplete)]


def report_formats(incomplete: str) -> Choices:
    """--format of validate, lint and diff."""
    from ..report import FORMATS

    return _matching(((f, "") for f in FORMATS), incomplete)


def plan_formats(incomplete: str) -> Choices:
    from ..plan.run import PLAN_FORMATS

    return _matching(((f, "") for f in PLAN_FORMATS), incomplete)


def export_formats(incomplete: str) -> Choices:
    from ..plan.run import EXPORT_FORMATS

    return _matching(((f, "") for f in EXPORT_FORMATS), incomplete)


def rules_formats(incomplete: str) -> Choices:
    from .rules import RULES_FORMATS

    return _matching(((f, "") for f in RULES_FORMATS), incomplete)


def sdk_languages(incomplete: str) -> Choices:
    from ..sdk.generate import TARGETS

    return _matching(((lang, "") for lang in TARGETS), incomplete)


def lint_levels(incomplete: str) -> Choices:
    """--fail-on of validate: the lint levels, most severe first."""
    from ..lint.registry import LEVELS

    return _matching(((level, "") for level in LEVELS), incomplete)


def change_levels(incomplete: str) -> Choices:
    """--fail-on and --level of diff: ERR, WARN, INFO."""
    from ..diff.checks import LEVELS

    return _matching(((level, "") for level in LEVELS), incomplete)


def api_types(incomplete: str) -> Choices:
    return _matching((("rest", "REST API (API Gateway v1)"), ("http", "HTTP API (API Gateway v2)")), incomplete)


def rule_ids(incomplete: str) -> Choices:
    """Rule ids for `apictl rules ID`, each with its summary."""
    from ..lint.registry import RULES, load_all_rules

    load_all_rules()
    return _matching(sorted((rule.id, rule.summary) for rule in RULES.values()), incomplete)


def stage_names(ctx: typer.Context, incomplete: str) -> Choices:
    """Stages of the config named by --config on the command line, else of the nearest apictl.yaml."""
    from ..config import load_config
    from ..source.errors import InputError

    config_option = ctx.params.get("config")
    try:
        config = load_config(Path(config_option) if config_option else None)
    except (InputError, OSError):
        return []
    stages = config.raw.get("stages")
    if not isinstance(stages, dict):
        return []
    values = []
    for name, body in stages.items():
        spec = body.get("spec") if isinstance(body, dict) else None
        values.append((str(name), f"spec: {spec}" if isinstance(spec, str) else ""))
    return _matching(values, incomplete)
