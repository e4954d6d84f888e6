"""`apictl rules [ID]`: list every rule, or explain one."""
from __future__ import annotations

from typing import Optional

import typer

from . import complete

RULES_FORMATS = ("text", "json")


def rules(
    rule_id: Optional[str] = typer.Argument(None, help="A rule id to explain.",
                                            autocompletion=complete.rule_ids),
    format: str = typer.Option("text", "--format", "-f", help="text or json", autocompletion=complete.rules_formats),
) -> None:
    """List every lint rule (id, level, summary), or explain one with its fix and an example.

    Examples:

      apictl rules

      apictl rules path-param-undeclared
    """
    import json

    from ..lint.registry import RETIRED, RULES, load_all_rules
    from ..source.errors import InputError

    load_all_rules()
    if format not in RULES_FORMATS:
        raise InputError(f"--format must be text or json, not '{format}'")
    if rule_id is None:
        ordered = sorted(RULES.values(), key=lambda r: (r.family, r.id))
        if format == "json":
            typer.echo(json.dumps([r.__dict__ for r in ordered], indent=2))
            return
        width = max(len(r.id) for r in ordered)
        family = None
        for r in ordered:
            if r.family != family:
                family = r.family
                typer.echo(f"\n{family}")
            typer.echo(f"  {r.id.ljust(width)}  {r.level.ljust(7)}  {r.summary}")
        typer.echo(f"\n{len(ordered)} rules. `apictl rules ID` explains one; override levels in apictl.yaml `rules:`.")
        return
    rule = RULES.get(rule_id)
    if rule is None and rule_id in RETIRED:
        if format == "json":
            typer.echo(json.dumps({"id": rule_id, "retired": True, "rationale": RETIRED[rule_id]}, indent=2))
        else:
            typer.echo(f"{rule_id}  (retired)\n\nWhy: {RETIRED[rule_id]}\n\nNaming it in apictl.yaml is harmless: "
                       "there is nothing left to report.")
        return
    if rule is None:
        close = [r for r in RULES if rule_id in r or r in rule_id]
        hint = f" (did you mean {', '.join(sorted(close)[:3])}?)" if close else ""
        raise InputError(f"unknown rule '{rule_id}'{hint}")
    if format == "json":
        typer.echo(json.dumps(rule.__dict__, indent=2))
        return
    from ..lint.explain import explain_rule

    typer.echo(explain_rule(rule))

def register(app: typer.Typer) -> None:
    app.command("rules")(rules)
