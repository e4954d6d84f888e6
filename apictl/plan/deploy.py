"""Apply a plan through the API Gateway API (boto3; ``pip install 'apictl[deploy]'``).

The order of a deploy, each step before the next:

1. lock the state (one writer at a time) and read it;
2. write it back at once: a state that cannot be written stops the deploy before any AWS call;
3. refresh (unless ``--no-refresh``): read what the state records from the account, report drift;
4. plan against the refreshed state and apply it action by action, each create guarded (looked up
   by identity first, never retried blindly), the state written after every step;
5. delete the objects replacements made obsolete (deposed);
6. on failure: what was done, what was not, where the state is; exit 1. Running the same deploy
   again finishes the job.
"""
from __future__ import annotations

import signal
import sys
from dataclasses import dataclass
from typing import Any, Callable

from ..progress import track
from ..source.errors import InputError
from ..source.intrinsics import contains_intrinsic
from .apply.base import Applier, DeployError
from .aws import aws_errors, describe, is_credentials_error, is_not_found, make_clients, resolve_region
from .pipeline import Desired
from .plan import Action, Plan, make_plan
from .state import State, empty_state
from .state.store import StateStore, load, save

DONE_WORDS = {"create": "created", "update": "updated", "replace": "replaced", "delete": "deleted"}


@dataclass
class DeploySettings:
    endpoint_url: str | None = None
    region: str | None = None
    lock_timeout: float = 0.0
    refresh: bool = True
    show_progress: bool = False  # a bar on a terminal (see apictl.progress)


def deploy(desired: Desired, store: StateStore, settings: DeploySettings) -> int:
    """Exit code: 0 deployed, 1 an AWS call failed (the state records what was done); input errors raise.
    The log goes to ``sys.stdout`` as it is at each write (a progress bar may redirect it)."""
    graph = desired.graph
    if contains_intrinsic(graph.body):
        raise InputError("the spec uses CloudFormation intrinsic functions (Fn::Sub, Ref...), which only "
                         "CloudFormation evaluates: use `apictl export --format cloudformation`",
                         desired.source.document.display)
    region = resolve_region(settings.region)
    with store.lock("deploy", settings.lock_timeout), _terminate_as_interrupt():
        state = load(store, graph)
        _check_deployable(state, graph, store.label)
        state = state or empty_state(graph)
        save(store, state)  # the state can be written: checked before the first AWS call
        sys.stdout.write(f"State: {store.label} (locked; {len(state.resources)} resources recorded)\n")
        service = "apigateway" if graph.api_type == "rest" else "apigatewayv2"
        clients = make_clients(service, region, settings.endpoint_url)
        try:
            plan = _refreshed_plan(clients, desired, state, settings.refresh)
        except aws_errors() as exc:
            if is_credentials_error(exc):
                raise InputError(f"AWS credentials: {describe(exc)}") from None
            sys.stderr.write(f"apictl: error: refresh failed (reading the account): {describe(exc)}\n"
                      f"apictl: nothing was changed; the state in {store.label} is as it was\n")
            return 1
        run = _Run(desired, plan, store)
        applier_class = _applier_class(graph.api_type)
        applier = applier_class(clients, desired, plan.state or empty_state(graph),
                                save=lambda s: save(store, s), note=_note)
        return run.apply(applier, region, settings.show_progress)


def _note(line: str) -> None:
    sys.stdout.write(f"  note: {line}\n")


def _check_deployable(state: State | None, graph: Any, label: str) -> None:
    """A state written by ``plan --write-state`` records a plan, not physical resources."""
    if state is None:
        return
    planned_only = [a for a, r in state.resources.items() if not r.in_body and not r.physical_id]
    if planned_only:
        raise InputError(f"the state has no physical ids for {', '.join(planned_only)} (a state written by `apictl "
                         "plan --write-state` records the plan, not a deploy): deploy needs the state its last deploy "
                         "wrote, or `apictl import` to record an existing API", label)


def _refreshed_plan(clients: Any, desired: Desired, state: State, refresh: bool) -> Plan:
    from .render import drift_lines

    if refresh and state.resources:
        from .refresh import refresh as read_account

        refreshed, drift = read_account(clients, desired, state)
        plan = make_plan(desired.graph, refreshed, drift, refreshed=True)
        if drift:
            sys.stdout.write("\n".join(drift_lines(plan)) + "\n\n")
        return plan
    return make_plan(desired.graph, state)


def _applier_class(api_type: str) -> type[Applier]:
    if api_type == "rest":
        from .apply.rest import RestApplier

        return RestApplier
    from .apply.http import HttpApplier

    return HttpApplier


