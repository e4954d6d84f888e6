"""`apictl export`: CloudFormation and SAM templates that cfn-lint accepts, Terraform JSON with the
redeploy-trigger pattern, all from the resource graph `apictl plan` shows."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_apictl
from plan_project import edit, make_http_project, make_project

# Required arguments and allowed blocks of the hashicorp/aws resources we write, from
# linters-and-deployment.md B5 (the provider's documented schemas).
TERRAFORM_REQUIRED = {
    "aws_api_gateway_rest_api": {"name"},
    "aws_api_gateway_deployment": {"rest_api_id"},
    "aws_api_gateway_stage": {"rest_api_id", "deployment_id", "stage_name"},
    "aws_api_gateway_method_settings": {"rest_api_id", "stage_name", "method_path", "settings"},
    "aws_api_gateway_usage_plan": {"name"},
    "aws_api_gateway_api_key": {"name"},
    "aws_api_gateway_usage_plan_key": {"key_id", "key_type", "usage_plan_id"},
    "aws_api_gateway_domain_name": {"domain_name"},
    "aws_api_gateway_base_path_mapping": {"api_id", "domain_name"},
}
TERRAFORM_SETTINGS = {"metrics_enabled", "logging_level", "data_trace_enabled", "throttling_burst_limit",
                      "throttling_rate_limit", "caching_enabled", "cache_ttl_in_seconds", "cache_data_encrypted",
                      "require_authorization_for_cache_control", "unauthorized_cache_control_header_strategy"}


def export(project: Path, fmt: str, stage: str) -> Path:
    out = project / f"{stage}.{fmt}.{'tf.json' if fmt == 'terraform' else 'json'}"
    result = run_apictl("export", "--format", fmt, "--stage", stage, "--out", str(out), cwd=project)
    assert result.returncode == 0, result.stderr
    return out


def cfn_lint(*templates: Path) -> subprocess.CompletedProcess:
    """cfn-lint's own entry point, in the Python running the tests (where `pip install cfn-lint` put it)."""
    code = "import sys; from cfnlint.runner import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, *map(str, templates)], capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("export"))
    files = {(fmt, stage): export(project, fmt, stage)
             for fmt in ("cloudformation", "sam", "terraform") for stage in ("dev", "prod")}
    http = make_http_project(tmp_path_factory.mktemp("http"))
    for fmt in ("cloudformation", "sam", "terraform"):
        files[(fmt, "http")] = export(http, fmt, "live")
    return project, files


def test_cloudformation_and_sam_pass_cfn_lint(exported):
    pytest.importorskip("cfnlint", reason="cfn-lint is not installed (pip install cfn-lint)")
    _, files = exported
    templates = [path for (fmt, _), path in files.items() if fmt != "terraform"]
    result = cfn_lint(*templates)
    assert result.returncode == 0, result.stdout + result.stderr  # no errors, no warnings
    # cfn-lint really checks these files: a broken copy fails
    broken = templates[0].with_name("broken.json")
    data = json.loads(templates[0].read_text())
    data["Resources"]["Stage"]["Properties"]["MethodSettings"][0]["ResourcePath"] = "products"
    broken.write_text(json.dumps(data))
    assert cfn_lint(broken).returncode & 2


def test_cloudformation_template_shape(exported):
    _, files = exported
    t = json.loads(files[("cloudformation", "prod")].read_text())
    resources = t["Resources"]
    deployment_id = next(k for k, v in resources.items() if v["Type"] == "AWS::ApiGateway::Deployment")
    assert deployment_id.startswith("Deployment") and len(deployment_id) == len("Deployment") + 10
    stage = resources["Stage"]["Properties"]
    assert stage["DeploymentId"] == {"Ref": deployment_id}
    assert {"ResourcePath": "/~1products", "HttpMethod": "GET", "CachingEnabled": True, "CacheTtlInSeconds": 300} \
        in stage["MethodSettings"]
    assert resources["RestApi"]["Properties"]["Body"]["info"]["title"] == "E-commerce API"
    # authorizers, validators and gateway responses come with the body, never twice (cfn-lint W3660)
    assert not {"AWS::ApiGateway::Authorizer", "AWS::ApiGateway::RequestValidator",
                "AWS::ApiGateway::GatewayResponse"} & {v["Type"] for v in resources.values()}
    assert resources["UsagePlanKeyPartnersPartnerAcme"]["Properties"]["KeyId"] == {"Ref": "ApiKeyPartnerAcme"}


def test_a_changed_definition_gets_a_new_deployment(exported, tmp_path):
    project = make_project(tmp_path)
    before = json.loads(export(project, "cloudformation", "dev").read_text())["Resources"]
    edit(project / "specs" / "ecommerce.yaml", "timeoutInMillis: 10000", "timeoutInMillis: 9000")
    (project / "dev.cloudformation.json").unlink()
    after = json.loads(export(project, "cloudformation", "dev").read_text())["Resources"]
    old = {k for k in before if k.startswith("Deployment")}
    new = {k for k in after if k.startswith("Deployment")}
    assert old and new and old != new
    assert after["Stage"]["Properties"]["DeploymentId"] == {"Ref": new.pop()}


def test_sam_folds_api_deployment_and_stage(exported):
    _, files = exported
    t = json.loads(files[("sam", "prod")].read_text())
    assert t["Transform"] == "AWS::Serverless-2016-10-31"
    api = t["Resources"]["RestApi"]
    assert api["Type"] == "AWS::Serverless::Api"
    assert api["Properties"]["StageName"] == "prod" and api["Properties"]["TracingEnabled"] is True
    assert "Stage" not in t["Resources"] and not any(k.startswith("Deployment") for k in t["Resources"])
    assert t["Resources"]["BasePathMapping"]["Properties"]["Stage"] == {"Ref": "RestApi.Stage"}
    http = json.loads(files[("sam", "http")].read_text())
    assert http["Resources"]["HttpApi"]["Type"] == "AWS::Serverless::HttpApi"


