"""`apictl deploy` end to end against moto_server on 127.0.0.1: deploy, read everything back with
the API Gateway API (get-export, get-stage, get-usage-plans...), change the API, deploy again."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_apictl
from moto_helpers import CREDENTIALS, client, moto_server
from moto_helpers import deploy as deploy_with
from plan_project import change_the_api, make_http_project, make_project

pytestmark = pytest.mark.e2e
pytest.importorskip("boto3", reason="boto3 is not installed (pip install 'apictl[deploy]')")
pytest.importorskip("moto.server", reason="moto[server] is not installed")

@pytest.fixture(scope="module")
def endpoint():
    with moto_server() as url:
        yield url


def deploy(project, endpoint, stage, state):
    return deploy_with(project, endpoint, stage, "--state", str(state)).stdout


def test_deploy_read_back_change_and_redeploy(tmp_path, endpoint):
    project = make_project(tmp_path)
    state = project / "dev.deployed.json"
    out = deploy(project, endpoint, "dev", state)
    assert "+ RestApi (AWS::ApiGateway::RestApi): created -> " in out
    assert "Deployed stage 'dev' of 'E-commerce API'" in out
    api = client(endpoint)
    rest_id = next(a["id"] for a in api.get_rest_apis()["items"] if a["name"] == "E-commerce API"
                   and a["id"] in state.read_text())

    exported = api.get_export(restApiId=rest_id, stageName="dev", exportType="oas30")["body"].read().decode()
    for path in ("/products", "/products/{productId}", "/cart/items/{itemId}", "/orders/{orderId}"):
        assert f'"{path}"' in exported
    stage = api.get_stage(restApiId=rest_id, stageName="dev")
    assert stage["variables"] == {"env": "dev"}
    everything = stage["methodSettings"]["*/*"]
    assert (everything["throttlingBurstLimit"], everything["throttlingRateLimit"]) == (100, 50.0)
    assert everything["metricsEnabled"] is True
    first_deployment = stage["deploymentId"]
    plan = next(p for p in api.get_usage_plans()["items"] if p["name"] == "developers")
    assert plan["apiStages"] == [{"apiId": rest_id, "stage": "dev"}]
    assert plan["throttle"] == {"burstLimit": 20, "rateLimit": 10.0}
    assert plan["quota"]["limit"] == 10000 and plan["quota"]["period"] == "DAY"
    keys = {k["id"]: k["name"] for k in api.get_api_keys()["items"]}
    linked = [keys[k["id"]] for k in api.get_usage_plan_keys(usagePlanId=plan["id"])["items"]]
    assert linked == ["dev-team"]

    # the deploy state is a plan state: nothing left to do
    same = run_apictl("plan", "--stage", "dev", "--state", str(state), "--detailed-exitcode", cwd=project)
    assert same.returncode == 0, same.stdout + same.stderr

    change_the_api(project)
    out = deploy(project, endpoint, "dev", state)
    assert "+/- Deployment" in out and "~ Stage" in out and "+ ApiKeyQaTeam" in out
    stage = api.get_stage(restApiId=rest_id, stageName="dev")
    assert stage["deploymentId"] != first_deployment
    assert stage["variables"] == {"env": "dev", "release": "r2"}
    assert [d["id"] for d in api.get_deployments(restApiId=rest_id)["items"]] == [stage["deploymentId"]]
    plan = api.get_usage_plan(usagePlanId=plan["id"])
    assert plan["throttle"]["burstLimit"] == 30
    keys = {k["id"]: k["name"] for k in api.get_api_keys()["items"]}
    assert sorted(keys[k["id"]] for k in api.get_usage_plan_keys(usagePlanId=plan["id"])["items"]) == [
        "dev-team", "qa-team"]
    assert len([a for a in api.get_rest_apis()["items"] if a["id"] == rest_id]) == 1  # updated, not re-created


def test_deploy_prod_stage_settings_and_domain(tmp_path, endpoint):
    project = make_project(tmp_path)
    deploy(project, endpoint, "prod", project / "prod.json")
    api = client(endpoint)
    mapping = api.get_base_path_mappings(domainName="api.shop.example.com")["items"]
    assert [(m["basePath"], m["stage"]) for m in mapping] == [("v1", "prod")]
    rest_id = mapping[0]["restApiId"]
    stage = api.get_stage(restApiId=rest_id, stageName="prod")
    assert stage["tracingEnabled"] is True and stage["cacheClusterEnabled"] is True
    assert stage["cacheClusterSize"] == "0.5"
    assert stage["accessLogSettings"]["destinationArn"].endswith(":log-group:ecommerce-access")
    assert stage["methodSettings"]["~1products/GET"]["cachingEnabled"] is True
    domain = api.get_domain_name(domainName="api.shop.example.com")
    assert domain["securityPolicy"] == "TLS_1_2" and domain["endpointConfiguration"]["types"] == ["REGIONAL"]


def test_deploy_http_api(tmp_path, endpoint):
    project = make_http_project(tmp_path)
    deploy(project, endpoint, "live", project / "live.json")
    v2 = client(endpoint, "apigatewayv2")
    api_id = next(a["ApiId"] for a in v2.get_apis()["Items"] if a["Name"] == "Notes HTTP API")
    assert [r["RouteKey"] for r in v2.get_routes(ApiId=api_id)["Items"]] == ["GET /notes"]
    stage = v2.get_stage(ApiId=api_id, StageName="live")
    assert stage["AutoDeploy"] is True and stage["StageVariables"] == {"env": "live"}
    assert stage["DefaultRouteSettings"]["ThrottlingBurstLimit"] == 100
    mappings = v2.get_api_mappings(DomainName="notes.example.com")["Items"]
    assert [(m["ApiId"], m["Stage"], m["ApiMappingKey"]) for m in mappings] == [(api_id, "live", "v1")]


def test_deploy_refuses_a_plan_state_and_needs_a_region(tmp_path, endpoint):
    project = make_project(tmp_path)
    state = project / "planned.json"
    assert run_apictl("plan", "--stage", "dev", "--state", str(state), "--write-state", cwd=project).returncode == 0
    change_the_api(project)
    result = run_apictl("deploy", "--stage", "dev", "--state", str(state), "--endpoint-url", endpoint, cwd=project,
                        env=CREDENTIALS)
    assert result.returncode == 2 and "the state has no physical ids for" in result.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_CONFIG_FILE": "/dev/null"})
    no_region = subprocess.run([sys.executable, "-m", "apictl", "deploy", "--stage", "dev", "--endpoint-url", endpoint],
                               cwd=project, capture_output=True, text=True, env={**env, "PYTHONPATH": str(Path(__file__).parent.parent)})
    assert no_region.returncode == 2 and "no AWS region" in no_region.stderr
