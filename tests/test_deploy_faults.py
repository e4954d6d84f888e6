"""`apictl deploy` when the network or the server fails, and when apictl is killed: for every AWS
call of a full deploy of the e-commerce API (prod: API, deployment, stage, a usage plan, two keys,
their links, a custom domain and its mapping), the call's answer is lost, replaced by a 500, or
the call never arrives; then the same deploy runs once more. Afterwards the account holds exactly
the planned resources, none twice, and the state names exactly those. The same holds after a
SIGKILL at 20 random points. CI spoils the calls that change the account (creates, puts, patches,
deletes); `pytest -m full_fault_matrix` spoils every call, reads included.

Everything runs against moto_server on 127.0.0.1, behind a fault-injecting proxy
(tests/aws_fault_proxy.py). The matrix prints its table (run with -s to see it).
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest

from aws_fault_proxy import FAULTS, FaultProxy
from conftest import ROOT
from moto_helpers import CREDENTIALS, account, assert_exactly_the_plan, moto_server, reset
from plan_project import change_the_api, make_project

pytestmark = pytest.mark.e2e
pytest.importorskip("boto3", reason="boto3 is not installed (pip install 'apictl[deploy]')")
pytest.importorskip("moto.server", reason="moto[server] is not installed")

PROD = {"keys": ("partner-acme", "partner-globex"), "plans": ("partners",), "domain": "api.shop.example.com"}
DEV_CHANGED = {"keys": ("dev-team", "qa-team"), "plans": ("developers",), "domain": None}
SEED = 20240611  # the SIGKILL points are random, but the same on every run


@pytest.fixture(scope="module")
def moto():
    with moto_server() as url:
        yield url


@pytest.fixture(scope="module")
def proxy(moto):
    p = FaultProxy(moto)
    yield p
    p.close()


def _env() -> dict:
    return {**os.environ, **CREDENTIALS, "NO_COLOR": "1",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def _deploy(project: Path, proxy: FaultProxy, stage: str, state: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "apictl", "deploy", "--stage", stage, "--state", str(state),
                             "--endpoint-url", proxy.url], cwd=project, env={**_env(), **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _run(project: Path, proxy: FaultProxy, stage: str, state: Path, **env: str) -> tuple[int, str, str]:
    proc = _deploy(project, proxy, stage, state, **env)
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out, err


def _check_failed_run(code: int, out: str, err: str, state: Path) -> None:
    """A faulty run either copes (0) or fails cleanly: exit 1, what was done and not, the state named."""
    assert "Traceback" not in err, err
    assert code in (0, 1), (code, out, err)
    if code == 1:
        assert "apictl: error: deploy failed at" in err and "apictl: not done" in err, err
        assert f"the state in {state} records every resource that exists" in err, err
    json.loads(state.read_text(encoding="utf-8"))  # always a valid state


def _clean_calls(moto: str, proxy: FaultProxy, project: Path, stage: str) -> tuple[list[str], float]:
    reset(moto)
    state = project / f"clean-{stage}.json"
    proxy.arm()
    started = time.monotonic()
    code, out, err = _run(project, proxy, stage, state)
    assert code == 0, out + err
    return list(proxy.calls), time.monotonic() - started


def _matrix(moto: str, proxy: FaultProxy, project: Path, stage: str, expected: dict, title: str,
            prepare: Callable[[Path], None] | None = None, only: Callable[[str], bool] = lambda call: True) -> None:
    """Every call (``only`` those it accepts) of a clean run of ``stage`` x every fault: a faulty
    run, then a clean rerun. ``prepare(state)`` sets up the account and the state before each run
    (default: an empty account, no state)."""

    def fresh(state: Path) -> None:
        reset(moto)
        if prepare is not None:
            prepare(state)

    first = project / f"calls-{stage}.json"
    fresh(first)
    proxy.arm()
    code, out, err = _run(project, proxy, stage, first)
    assert code == 0, out + err
    calls = list(proxy.calls)
    results: dict = {}
    failures = []
    for index, call in enumerate(calls):
        if not only(call):
            continue
        for fault in FAULTS:
            state = project / f"state-{stage}-{index}-{fault}.json"
            fresh(state)
            proxy.arm(index, fault)
            code, out, err = _run(project, proxy, stage, state)
            fired = proxy.fired
            proxy.disarm()
            try:
                assert fired, f"call {index} ({call}) was not made: the run took another path"
                _check_failed_run(code, out, err, state)
                rerun, out2, err2 = _run(project, proxy, stage, state)
                assert rerun == 0, out2 + err2
                assert_exactly_the_plan(moto, state, expected["keys"], expected["plans"], expected["domain"])
                results[index, fault] = (code, True)
            except AssertionError as exc:
                results[index, fault] = (code, False)
                failures.append(f"call {index} {call} / {fault}: {str(exc)[:1500]}")
    _print_matrix(title, calls, results)
    assert not failures, "\n\n".join(failures)


def _print_matrix(title: str, calls: list[str], results: dict) -> None:
    print(f"\nfault matrix: {title} ({len(calls)} calls x {len(FAULTS)} faults)")
    print(f"{'#':>3} {'call':<55} " + " ".join(f"{f:>8}" for f in FAULTS))
    for index, call in enumerate(calls):
        cells = []
        for fault in FAULTS:
            if (index, fault) not in results:
                cells.append("-".rjust(8))
                continue
            code, ok = results[index, fault]
            cells.append(f"{('ok' if ok else 'FAIL')}/{code}".rjust(8))
        print(f"{index:>3} {call:<55} " + " ".join(cells))
    passed = sum(1 for _, ok in results.values() if ok)
    print(f"passed {passed} of {len(results)} (cell: result/exit code of the faulty run; 0 = coped, 1 = failed "
          "cleanly and the rerun finished the job)")


def _changes_something(call: str) -> bool:
    return not call.startswith("GET ")


def test_every_call_of_a_full_deploy_that_changes_something_fails_once_then_a_rerun_finishes(tmp_path, moto,
                                                                                               proxy):
    """The calls that change the account; reads are retried by botocore like any other read (the
    full matrix, reads included, runs with `pytest -m full_fault_matrix`)."""
    project = make_project(tmp_path)
    _matrix(moto, proxy, project, "prod", PROD, "prod, first deploy (calls that change the account)",
            only=_changes_something)


@pytest.mark.full_fault_matrix
def test_every_call_of_a_full_deploy_fails_once_then_a_rerun_finishes(tmp_path, moto, proxy):
    project = make_project(tmp_path)
    _matrix(moto, proxy, project, "prod", PROD, "prod, first deploy (every call)")


def _update_matrix(tmp_path: Path, moto: str, proxy: FaultProxy, only: Callable[[str], bool], title: str) -> None:
    """An update: a new deployment replaces the old one (created first, the old one deleted last),
    a variable is added, the usage plan's throttle changes, a key is added and linked."""
    original = make_project(tmp_path / "original")
    project = make_project(tmp_path / "changed")
    change_the_api(project)

    def deployed_before_the_change(state: Path) -> None:
        proxy.disarm()
        code, out, err = _run(original, proxy, "dev", state)
        assert code == 0, out + err

    _matrix(moto, proxy, project, "dev", DEV_CHANGED, title, deployed_before_the_change, only)


