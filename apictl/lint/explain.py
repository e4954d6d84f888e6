"""One rule explained: what `apictl rules ID` prints and what the language server shows on hover."""
from __future__ import annotations

from .. import RULES_URL
from .registry import Rule


def rule_url(rule_id: str) -> str:
    """The rule's entry in the catalogue (docs/rules.md has an anchor per rule id)."""
    return f"{RULES_URL}#{rule_id}"


def explain_rule(rule: Rule, markdown: bool = False) -> str:
    """Summary, rationale, fix, an example and how to turn it off; plain text, or Markdown for editors."""
    if markdown:
        parts = [f"**{rule.id}** ({rule.level}, {rule.family})", rule.summary + "."]
        if rule.rationale:
            parts.append("**Why:** " + rule.rationale)
        parts.append("**Fix:** " + rule.fix)
        if rule.example:
            parts.append("Example that triggers it:\n\n```yaml\n" + rule.example.rstrip("\n") + "\n```")
        parts.append(f"Silence it here with `x-apictl-ignore: [{rule.id}]`, or set its level in apictl.yaml "
                     f"`rules:`. [Rule catalogue]({rule_url(rule.id)})")
        return "\n\n".join(parts)
    lines = [f"{rule.id}  ({rule.level}, {rule.family})", "", rule.summary + "."]
    if rule.rationale:
        lines += ["", "Why: " + rule.rationale]
    lines += ["", "Fix: " + rule.fix]
    if rule.example:
        lines += ["", "Example that triggers it:", ""]
        lines += ["    " + line for line in rule.example.splitlines()]
    lines += ["", "Turn it off or change its level in apictl.yaml:", "", "    rules:", f"      {rule.id}: off"]
    return "\n".join(lines)