def test_terraform_follows_the_documented_schemas(exported):
    _, files = exported
    doc = json.loads(files[("terraform", "prod")].read_text())
    assert doc["terraform"]["required_providers"]["aws"]["source"] == "hashicorp/aws"
    resources = doc["resource"]
    for tf_type, blocks in resources.items():
        assert tf_type in TERRAFORM_REQUIRED, tf_type
        for name, block in blocks.items():
            assert TERRAFORM_REQUIRED[tf_type] <= set(block), (tf_type, name)
    deployment = resources["aws_api_gateway_deployment"]["deployment"]
    assert deployment["triggers"] == {"redeployment": "${sha1(aws_api_gateway_rest_api.rest_api.body)}"}
    assert deployment["lifecycle"] == {"create_before_destroy": True}
    assert resources["aws_api_gateway_stage"]["stage"]["deployment_id"] == "${aws_api_gateway_deployment.deployment.id}"
    settings = resources["aws_api_gateway_method_settings"]
    assert {s["method_path"] for s in settings.values()} == {"*/*", "products/GET"}
    assert all(set(s["settings"]) <= TERRAFORM_SETTINGS for s in settings.values())
    body = resources["aws_api_gateway_rest_api"]["rest_api"]["body"]
    # ${stageVariables.env} must stay literal: Terraform would otherwise evaluate it
    assert "$${stageVariables.env}" in body and "-${stageVariables" not in body
    assert json.loads(body.replace("$${", "${"))["info"]["title"] == "E-commerce API"


@pytest.mark.e2e
def test_terraform_validate(exported, tmp_path):
    """`terraform validate` with the aws provider from a local plugin folder (no network)."""
    terraform = shutil.which("terraform")
    plugins = Path("/opt/tf-plugins")
    if terraform is None or not (plugins / "registry.terraform.io" / "hashicorp" / "aws").is_dir():
        pytest.skip("terraform and an offline aws provider (/opt/tf-plugins) are needed; "
                    "the JSON structure is still checked by test_terraform_follows_the_documented_schemas")
    _, files = exported
    for key in (("terraform", "prod"), ("terraform", "http")):
        folder = tmp_path / key[1]
        folder.mkdir()
        shutil.copy(files[key], folder / "main.tf.json")
        init = subprocess.run([terraform, "init", "-backend=false", "-input=false", "-no-color",
                               f"-plugin-dir={plugins}"], cwd=folder, capture_output=True, text=True, timeout=300)
        assert init.returncode == 0, init.stdout + init.stderr
        check = subprocess.run([terraform, "validate", "-no-color"], cwd=folder, capture_output=True, text=True,
                               timeout=300)
        assert check.returncode == 0 and "The configuration is valid" in check.stdout, check.stdout + check.stderr


def test_export_refuses_to_overwrite_and_bad_input(tmp_path):
    project = make_project(tmp_path)
    out = project / "template.json"
    out.write_text("mine", encoding="utf-8")
    result = run_apictl("export", "--format", "sam", "--stage", "dev", "--out", str(out), cwd=project)
    assert result.returncode == 2 and "output file exists; pass --force" in result.stderr
    assert out.read_text() == "mine"
    forced = run_apictl("export", "--format", "sam", "--stage", "dev", "--out", str(out), "--force", cwd=project)
    assert forced.returncode == 0 and json.loads(out.read_text())["Transform"]
    bad = run_apictl("export", "--format", "pulumi", "--stage", "dev", cwd=project)
    assert bad.returncode == 2 and "--format must be one of cloudformation, sam, terraform" in bad.stderr
    unknown = run_apictl("export", "--format", "sam", "--stage", "qa", "--out", str(project / "qa.json"), cwd=project)
    assert unknown.returncode == 2 and "unknown stage 'qa'" in unknown.stderr
    assert not (project / "qa.json").exists()


def test_settings_cloudformation_cannot_express_are_refused(tmp_path):
    project = make_project(tmp_path)
    edit(project / "apictl.yaml", '"/products/GET": {cachingEnabled: true, cacheTtlInSeconds: 300}',
         '"/products/GET": {cachingEnabled: true, requireAuthorizationForCacheControl: true}')
    result = run_apictl("export", "--format", "cloudformation", "--stage", "prod", cwd=project)
    assert result.returncode == 2
    assert "requireAuthorizationForCacheControl has no CloudFormation property" in result.stderr
    tf = run_apictl("export", "--format", "terraform", "--stage", "prod", cwd=project)
    assert tf.returncode == 0 and '"require_authorization_for_cache_control": true' in tf.stdout


def test_several_formats_from_one_run(tmp_path):
    project = make_project(tmp_path)
    build = project / "build"
    result = run_apictl("export", "-f", "cloudformation", "-f", "sam", "-f", "terraform", "--stage", "dev",
                        "--out-dir", str(build), cwd=project)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in build.iterdir()) == ["dev.cloudformation.json", "dev.sam.json", "dev.tf.json"]
    single = run_apictl("export", "--format", "sam", "--stage", "dev", cwd=project)
    assert single.stdout == (build / "dev.sam.json").read_text()  # same pipeline, byte-identical
    again = run_apictl("export", "-f", "sam", "-f", "terraform", "--stage", "dev", "--out-dir", str(build), cwd=project)
    assert again.returncode == 2 and "output file exists" in again.stderr
    no_dir = run_apictl("export", "-f", "sam", "-f", "terraform", "--stage", "dev", cwd=project)
    assert no_dir.returncode == 2 and "need --out-dir" in no_dir.stderr