def test_every_call_of_an_update_that_changes_something_fails_once_then_a_rerun_finishes(tmp_path, moto, proxy):
    """The calls that change the account; reads are retried by botocore like any other read (the
    full matrix, reads included, runs with `pytest -m full_fault_matrix`)."""
    _update_matrix(tmp_path, moto, proxy, _changes_something, "dev, update after a change (calls that change "
                   "the account)")


@pytest.mark.full_fault_matrix
def test_every_call_of_an_update_fails_once_then_a_rerun_finishes(tmp_path, moto, proxy):
    _update_matrix(tmp_path, moto, proxy, lambda call: True, "dev, update after a change (every call)")


def test_sigkill_at_20_random_points_then_a_rerun_finishes(tmp_path, moto, proxy):
    project = make_project(tmp_path)
    calls, duration = _clean_calls(moto, proxy, project, "prod")
    rng = random.Random(SEED)
    points = [("call", rng.randrange(len(calls)), rng.choice(("kill-before", "kill-after"))) for _ in range(14)]
    points += [("time", rng.uniform(0.05, duration), None) for _ in range(6)]
    failures = []
    for n, (kind, where, when) in enumerate(points):
        reset(moto)
        state = project / f"killed-{n}.json"
        proc: subprocess.Popen | None = None

        def kill() -> None:
            assert proc is not None
            os.kill(proc.pid, signal.SIGKILL)

        if kind == "call":
            proxy.arm(where, when, on_kill=kill)
            proc = _deploy(project, proxy, "prod", state)
        else:
            proxy.arm()
            proc = _deploy(project, proxy, "prod", state)
            time.sleep(where)
            kill()
        proc.communicate(timeout=300)
        proxy.disarm()
        point = f"{when} call {where} ({calls[where]})" if kind == "call" else f"after {where:.2f}s"
        print(f"SIGKILL {n + 1:>2}: {point}: {'killed' if proc.returncode == -signal.SIGKILL else 'already done'}")
        try:
            assert proc.returncode in (-signal.SIGKILL, 0), (point, proc.returncode)
            if state.exists():
                json.loads(state.read_text(encoding="utf-8"))  # a kill never leaves a broken state
            code, out, err = _run(project, proxy, "prod", state)
            assert code == 0, out + err
            assert_exactly_the_plan(moto, state, PROD["keys"], PROD["plans"], PROD["domain"])
        except AssertionError as exc:
            failures.append(f"SIGKILL {point}: {str(exc)[:1500]}")
    print(f"\nSIGKILL: {len(points) - len(failures)} of {len(points)} points passed (seed {SEED})")
    assert not failures, "\n\n".join(failures)


def test_a_server_that_keeps_failing_makes_nothing_twice_and_says_what_was_done(tmp_path, moto, proxy):
    """The issue's case: a server that answers 500 (after doing the work). One deploy used to make
    five APIs, each rerun five more, and name a state it had not written."""
    project = make_project(tmp_path)
    reset(moto)
    state = project / ".apictl" / "prod.json"
    proxy.arm(always=("POST /restapis", "500"))  # the API is created, the answer is an error
    code, out, err = _run(project, proxy, "prod", state)
    assert code == 0, out + err  # found by its identity tags after the error: adopted, not made again
    assert "+ RestApi (AWS::ApiGateway::RestApi): adopted" in out
    assert len(account(moto)["apis"]) == 1

    reset(moto)
    state.unlink()
    proxy.arm(always=("PUT /restapis/{id}", "500"))  # the body never goes in
    code, out, err = _run(project, proxy, "prod", state, AWS_MAX_ATTEMPTS="2")  # give up after one retry
    proxy.disarm()
    assert code == 1, out + err
    assert "apictl: error: deploy failed at RestApi (create): InternalFailure" in err
    assert "apictl: done (0): nothing" in err and "apictl: not done (16): + RestApi, " in err
    assert f"apictl: the state in {state} records every resource that exists" in err
    recorded = json.loads(state.read_text())["resources"]
    assert list(recorded) == ["RestApi"] and "Body" not in recorded["RestApi"]["hashes"]  # made, body still to put
    assert len(account(moto)["apis"]) == 1
    plan = subprocess.run([sys.executable, "-m", "apictl", "plan", "--stage", "prod", "--state", str(state)],
                          cwd=project, env=_env(), capture_output=True, text=True)
    assert "  ~ RestApi\n      + Body = OpenAPI 3.0.3, 16 operations" in plan.stdout, plan.stdout + plan.stderr
    code, out, err = _run(project, proxy, "prod", state)
    assert code == 0, out + err
    assert_exactly_the_plan(moto, state, PROD["keys"], PROD["plans"], PROD["domain"])
