"""Deploy and its state against moto_server on 127.0.0.1: two deploys on one state, a state that
cannot be written, changes made outside apictl (refresh, drift, convergence) and `apictl import`
of an API made by hand."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from aws_fault_proxy import FaultProxy
from conftest import ROOT, run_apictl
from moto_helpers import CREDENTIALS, account, assert_exactly_the_plan, client, deploy, moto_server, reset, state_ids
from plan_project import edit, make_http_project, make_project

pytestmark = pytest.mark.e2e
pytest.importorskip("boto3", reason="boto3 is not installed (pip install 'apictl[deploy]')")
pytest.importorskip("moto.server", reason="moto[server] is not installed")

DEV = {"keys": ("dev-team",), "plans": ("developers",)}


@pytest.fixture(scope="module")
def moto():
    with moto_server() as url:
        yield url


@pytest.fixture
def fresh(moto):
    reset(moto)
    return moto


def _popen(project: Path, url: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, **CREDENTIALS, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "apictl", "deploy", "--stage", "dev", "--endpoint-url", url, *args],
                            cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _plan(project: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    return run_apictl("plan", "--stage", "dev", "--endpoint-url", url, *args, cwd=project, env=CREDENTIALS)


# -- one writer at a time -----------------------------------------------------------------------
def test_a_second_deploy_on_the_same_state_is_refused_while_the_first_runs(tmp_path, fresh):
    project = make_project(tmp_path)
    state = project / "same.json"
    proxy = FaultProxy(fresh)
    proxy.arm(delay=0.3)  # the first deploy takes a few seconds
    try:
        first = _popen(project, proxy.url, "--state", str(state))
        deadline = time.monotonic() + 60
        while not (project / "same.json.lock").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        second = _popen(project, fresh, "--state", str(state))
        out2, err2 = second.communicate(timeout=120)
        out1, err1 = first.communicate(timeout=300)
    finally:
        proxy.close()
    assert first.returncode == 0, out1 + err1
    assert second.returncode == 2, out2 + err2
    assert re.match(rf"{re.escape(str(state))}: error: state is locked by pid {first.pid} since "
                    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(apictl deploy by ", err2), err2
    assert out2 == ""  # refused before any AWS call
    assert_exactly_the_plan(fresh, state, DEV["keys"], DEV["plans"])


def test_two_deploys_that_wait_for_the_lock_run_one_after_the_other(tmp_path, fresh):
    project = make_project(tmp_path)
    runs = [_popen(project, fresh, "--lock-timeout", "3m") for _ in range(2)]
    results = [(r.wait(timeout=300), r.stdout.read(), r.stderr.read()) for r in runs]
    assert [code for code, _, _ in results] == [0, 0], results
    summaries = sorted(re.search(r"Deployed stage 'dev' of 'E-commerce API': (\d+) created", out).group(1)
                       for _, out, _ in results)
    assert summaries == ["0", "12"]  # the second found everything done
    assert_exactly_the_plan(fresh, project / ".apictl" / "dev.json", DEV["keys"], DEV["plans"])


# -- the state location is checked before the first AWS call -----------------------------------
def _make_unwritable(folder: Path) -> bool:
    """A folder nobody can write to, root included (the immutable attribute); False if impossible."""
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return True
    return shutil.which("chattr") is not None and subprocess.run(["chattr", "+i", str(folder)],
                                                                 capture_output=True).returncode == 0


def test_a_state_in_a_read_only_folder_stops_the_deploy_before_anything_is_created(tmp_path, fresh):
    project = make_project(tmp_path)
    locked = project / "states"
    if not _make_unwritable(locked):
        pytest.skip("cannot make a folder read-only here (root without chattr +i support)")
    try:
        result = deploy(project, fresh, "dev", "--state", str(locked / "dev.json"), check=False)
    finally:
        subprocess.run(["chattr", "-i", str(locked)], capture_output=True)
        locked.chmod(0o755)
    assert result.returncode == 2, result.stdout + result.stderr
    assert re.match(rf"{re.escape(str(locked))}/dev.json.lock: error: cannot write state lock file: "
                    r"(permission denied|operation not permitted)", result.stderr), result.stderr
    assert account(fresh)["apis"] == []  # the issue: the API used to be created first, then orphaned


def test_a_state_path_through_a_file_stops_the_deploy_before_anything_is_created(tmp_path, fresh):
    project = make_project(tmp_path)
    (project / "taken").write_text("a file, not a folder")
    result = deploy(project, fresh, "dev", "--state", str(project / "taken" / "dev.json"), check=False)
    assert result.returncode == 2
    assert "error: cannot write state lock file: a part of the path is not a folder" in result.stderr
    assert account(fresh)["apis"] == []


# -- refresh and drift --------------------------------------------------------------------------
def test_drift_is_shown_by_plan_refresh_and_undone_by_deploy(tmp_path, fresh):
    project = make_project(tmp_path)
    deploy(project, fresh, "dev")
    state = project / ".apictl" / "dev.json"
    ids = state_ids(state)
    api = client(fresh)
    api.update_stage(restApiId=ids["RestApi"], stageName="dev", patchOperations=[
        {"op": "replace", "path": "/variables/env", "value": "console"},
        {"op": "replace", "path": "/variables/debug", "value": "1"}])
    plan_id = ids["UsagePlanDevelopers"]
    api.update_usage_plan(usagePlanId=plan_id, patchOperations=[
        {"op": "remove", "path": "/apiStages", "value": f"{ids['RestApi']}:dev"}])
    api.delete_usage_plan(usagePlanId=plan_id)

    without_refresh = _plan(project, fresh, "--detailed-exitcode")
    assert without_refresh.returncode == 0, without_refresh.stdout  # the state alone knows nothing of it

    planned = _plan(project, fresh, "--refresh", "--detailed-exitcode")
    assert planned.returncode == 2, planned.stdout + planned.stderr
    out = planned.stdout
    assert "Refreshed from the account: 1 changed and 2 deleted outside apictl." in out
    drift, actions = out.split("Resource actions are indicated", 1)
    assert ("  # Stage (AWS::ApiGateway::Stage) was changed outside apictl\n"
            '      ~ Variables: {"env": "dev"} -> {"env": "console", "debug": "1"}') in drift
    assert "  # UsagePlanDevelopers (AWS::ApiGateway::UsagePlan) was deleted outside apictl" in drift
    assert '      ~ Variables: {"env": "console", "debug": "1"} -> {"env": "dev"}' in actions
    assert "  # UsagePlanDevelopers (AWS::ApiGateway::UsagePlan) will be created" in actions
    assert "Plan: 2 to create, 1 to update, 0 to replace, 0 to delete" in out
    as_json = json.loads(_plan(project, fresh, "--refresh", "--format", "json").stdout)
    assert as_json["plan"]["drift"] == [
        {"address": "Stage", "type": "AWS::ApiGateway::Stage", "kind": "changed"},
        {"address": "UsagePlanDevelopers", "type": "AWS::ApiGateway::UsagePlan", "kind": "deleted"},
        {"address": "UsagePlanKeyDevelopersDevTeam", "type": "AWS::ApiGateway::UsagePlanKey", "kind": "deleted"}]

    converged = deploy(project, fresh, "dev").stdout
    assert "  ~ Stage (AWS::ApiGateway::Stage): updated" in converged
    assert "  + UsagePlanDevelopers (AWS::ApiGateway::UsagePlan): created" in converged
    assert api.get_stage(restApiId=ids["RestApi"], stageName="dev")["variables"] == {"env": "dev"}
    assert _plan(project, fresh, "--refresh", "--detailed-exitcode").returncode == 0
    assert_exactly_the_plan(fresh, state, DEV["keys"], DEV["plans"])


def test_a_deleted_api_is_made_again_and_the_state_follows(tmp_path, fresh):
    """The issue: when the state names an API that no longer exists, every rerun failed with
    NotFoundException and no hint; after the account was emptied, deploy said "0 created"."""
    project = make_project(tmp_path)
    deploy(project, fresh, "dev")
    state = project / ".apictl" / "dev.json"
    old = state_ids(state)
    client(fresh).delete_rest_api(restApiId=old["RestApi"])
    out = deploy(project, fresh, "dev").stdout
    assert "  # RestApi (AWS::ApiGateway::RestApi) was deleted outside apictl" in out
    assert "  # Stage (AWS::ApiGateway::Stage) is gone with its API" in out
    assert re.search(r"  \+ RestApi \(AWS::ApiGateway::RestApi\): created -> (\w+)", out)
    assert "  ~ UsagePlanDevelopers (AWS::ApiGateway::UsagePlan): updated" in out  # moved to the new API
    new = state_ids(state)
    assert new["RestApi"] != old["RestApi"] and new["UsagePlanDevelopers"] == old["UsagePlanDevelopers"]
    assert_exactly_the_plan(fresh, state, DEV["keys"], DEV["plans"])

    reset(fresh)  # everything gone
    out = deploy(project, fresh, "dev").stdout
    assert "Deployed stage 'dev' of 'E-commerce API': 12 created" in out
    assert_exactly_the_plan(fresh, state, DEV["keys"], DEV["plans"])


def test_a_method_added_in_the_console_is_drift_of_the_body(tmp_path, fresh):
    project = make_project(tmp_path)
    deploy(project, fresh, "dev")
    ids = state_ids(project / ".apictl" / "dev.json")
    api = client(fresh)
    resources = api.get_resources(restApiId=ids["RestApi"])["items"]
    products = next(r for r in resources if r["path"] == "/products")
    api.put_method(restApiId=ids["RestApi"], resourceId=products["id"], httpMethod="PATCH", authorizationType="NONE")
    planned = _plan(project, fresh, "--refresh", "--detailed-exitcode")
    assert planned.returncode == 2
    assert ("  # RestApi (AWS::ApiGateway::RestApi) was changed outside apictl\n      ~ Body: the account's methods "
            "differ from the spec") in planned.stdout
    assert "          - PATCH /products" in planned.stdout
    assert "a new deployment" in planned.stdout  # putting the body back redeploys the stage
    deploy(project, fresh, "dev")
    assert _plan(project, fresh, "--refresh", "--detailed-exitcode").returncode == 0


# -- import ------------------------------------------------------------------------------------
def _hand_made_api(url: str, project: Path) -> tuple[str, dict]:
    """The dev stage of the e-commerce API as a team would make it in the console (no apictl tags)."""
    api = client(url)
    body = yaml.safe_load((project / "specs" / "ecommerce.yaml").read_text())
    rest_id = api.import_rest_api(body=json.dumps(body).encode(), failOnWarnings=False)["id"]
    deployment = api.create_deployment(restApiId=rest_id, description="by hand")["id"]
    api.create_stage(restApiId=rest_id, stageName="dev", deploymentId=deployment, variables={"env": "dev"})
    api.update_stage(restApiId=rest_id, stageName="dev", patchOperations=[
        {"op": "replace", "path": f"/*/*/{path}", "value": value} for path, value in (
            ("throttling/burstLimit", "100"), ("throttling/rateLimit", "50"), ("logging/loglevel", "INFO"),
            ("metrics/enabled", "true"))])
    plan = api.create_usage_plan(name="developers", apiStages=[{"apiId": rest_id, "stage": "dev"}],
                                 throttle={"burstLimit": 20, "rateLimit": 10}, quota={"limit": 10000, "period": "DAY"})
    key = api.create_api_key(name="dev-team", enabled=True)
    api.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
    return rest_id, {"plan": plan["id"], "key": key["id"], "deployment": deployment}


def test_import_of_a_hand_made_api_then_the_plan_shows_only_real_differences(tmp_path, fresh):
    project = make_project(tmp_path)
    rest_id, made = _hand_made_api(fresh, project)
    state = project / "imported.json"
    imported = run_apictl("import", "--stage", "dev", "--rest-api-id", rest_id, "--state", str(state),
                          "--endpoint-url", fresh, cwd=project, env=CREDENTIALS)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert f"  recorded RestApi (AWS::ApiGateway::RestApi) {rest_id}" in imported.stdout
    assert f"  recorded UsagePlanDevelopers (AWS::ApiGateway::UsagePlan) {made['plan']}" in imported.stdout
    assert "the API's methods and integrations match the spec (16 methods)" in imported.stdout
    assert state_ids(state) == {"RestApi": rest_id, "Deployment": made["deployment"], "Stage": "dev",
                                "UsagePlanDevelopers": made["plan"], "ApiKeyDevTeam": made["key"],
                                "UsagePlanKeyDevelopersDevTeam": f"{made['plan']}:{made['key']}"}
    same = _plan(project, fresh, "--state", str(state), "--detailed-exitcode")
    assert same.returncode == 0, same.stdout  # everything matches: no changes
    assert "No changes. The 12 resources match the state." in same.stdout
    assert _plan(project, fresh, "--state", str(state), "--refresh", "--detailed-exitcode").returncode == 0

    # a real difference: the config now sets another variable; only that shows, and deploy applies it
    edit(project / "apictl.yaml", "variables: {env: dev}", "variables: {env: dev, tier: gold}")
    changed = _plan(project, fresh, "--state", str(state), "--detailed-exitcode")
    assert changed.returncode == 2
    assert "Plan: 0 to create, 1 to update, 0 to replace, 0 to delete (11 unchanged)." in changed.stdout
    assert '      ~ Variables: {"env": "dev"} -> {"env": "dev", "tier": "gold"}' in changed.stdout
    deploy(project, fresh, "dev", "--state", str(state))
    assert len(account(fresh)["apis"]) == 1  # managed, not made again


def test_import_records_what_differs_and_what_is_missing(tmp_path, fresh):
    project = make_project(tmp_path)
    api = client(fresh)
    body = yaml.safe_load((project / "specs" / "ecommerce.yaml").read_text())
    del body["paths"]["/orders"]  # the hand-made API lacks two operations
    rest_id = api.import_rest_api(body=json.dumps(body).encode(), failOnWarnings=False)["id"]
    deployment = api.create_deployment(restApiId=rest_id)["id"]
    api.create_stage(restApiId=rest_id, stageName="dev", deploymentId=deployment, variables={"env": "test"})
    state = project / "imported.json"
    imported = run_apictl("import", "--stage", "dev", "--rest-api-id", rest_id, "--state", str(state),
                          "--endpoint-url", fresh, cwd=project, env=CREDENTIALS)
    assert imported.returncode == 0, imported.stderr
    assert "  recorded Stage (AWS::ApiGateway::Stage) dev (differs from the config: Variables, MethodSettings)" \
        in imported.stdout
    assert "the API's methods differ from the spec (2: + GET /orders, + POST /orders)" in imported.stdout
    assert ("not in the account (the next deploy creates them): UsagePlanDevelopers, ApiKeyDevTeam, "
            "UsagePlanKeyDevelopersDevTeam") in imported.stdout
    planned = _plan(project, fresh, "--state", str(state)).stdout
    assert "          + GET /orders\n          + POST /orders\n" in planned
    assert '~ Variables: {"env": "test"} -> {"env": "dev"}' in planned
    deploy(project, fresh, "dev", "--state", str(state))
    assert _plan(project, fresh, "--state", str(state), "--refresh", "--detailed-exitcode").returncode == 0
    assert_exactly_the_plan(fresh, state, DEV["keys"], DEV["plans"])
    assert account(fresh)["apis"] == [("E-commerce API", rest_id)] or len(account(fresh)["apis"]) == 1


def test_import_refuses_what_it_cannot_import(tmp_path, fresh):
    project = make_project(tmp_path)
    unknown = run_apictl("import", "--stage", "dev", "--rest-api-id", "nope123456", "--endpoint-url", fresh,
                         cwd=project, env=CREDENTIALS)
    assert unknown.returncode == 2 and "error: no REST API with id 'nope123456' in eu-west-1" in unknown.stderr
    assert not (project / ".apictl" / "dev.json").exists() or json.loads(
        (project / ".apictl" / "dev.json").read_text())["resources"] == {}
    wrong_kind = run_apictl("import", "--stage", "dev", "--api-id", "abc", cwd=project, env=CREDENTIALS)
    assert wrong_kind.returncode == 2 and "--api-id names an HTTP API, but stage 'dev' deploys a REST API" \
        in wrong_kind.stderr
    neither = run_apictl("import", "--stage", "dev", cwd=project, env=CREDENTIALS)
    assert neither.returncode == 2 and "give the API to import: --rest-api-id ID (REST API) or --api-id ID" \
        in neither.stderr
    deploy(project, fresh, "dev")
    again = run_apictl("import", "--stage", "dev", "--rest-api-id", state_ids(project / ".apictl" / "dev.json")[
        "RestApi"], "--endpoint-url", fresh, cwd=project, env=CREDENTIALS)
    assert again.returncode == 2
    assert "error: the state already records ApiKeyDevTeam, Deployment, RestApi" in again.stderr


def test_import_of_a_hand_made_http_api(tmp_path, fresh):
    project = make_http_project(tmp_path)
    v2 = client(fresh, "apigatewayv2")
    api_id = v2.create_api(Name="Notes HTTP API", ProtocolType="HTTP")["ApiId"]
    v2.reimport_api(ApiId=api_id, Body=json.dumps(yaml.safe_load((project / "notes.yaml").read_text())))
    v2.create_stage(ApiId=api_id, StageName="live", AutoDeploy=True, StageVariables={"env": "live"},
                    DefaultRouteSettings={"ThrottlingBurstLimit": 100, "ThrottlingRateLimit": 50,
                                          "DetailedMetricsEnabled": True},
                    AccessLogSettings={"DestinationArn": "arn:aws:logs:eu-west-1:123456789012:log-group:notes",
                                       "Format": "$context.requestId"})
    state = project / "live.json"
    imported = run_apictl("import", "--stage", "live", "--api-id", api_id, "--state", str(state), "--endpoint-url",
                          fresh, cwd=project, env=CREDENTIALS)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "not in the account (the next deploy creates them): DomainName, ApiMapping" in imported.stdout
    planned = run_apictl("plan", "--stage", "live", "--state", str(state), cwd=project, env=CREDENTIALS)
    assert "Plan: 2 to create, 0 to update, 0 to replace, 0 to delete (3 unchanged)." in planned.stdout, planned.stdout


# -- the default state --------------------------------------------------------------------------
def test_deploy_keeps_its_state_beside_the_config_and_plan_reads_it(tmp_path, fresh):
    project = make_project(tmp_path)
    out = deploy(project, fresh, "dev").stdout
    assert out.startswith("State: .apictl/dev.json (locked; 0 resources recorded)\n")
    data = json.loads((project / ".apictl" / "dev.json").read_text())
    assert data["serial"] > 12  # written before the first call and after every step
    plan = run_apictl("plan", "--stage", "dev", "--detailed-exitcode", cwd=project)
    assert plan.returncode == 0 and "State: .apictl/dev.json (12 resources recorded)" in plan.stdout
    assert not (project / ".apictl" / "dev.json.lock").exists()


def test_a_cancelled_deploy_says_what_it_did_and_a_rerun_finishes(tmp_path, fresh):
    """CI cancelling a job sends SIGTERM: the report, the lock released, exit 130."""
    project = make_project(tmp_path)
    proxy = FaultProxy(fresh)
    state = project / "dev.json"
    proc: subprocess.Popen | None = None

    def cancel() -> None:
        assert proc is not None
        os.kill(proc.pid, 15)

    proxy.arm(index=6, fault="kill-after", on_kill=cancel)  # POST .../stages: the stage exists, unanswered
    try:
        proc = _popen(project, proxy.url, "--state", str(state))
        out, err = proc.communicate(timeout=120)
    finally:
        proxy.close()
    assert proc.returncode == 130, out + err
    assert "apictl: error: deploy failed at Stage (create): interrupted" in err
    assert "apictl: done (8): + RestApi, " in err and "apictl: not done (4): + Stage, + UsagePlanDevelopers" in err
    assert err.endswith(f"the state in {state} records every resource that exists; run the same `apictl deploy` "
                        "again to finish\n")
    assert not (project / "dev.json.lock").exists()
    rerun = deploy(project, fresh, "dev", "--state", str(state))
    assert "  + Stage (AWS::ApiGateway::Stage): adopted" in rerun.stdout
    assert_exactly_the_plan(fresh, state, DEV["keys"], DEV["plans"])


def test_without_refresh_a_vanished_api_gets_a_hint(tmp_path, fresh):
    project = make_project(tmp_path)
    deploy(project, fresh, "dev")
    client(fresh).delete_rest_api(restApiId=state_ids(project / ".apictl" / "dev.json")["RestApi"])
    edit(project / "apictl.yaml", "variables: {env: dev}", "variables: {env: dev, tier: gold}")
    failed = deploy(project, fresh, "dev", "--no-refresh", check=False)
    assert failed.returncode == 1
    assert "apictl: error: deploy failed at Stage (update): NotFoundException" in failed.stderr
    assert ("apictl: hint: Stage is no longer in the account; deploy with refresh (the default, not --no-refresh) "
            "reads the account first and creates what is missing") in failed.stderr
    assert deploy(project, fresh, "dev").returncode == 0
    assert_exactly_the_plan(fresh, project / ".apictl" / "dev.json", DEV["keys"], DEV["plans"])


def test_everything_deploy_creates_carries_its_identity(tmp_path, fresh):
    project = make_project(tmp_path)
    deploy(project, fresh, "prod")
    ids = state_ids(project / ".apictl" / "prod.json")
    api = client(fresh)
    fingerprint = json.loads((project / ".apictl" / "prod.json").read_text())["api"]["fingerprint"]

    def identity(address: str) -> dict:
        return {"apictl:api": fingerprint, "apictl:stage": "prod", "apictl:address": address}

    tagged = {
        "RestApi": api.get_rest_api(restApiId=ids["RestApi"])["tags"],
        "Stage": api.get_stage(restApiId=ids["RestApi"], stageName="prod")["tags"],
        "UsagePlanPartners": api.get_usage_plan(usagePlanId=ids["UsagePlanPartners"])["tags"],
        "ApiKeyPartnerAcme": api.get_api_key(apiKey=ids["ApiKeyPartnerAcme"])["tags"],
        "ApiKeyPartnerGlobex": api.get_api_key(apiKey=ids["ApiKeyPartnerGlobex"])["tags"],
        "DomainName": api.get_domain_name(domainName=ids["DomainName"])["tags"],
    }
    for address, tags in tagged.items():
        assert {k: v for k, v in tags.items() if k.startswith("apictl:")} == identity(address), address
    deployment = api.get_deployment(restApiId=ids["RestApi"], deploymentId=ids["Deployment"])
    assert re.match(r"^E-commerce API definition sha256:[0-9a-f]{12}$", deployment["description"])

    http = make_http_project(tmp_path / "http")
    deploy(http, fresh, "live")
    v2 = client(fresh, "apigatewayv2")
    http_ids = state_ids(http / ".apictl" / "live.json")
    http_fp = json.loads((http / ".apictl" / "live.json").read_text())["api"]["fingerprint"]
    assert v2.get_api(ApiId=http_ids["HttpApi"])["Tags"] == {"apictl:api": http_fp, "apictl:stage": "live",
                                                             "apictl:address": "HttpApi"}
    assert v2.get_stage(ApiId=http_ids["HttpApi"], StageName="live")["Tags"]["apictl:address"] == "Stage"
    assert v2.get_domain_name(DomainName=http_ids["DomainName"])["Tags"]["apictl:address"] == "DomainName"
