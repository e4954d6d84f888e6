"""Rules are data (id, level, summary, fix, example) plus a small check function.

A check function takes a LintContext and yields Findings; one function may serve several closely
related rule ids (``@check("ref-unresolved", "ref-outside-root")``). Every id it emits must be
declared in a rule table, so ``apictl rules`` can list and explain each one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

LEVELS = ("error", "warning", "info")
LEVEL_RANK = {"error": 3, "warning": 2, "info": 1, "off": 0}


@dataclass(frozen=True)
class Rule:
    id: str
    level: str  # default level: error | warning | info
    summary: str  # one line
    fix: str  # how to fix it
    family: str  # structure | references | semantics | gateway | ...
    example: str = ""  # a small spec fragment that triggers it
    rationale: str = ""  # why it matters (API Gateway behaviour, import rule...)


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


def load_all_rules() -> None:
    """Import every rule module (each registers itself)."""
    from . import rules  # noqa: F401  (package __init__ imports the families)