class _Run:
    """One walk over the plan, with the account of what was done for the failure report."""

    def __init__(self, desired: Desired, plan: Plan, store: StateStore):
        self.desired, self.plan, self.store = desired, plan, store
        self.done: list[str] = []

    def apply(self, applier: Applier, region: str, show_progress: bool = False) -> int:
        current: Action | None = None
        try:
            # (no name for the iterator: when a step fails, the bar must be gone before the error is printed)
            for action in track(self.plan.actions, f"Deploying {self.desired.graph.stage}", enabled=show_progress,
                                note=lambda a: a.address):
                current = action
                what = applier.apply(action)
                self._done(action, what, applier)
            current = None
            for d in applier.delete_deposed():
                sys.stdout.write(f"  - {d.address} ({d.type}): deleted the replaced object {d.physical_id}\n")
                self.done.append(f"- {d.address} (replaced object {d.physical_id})")
            applier.save()
        except KeyboardInterrupt:
            self._report(current, "interrupted", applier)
            raise
        except InputError as exc:  # the state could not be written mid-deploy
            self._report(current, exc.one_line(), applier, state_failed=True)
            return 1
        except Exception as exc:  # an AWS error, or a resource in the way (DeployError)
            if not isinstance(exc, (DeployError, *aws_errors())):
                raise
            if is_credentials_error(exc) and not self.done:
                raise InputError(f"AWS credentials: {describe(exc)}") from None
            self._report(current, describe(exc), applier, hint=self._hint(current, exc))
            return 1
        self._summary(applier, region)
        return 0

    def _done(self, action: Action, what: str, applier: Applier) -> None:
        how = " (with the body)" if action.in_body else ""
        physical = applier.physical.get(action.address) if action.action != "delete" else None
        if what == "adopted":
            what = "adopted (it existed with this resource's apictl identity)"
        sys.stdout.write(f"{action.symbol:>3} {action.address} ({action.type}): {what}{how}"
                       f"{' -> ' + physical if physical else ''}\n")
        sys.stdout.flush()
        self.done.append(f"{action.symbol} {action.address}")

    def _hint(self, current: Action | None, exc: BaseException) -> str | None:
        if current is not None and current.action != "create" and is_not_found(exc):
            return (f"{current.address} is no longer in the account; deploy with refresh (the default, not "
                    "--no-refresh) reads the account first and creates what is missing")
        return None

    def _report(self, current: Action | None, reason: str, applier: Applier, state_failed: bool = False,
                hint: str | None = None) -> None:
        sys.stdout.flush()
        where = f"{current.address} ({current.action})" if current else "the end (deleting replaced objects)"
        started = self.plan.actions.index(current) if current else len(self.plan.actions)
        not_done = [f"{a.symbol} {a.address}" for a in self.plan.actions[started:]]
        not_done += [f"- {d.address} (replaced object {d.physical_id})" for d in applier.done.deposed]
        lines = [f"apictl: error: deploy failed at {where}: {reason}",
                 f"apictl: done ({len(self.done)}): {', '.join(self.done) or 'nothing'}",
                 f"apictl: not done ({len(not_done)}): {', '.join(not_done) or 'nothing'}"]
        if hint:
            lines.append(f"apictl: hint: {hint}")
        if state_failed:
            lines.append(f"apictl: the state in {self.store.label} could not be written after the last step; what "
                         "was created carries apictl identity tags, so the next deploy finds and adopts it")
        else:
            lines.append(f"apictl: the state in {self.store.label} records every resource that exists; run the same "
                         "`apictl deploy` again to finish")
        sys.stderr.write("\n".join(lines) + "\n")

    def _summary(self, applier: Applier, region: str) -> None:
        counts = self.plan.counts()
        g = self.desired.graph
        adopted = f" ({len(applier.adopted)} of them adopted)" if applier.adopted else ""
        sys.stdout.write(f"\nDeployed stage '{g.stage}' of '{g.title}': {counts['create']} created{adopted}, "
                       f"{counts['update']} updated, {counts['replace']} replaced, {counts['delete']} deleted "
                       f"({len(self.plan.unchanged)} unchanged). State: {self.store.label}\n")
        api_id = applier.physical.get("RestApi") or applier.physical.get("HttpApi")
        sys.stdout.write(f"API id: {api_id}; invoke URL: https://{api_id}.execute-api.{region}.amazonaws.com"
                       f"{'' if g.stage == '$default' else '/' + g.stage}\n")


class _terminate_as_interrupt:
    """SIGTERM (CI cancelling a job) stops the deploy like Ctrl-C: the report is printed, the lock released."""

    def __enter__(self) -> None:
        self.previous: Callable | int | None = None
        try:
            self.previous = signal.signal(signal.SIGTERM, self._raise)
        except ValueError:  # not the main thread
            self.previous = None

    def __exit__(self, *exc: Any) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)

    @staticmethod
    def _raise(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt
