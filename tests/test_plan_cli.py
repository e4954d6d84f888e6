"""`apictl plan` as a user runs it: actions in dependency order, state files, redeploys, exit codes."""
from __future__ import annotations

import json

from conftest import run_apictl
from plan_project import change_the_api, edit, make_http_project, make_project


def plan_json(project, *args):
    result = run_apictl("plan", "--format", "json", *args, cwd=project)
    assert result.returncode in (0, 2), result.stderr
    return json.loads(result.stdout)


def test_first_plan_creates_everything_in_dependency_order(tmp_path):
    project = make_project(tmp_path)
    report = plan_json(project, "--stage", "prod")
    order = [i["extra"]["address"] for i in report["items"]]
    assert all(i["extra"]["action"] == "create" for i in report["items"])
    assert order.index("RestApi") < order.index("Deployment") < order.index("Stage") < order.index("UsagePlanPartners")
    assert order.index("ApiKeyPartnerAcme") < order.index("UsagePlanKeyPartnersPartnerAcme")
    assert order.index("DomainName") < order.index("BasePathMapping") and order.index("Stage") < order.index("BasePathMapping")
    plan = report["plan"]
    assert plan["summary"] == {"create": len(order), "update": 0, "replace": 0, "delete": 0}
    assert plan["redeploy"]["needed"] is True
    types = {i["extra"]["type"] for i in report["items"]}
    assert {"AWS::ApiGateway::Authorizer", "AWS::ApiGateway::RequestValidator", "AWS::ApiGateway::GatewayResponse",
            "AWS::ApiGateway::UsagePlanKey", "AWS::ApiGateway::DomainName"} <= types
    # body-created resources are flagged and placed at the spec line they come from
    cognito = next(i for i in report["items"] if i["extra"]["address"] == "AuthorizerCognitoAuth")
    assert cognito["extra"]["in_body"] is True
    assert cognito["file"].endswith("ecommerce.yaml") and cognito["pointer"] == "/components/securitySchemes/CognitoAuth"
    stage = next(i for i in report["items"] if i["extra"]["address"] == "Stage")
    assert stage["file"].endswith("apictl.yaml") and stage["line"] > 1


def test_text_plan_reads_like_terraform(tmp_path):
    project = make_project(tmp_path)
    result = run_apictl("plan", "--stage", "prod", cwd=project)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "  # Stage (AWS::ApiGateway::Stage) will be created" in out
    assert '      + CacheClusterSize = "0.5"' in out
    assert '{"ResourcePath": "/~1products", "HttpMethod": "GET", "CachingEnabled": true, "CacheTtlInSeconds": 300}' in out
    assert "Redeploy: a first deployment" in out
    assert out.rstrip().endswith("to delete (0 unchanged).")
    again = run_apictl("plan", "--stage", "prod", cwd=project)
    assert again.stdout == out  # deterministic


def test_state_round_trip_and_changes(tmp_path):
    project = make_project(tmp_path)
    state = project / "dev.state.json"
    first = run_apictl("plan", "--stage", "dev", "--state", str(state), "--write-state", cwd=project)
    assert first.returncode == 0, first.stderr
    recorded = json.loads(state.read_text())
    assert recorded["stage"] == "dev" and recorded["api"]["title"] == "E-commerce API"
    assert recorded["resources"]["RestApi"]["hashes"]["Body"]  # the body is kept as a hash only
    assert "Body" not in recorded["resources"]["RestApi"].get("values", {})

    same = run_apictl("plan", "--stage", "dev", "--state", str(state), "--detailed-exitcode", cwd=project)
    assert same.returncode == 0, same.stdout + same.stderr
    assert "No changes." in same.stdout

    change_the_api(project)
    changed = run_apictl("plan", "--stage", "dev", "--state", str(state), "--detailed-exitcode", cwd=project)
    assert changed.returncode == 2, changed.stderr
    out = changed.stdout
    assert "~ RestApi" in out and "          ~ GET /products" in out
    assert "+/- Deployment" in out and "# forces replacement" in out
    assert '~ Variables: {"env": "dev"} -> {"env": "dev", "release": "r2"}' in out
    assert '~ Throttle: {"BurstLimit": 20, "RateLimit": 10} -> {"BurstLimit": 30, "RateLimit": 10}' in out
    assert "+ ApiKeyQaTeam" in out and "+ UsagePlanKeyDevelopersQaTeam" in out
    assert "Redeploy: the definition changed" in out

    report = plan_json(project, "--stage", "dev", "--state", str(state))
    actions = {i["extra"]["address"]: i["extra"] for i in report["items"]}
    assert actions["Deployment"]["action"] == "replace" and actions["Deployment"]["create_before_destroy"]
    stage_changes = {c["attribute"] for c in actions["Stage"]["changes"]}
    assert stage_changes == {"DeploymentId", "Variables"}
    assert report["plan"]["body_changes"] == [{"change": "changed", "item": "GET /products"}]
    assert report["plan"]["summary"] == {"create": 2, "update": 3, "replace": 1, "delete": 0}


