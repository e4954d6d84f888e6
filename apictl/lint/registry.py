"""Rules are data (id, level, summary, fix, example) plus a small check function.

A check function takes a LintContext and yields Findings; one function may serve several closely
related rule ids (``@check("ref-unresolved", "ref-outside-root")``). Every id it emits must be
declared in a rule table, so ``apictl rules`` can list and explain each one.
"""
from __future__ import annotations

from importlib import import_module
from typing import Callable, Iterable

from ..record import Value

LEVELS = ("error", "warning", "info")
LEVEL_RANK = {"error": 3, "warning": 2, "info": 1, "off": 0}


class Rule(Value):
    """A lint rule's metadata (the check itself is registered with ``check``); immutable and hashable."""

    _fields = ("id", "level", "summary", "fix", "family", "example", "rationale")

    def __init__(self, id: str, level: str, summary: str, fix: str, family: str, example: str = "",
                 rationale: str = ""):
        set_field = object.__setattr__
        set_field(self, "id", id)
        set_field(self, "level", level)  # default level: error | warning | info
        set_field(self, "summary", summary)  # one line
        set_field(self, "fix", fix)  # how to fix it
        set_field(self, "family", family)  # structure | references | semantics | gateway | ...
        set_field(self, "example", example)  # a small spec fragment that triggers it
        set_field(self, "rationale", rationale)  # why it matters (API Gateway behaviour, import rule...)

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError(f"cannot assign to field '{name}' of a Rule")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field '{name}' of a Rule")

    def __hash__(self) -> int:
        return hash(self._key())


RULES: dict[str, Rule] = {}
CHECKS: list[tuple[tuple[str, ...], Callable]] = []
RETIRED: dict[str, str] = {}  # rule id -> why it no longer exists (configs that name it keep working)


def declare(*rules: Rule) -> None:
    for r in rules:
        if r.id in RULES:
            raise ValueError(f"rule {r.id} declared twice")
        if r.level not in LEVELS:
            raise ValueError(f"rule {r.id}: bad level {r.level}")
        RULES[r.id] = r


def retire(rule_id: str, reason: str) -> None:
    """A rule that was removed: ``apictl rules ID`` explains why, and ``rules:``/``ignore:`` entries naming
    it are accepted (they have nothing left to do)."""
    if rule_id in RULES:
        raise ValueError(f"rule {rule_id} is declared and retired")
    RETIRED[rule_id] = reason


def check(*rule_ids: str) -> Callable:
    """Register a check function that emits findings for ``rule_ids``."""

    def wrap(fn: Callable[["object"], Iterable]) -> Callable:
        CHECKS.append((rule_ids, fn))
        fn.rule_ids = rule_ids
        return fn

    return wrap


# The rule families (modules of apictl/lint/rules/) in the order their checks run, and what a document must have for
# any check of the family to report anything; lint imports only the families the document needs, so a small spec
# without API Gateway extensions never loads the gateway rules. Needs: "any" every document; "gateway" an API meant
# for API Gateway (Api.targets_gateway: every gateway check returns at once without it); "values" a root document
# with an example, examples or default (the loader's walk records them).
FAMILIES = {
    "examples": "values", "operations": "any", "paths": "any", "references": "any", "structure": "any",
    "gateway_extensions": "gateway", "gateway_import": "gateway", "gateway_integrations": "gateway",
    "gateway_responses": "gateway", "gateway_security": "gateway", "gateway_stages": "gateway", "gateway_vtl": "gateway",
}


def load_families(needs: Iterable[str]) -> list[tuple[tuple[str, ...], Callable]]:
    """Import the families whose need is among ``needs`` (each registers itself); their checks, in run order."""
    wanted = [family for family, need in FAMILIES.items() if need in set(needs)]
    for family in wanted:
        import_module(f"{__package__}.rules.{family}")
    order = {f"{__package__}.rules.{family}": i for i, family in enumerate(wanted)}
    checks = [c for c in CHECKS if c[1].__module__ in order]
    return sorted(checks, key=lambda c: order[c[1].__module__])  # stable: declaration order within a family


def load_all_rules() -> None:
    """Import every rule module (each registers itself)."""
    load_families(set(FAMILIES.values()))
