"""APIs in SAM/CloudFormation templates are linted the way CloudFormation hands them to API Gateway: every
branch of an Fn::If (named in the finding), DefinitionUri and AWS::Include files (positions in those files),
path items and operations under Fn::If, and the stage variables of the stages the template declares."""
from __future__ import annotations

import json

from conftest import run_apictl

LAMBDA = ("arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
          "arn:aws:lambda:eu-west-1:123456789012:function:f/invocations")

BRANCHES = f"""
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody: !If
        - IsProd
        - openapi: 3.0.1
          info: {{title: t, version: '1'}}
          paths:
            /a:
              get:
                operationId: a
                responses: {{'200': {{description: ok}}}}
                x-amazon-apigateway-integration: {{type: aws_proxy, httpMethod: GET, uri: '{LAMBDA}'}}
        - openapi: 3.0.1
          info: {{title: t, version: '1'}}
          paths:
            /a:
              get:
                operationId: a
                responses: {{'200': {{description: ok}}}}
                x-amazon-apigateway-integration: {{type: mock, timeoutInMillis: 10}}
"""


def items(result) -> list[dict]:
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout)["items"]


def at(path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_every_branch_of_an_fn_if_body_is_linted_and_named(write):
    template = write("template.yaml", BRANCHES)
    found = items(run_apictl("validate", str(template), "-f", "json"))
    assert sorted((i["id"], i["line"], i["message"].endswith(f"(Fn::If IsProd: {b} branch)"))
                  for i, b in zip(found, ("true", "false"))) == [
        ("apigw-integration-timeout-range", at(template, "timeoutInMillis: 10"), True),
        ("apigw-lambda-http-method", at(template, "httpMethod: GET"), True),
    ]
    text = run_apictl("validate", str(template)).stdout
    assert "template.yaml (Api, Fn::If IsProd: true branch): REST API" in text
    assert "template.yaml (Api, Fn::If IsProd: false branch): REST API" in text


def test_definition_uri_and_aws_include_files_are_linted_with_their_own_positions(write, tmp_path):
    bad = f"""
        openapi: 3.0.1
        info: {{title: t, version: '1'}}
        paths:
          /b:
            get:
              operationId: b
              responses: {{'200': {{description: ok}}}}
              x-amazon-apigateway-integration: {{type: aws_proxy, httpMethod: GET, uri: '{LAMBDA}'}}
    """
    write("api/openapi.yaml", bad)
    write("include.yaml", bad.replace("/b:", "/c:").replace("operationId: b", "operationId: c"))
    write("template.yaml", """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Api:
            Type: AWS::Serverless::HttpApi
            Properties: {DefinitionUri: api/openapi.yaml}
          Remote:
            Type: AWS::Serverless::Api
            Properties: {StageName: prod, DefinitionUri: s3://bucket/openapi.yaml}
          Rest:
            Type: AWS::ApiGateway::RestApi
            Properties:
              Body:
                Fn::Transform: {Name: AWS::Include, Parameters: {Location: ./include.yaml}}
    """)
    result = run_apictl("validate", "template.yaml", "-f", "json", cwd=tmp_path)
    found = sorted((i["file"], i["id"], i["line"]) for i in items(result) if i["id"] == "apigw-lambda-http-method")
    assert found == [("api/openapi.yaml", "apigw-lambda-http-method", 8),
                     ("include.yaml", "apigw-lambda-http-method", 8)]
    text = run_apictl("validate", "template.yaml", cwd=tmp_path).stdout
    assert "api/openapi.yaml (Api in template.yaml): HTTP API (declared as AWS::Serverless::HttpApi" in text


def test_a_missing_definition_file_is_one_positioned_error_and_the_rest_is_still_linted(write, tmp_path):
    write("template.yaml", f"""
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Missing:
            Type: AWS::Serverless::Api
            Properties: {{StageName: prod, DefinitionUri: ./nope.yaml}}
          Outside:
            Type: AWS::Serverless::Api
            Properties: {{StageName: prod, DefinitionUri: ../elsewhere.yaml}}
          Api:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              DefinitionBody:
                openapi: 3.0.1
                info: {{title: t, version: '1'}}
                paths:
                  /a:
                    get:
                      operationId: a
                      responses: {{'200': {{description: ok}}}}
                      x-amazon-apigateway-integration: {{type: aws_proxy, httpMethod: GET, uri: '{LAMBDA}'}}
    """)
    result = run_apictl("validate", "template.yaml", "-f", "json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "template.yaml:5:35: error: './nope.yaml' (Missing): file not found",
        f"template.yaml:8:35: error: '../elsewhere.yaml' (Outside) leaves the template's root folder {tmp_path}; "
        "refused (pass --root to widen it)",
    ]
    assert [i["id"] for i in items(result)] == ["apigw-lambda-http-method"]


def test_path_items_and_operations_under_fn_if_are_linted_as_cloudformation_resolves_them(write):
    template = write("template.yaml", f"""
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
        Resources:
          Api:
            Type: AWS::ApiGateway::RestApi
            Properties:
              Body:
                openapi: 3.0.1
                info: {{title: t, version: '1'}}
                paths:
                  /a: !If
                    - IsProd
                    - get:
                        operationId: a
                        responses: {{'200': {{description: ok}}}}
                        x-amazon-apigateway-integration: {{type: aws_proxy, httpMethod: GET, uri: '{LAMBDA}'}}
                    - !Ref AWS::NoValue
                  /b:
                    get: !If
                      - IsProd
                      - operationId: b
                        responses: {{'200': {{description: ok}}}}
                        x-amazon-apigateway-integration: {{type: mock}}
                      - operationId: b
                        responses: {{'200': {{description: ok}}}}
                        x-amazon-apigateway-integrationn: {{type: mock}}
    """)
    found = items(run_apictl("validate", str(template), "-f", "json"))
    assert sorted((i["id"], i["line"], i["message"]) for i in found) == [
        ("apigw-extension-unknown", at(template, "integrationn"),
         "'x-amazon-apigateway-integrationn' is not an API Gateway extension (Fn::If IsProd: false branch)"),
        ("apigw-integration-missing", at(template, "integrationn") - 2,
         "GET /b (Fn::If IsProd: false branch) has no x-amazon-apigateway-integration: the import succeeds, "
         "but deploying the API fails with 'No integration defined for method'"),
        ("apigw-lambda-http-method", at(template, "httpMethod: GET"),
         "GET /a (Fn::If IsProd: true branch): Lambda integrations are called with POST, not GET"),
    ]  # and no operation-id-duplicate: the two operations b never exist together


def test_stage_variables_are_checked_against_the_stages_of_the_template(write):
    template = write("template.yaml", """
        Transform: AWS::Serverless-2016-10-31
        Globals:
          Api:
            Variables: {backend: a.example.com}
        Resources:
          Api:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              DefinitionBody:
                openapi: 3.0.1
                info: {title: t, version: '1'}
                paths:
                  /a:
                    get:
                      operationId: a
                      responses: {'200': {description: ok}}
                      x-amazon-apigateway-integration:
                        type: http_proxy
                        httpMethod: GET
                        uri: https://${stageVariables.backend}/${stageVariables.version}/a
          Beta:
            Type: AWS::ApiGateway::Stage
            Properties: {RestApiId: !Ref Api, StageName: beta, Variables: {backend: b.example.com, version: v2}}
          Other:
            Type: AWS::ApiGateway::Stage
            Properties: {RestApiId: !Ref Elsewhere, StageName: other, Variables: {}}
    """)
    found = items(run_apictl("validate", str(template), "-f", "json"))
    assert [(i["id"], i["line"], i["message"]) for i in found] == [
        ("apigw-stage-variable-undefined", at(template, "uri: https"),
         "stage variable 'version' is not defined in stage 'prod (Api)'")]