def test_deletions_come_after_and_dependents_first(tmp_path):
    project = make_project(tmp_path)
    state = project / "prod.json"
    assert run_apictl("plan", "--stage", "prod", "--state", str(state), "--write-state", cwd=project).returncode == 0
    edit(project / "apictl.yaml", "apiKeys: [partner-acme, partner-globex]", "apiKeys: [partner-acme]")
    edit(project / "apictl.yaml", "basePath: v1", "basePath: v2")
    report = plan_json(project, "--stage", "prod", "--state", str(state))
    actions = [(i["extra"]["action"], i["extra"]["address"]) for i in report["items"]]
    assert actions == [("replace", "BasePathMapping"), ("delete", "UsagePlanKeyPartnersPartnerGlobex"),
                       ("delete", "ApiKeyPartnerGlobex")]
    mapping = report["items"][0]["extra"]["changes"]
    assert mapping == [{"attribute": "BasePath", "before": "v1", "after": "v2", "forces_replacement": True}]
    assert report["plan"]["redeploy"]["needed"] is False


def test_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path):
    project = make_project(tmp_path)
    result = run_apictl("plan", "--stage", "staging", cwd=project)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "unknown stage 'staging' (stages: dev, prod)" in result.stderr and "Traceback" not in result.stderr

    # terraform's convention with --detailed-exitcode: errors are 1, so 2 always means "changes"
    detailed = run_apictl("plan", "--stage", "staging", "--detailed-exitcode", cwd=project)
    assert detailed.returncode == 1 and "unknown stage" in detailed.stderr

    missing = run_apictl("plan", "--stage", "dev", "--state", "nope.json", cwd=project)
    assert missing.returncode == 2 and "nope.json: error: state file not found" in missing.stderr
    assert not (project / "nope.json").exists()

    no_stage = run_apictl("plan", cwd=project)
    assert no_stage.returncode == 2 and "--stage NAME is required" in no_stage.stderr


def test_state_of_another_api_or_stage_is_refused(tmp_path):
    project = make_project(tmp_path)
    state = project / "state.json"
    assert run_apictl("plan", "--stage", "dev", "--state", str(state), "--write-state", cwd=project).returncode == 0
    before = state.read_text()
    other_stage = run_apictl("plan", "--stage", "prod", "--state", str(state), "--write-state", cwd=project)
    assert other_stage.returncode == 2
    assert "state file is for stage 'dev', not 'prod'" in other_stage.stderr
    edit(project / "specs" / "ecommerce.yaml", "title: E-commerce API", "title: Inventory API")
    other_api = run_apictl("plan", "--stage", "dev", "--state", str(state), "--write-state", cwd=project)
    assert other_api.returncode == 2
    assert "state file belongs to API 'E-commerce API' (REST), not 'Inventory API' (REST)" in other_api.stderr
    assert state.read_text() == before  # nothing written
    state.write_text("{not json", encoding="utf-8")
    broken = run_apictl("plan", "--stage", "dev", "--state", str(state), cwd=project)
    assert broken.returncode == 2 and "state.json:1:2: error: state file is not valid JSON" in broken.stderr


def test_stage_settings_of_the_other_api_type_are_refused(tmp_path):
    project = make_http_project(tmp_path)
    config = project / "apictl.yaml"
    config.write_text(config.read_text() + "    tracingEnabled: true\n", encoding="utf-8")
    result = run_apictl("plan", "--stage", "live", cwd=project)
    assert result.returncode == 2
    assert "apictl.yaml:" in result.stderr and "tracingEnabled applies to REST APIs only" in result.stderr


def test_http_api_plan(tmp_path):
    project = make_http_project(tmp_path)
    report = plan_json(project, "--stage", "live")
    by_address = {i["extra"]["address"]: i["extra"] for i in report["items"]}
    assert [i["extra"]["type"] for i in report["items"]] == [
        "AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Authorizer", "AWS::ApiGatewayV2::Stage",
        "AWS::ApiGatewayV2::DomainName", "AWS::ApiGatewayV2::ApiMapping"]
    stage = {c["attribute"]: c["after"] for c in by_address["Stage"]["changes"]}
    assert stage["AutoDeploy"] is True and stage["StageVariables"] == {"env": "live"}
    assert stage["DefaultRouteSettings"] == {"ThrottlingBurstLimit": 100, "ThrottlingRateLimit": 50,
                                             "DetailedMetricsEnabled": True}
    authorizer = {c["attribute"]: c["after"] for c in by_address["AuthorizerJwt"]["changes"]}
    assert authorizer["AuthorizerType"] == "JWT" and authorizer["IdentitySource"] == ["$request.header.Authorization"]
    assert report["plan"]["redeploy"]["needed"] is False  # AutoDeploy
