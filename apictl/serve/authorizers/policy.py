"""IAM policy evaluation for Lambda authorizer results (gateway-runtime.md 8.3): an explicit Deny
wins, else an Allow is needed; ``*`` and ``?`` in Action/Resource are IAM wildcards (``*`` crosses
``/`` and ``:``); matching is case-sensitive."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=4096)
def _pattern(text: str, ignore_case: bool) -> re.Pattern:
    regex = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in text)
    return re.compile(regex, re.S | (re.I if ignore_case else 0))


def _matches(patterns: Any, value: str, ignore_case: bool = False) -> bool:
    items = patterns if isinstance(patterns, list) else [patterns]
    return any(isinstance(p, str) and _pattern(p, ignore_case).fullmatch(value) for p in items)


class MalformedPolicy(Exception):
    pass


def evaluate(policy: Any, resource_arn: str) -> bool:
    """True when the policy allows ``execute-api:Invoke`` on ``resource_arn``."""
    if not isinstance(policy, dict):
        raise MalformedPolicy("policyDocument is not an object")
    statements = policy.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list):
        raise MalformedPolicy("policyDocument.Statement is missing")
    allowed = False
    for statement in statements:
        if not isinstance(statement, dict):
            raise MalformedPolicy("a policy statement is not an object")
        effect = statement.get("Effect")
        if effect not in ("Allow", "Deny"):
            raise MalformedPolicy(f"statement Effect must be Allow or Deny, not {effect!r}")
        if not _matches(statement.get("Action"), "execute-api:Invoke", ignore_case=True):
            continue
        if not _matches(statement.get("Resource"), resource_arn):
            continue
        if effect == "Deny":
            return False
        allowed = True
    return allowed
