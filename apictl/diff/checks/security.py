"""Security requirements (per operation and global) and security scheme definitions.

All of these are INFO as in oasdiff; the API Gateway view (an authorizer removed or weakened, an API
key requirement dropped) is in ``apictl/diff/gateway.py`` with its own ids and levels.
"""
from __future__ import annotations

from typing import Iterator

from ...model.messages import security_requirements
from ..context import DiffContext
from ..words import setting
from . import INFO, Change, declare

declare("security", [
    ("api-security-removed", INFO, "An operation security requirement was removed"),
    ("api-security-added", INFO, "An operation security requirement was added"),
    ("api-security-scope-added", INFO, "A scope was added to an operation security requirement"),
    ("api-security-scope-removed", INFO, "A scope was removed from an operation security requirement"),
    ("api-global-security-removed", INFO, "A root-level security requirement was removed"),
    ("api-global-security-added", INFO, "A root-level security requirement was added"),
    ("api-global-security-scope-added", INFO, "A scope was added to a root-level security requirement"),
    ("api-global-security-scope-removed", INFO, "A scope was removed from a root-level security requirement"),
    ("api-security-component-removed", INFO, "A security scheme was removed from the components"),
    ("api-security-component-added", INFO, "A security scheme was added to the components"),
    ("api-security-component-type-changed", INFO, "The type of a security scheme changed"),
    ("api-security-component-oauth-url-changed", INFO, "An OAuth flow's authorizationUrl changed"),
    ("api-security-component-oauth-token-url-changed", INFO, "An OAuth flow's tokenUrl changed"),
    ("api-security-component-oauth-scope-added", INFO, "A scope was added to an OAuth flow"),
    ("api-security-component-oauth-scope-removed", INFO, "A scope was removed from an OAuth flow"),
])


def _compare(old: list[dict], new: list[dict], prefix: str, at, label: str, what: str) -> Iterator[Change]:
    def key(alt: dict) -> str:
        return " AND ".join(sorted(alt)) or "(none)"

    old_by, new_by = {key(a): a for a in old}, {key(a): a for a in new}
    for k in sorted(old_by.keys() - new_by.keys()):
        yield Change(f"{prefix}-removed", f"{what} security requirement '{k}' removed", at[0], label)
    for k in sorted(new_by.keys() - old_by.keys()):
        yield Change(f"{prefix}-added", f"{what} security requirement '{k}' added", at[1], label)
    for k in sorted(old_by.keys() & new_by.keys()):
        for scheme in sorted(old_by[k]):
            was, now = set(old_by[k][scheme]), set(new_by[k].get(scheme, []))
            for scope in sorted(was - now):
                yield Change(f"{prefix}-scope-removed", f"{what} security '{scheme}': scope '{scope}' removed", at[1], label)
            for scope in sorted(now - was):
                yield Change(f"{prefix}-scope-added", f"{what} security '{scheme}': scope '{scope}' added", at[1], label)


def run(ctx: DiffContext) -> Iterator[Change]:
    for pair in ctx.pairs:
        if "security" not in pair.base.node and "security" not in pair.rev.node:
            continue  # both follow the global requirement, compared below
        old, old_at = security_requirements(ctx.base, pair.base)
        new, new_at = security_requirements(ctx.rev, pair.rev)
        where = ((ctx.base.document, old_at), (ctx.rev.document, new_at))
        yield from _compare(old, new, "api-security", where, pair.label, "operation")
    old, old_at = security_requirements(ctx.base, _NO_OPERATION)
    new, new_at = security_requirements(ctx.rev, _NO_OPERATION)
    yield from _compare(old, new, "api-global-security", ((ctx.base.document, old_at), (ctx.rev.document, new_at)),
                        "", "global")
    yield from _components(ctx)


class _Root:
    node: dict = {}
    pointer: tuple = ()


_NO_OPERATION = _Root()


def _components(ctx: DiffContext) -> Iterator[Change]:
    old, new = ctx.base.security_schemes, ctx.rev.security_schemes
    for name in sorted(old.keys() - new.keys()):
        yield Change("api-security-component-removed", f"security scheme '{name}' removed",
                     (old[name].document, old[name].pointer))
    for name in sorted(new.keys() - old.keys()):
        yield Change("api-security-component-added", f"security scheme '{name}' added",
                     (new[name].document, new[name].pointer))
    for name in sorted(old.keys() & new.keys()):
        a, b = old[name], new[name]
        at = (b.document, b.pointer)
        if a.type != b.type:
            yield Change("api-security-component-type-changed", f"security scheme '{name}': type changed from "
                                                                f"{setting(a.type)} to {setting(b.type)}", at)
        a_flows = a.node.get("flows") if isinstance(a.node.get("flows"), dict) else {}
        b_flows = b.node.get("flows") if isinstance(b.node.get("flows"), dict) else {}
        for flow in sorted(a_flows.keys() & b_flows.keys()):
            fa, fb = a_flows[flow], b_flows[flow]
            if not isinstance(fa, dict) or not isinstance(fb, dict):
                continue
            for key, check_id in (("authorizationUrl", "oauth-url-changed"), ("tokenUrl", "oauth-token-url-changed")):
                if fa.get(key) != fb.get(key):
                    yield Change(f"api-security-component-{check_id}",
                                 f"security scheme '{name}' flow {flow}: {key} changed", at)
            sa = fa.get("scopes") if isinstance(fa.get("scopes"), dict) else {}
            sb = fb.get("scopes") if isinstance(fb.get("scopes"), dict) else {}
            for scope in sorted(sa.keys() - sb.keys()):
                yield Change("api-security-component-oauth-scope-removed",
                             f"security scheme '{name}' flow {flow}: scope '{scope}' removed", at)
            for scope in sorted(sb.keys() - sa.keys()):
                yield Change("api-security-component-oauth-scope-added",
                             f"security scheme '{name}' flow {flow}: scope '{scope}' added", at)
