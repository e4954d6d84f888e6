"""API Gateway linting as a user runs it: templates linted in place, --param, --api-type, stages
from apictl.yaml, intrinsics, the rules catalogue and the real-world corpus."""
from __future__ import annotations

import json

from conftest import CORPUS, ECOMMERCE, need_corpus, run_apictl

TEMPLATE = """
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Scheme: {Type: String}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {Handler: app.handler, Runtime: python3.12, CodeUri: src/}
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        openapi: 3.0.1
        info: {title: t, version: '1'}
        paths:
          /pets:
            get:
              operationId: listPets
              responses: {'200': {description: ok}}
              x-amazon-apigateway-integration:
                type: http_proxy
                httpMethod: GET
                uri: !Sub "${Scheme}://backend.example.com/pets"
                timeoutInMillis: !Ref Timeout
            post:
              operationId: addPet
              responses: {'200': {description: ok}}
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: GET
                uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations"
                requestTemplates:
                  application/json: !Sub '{"stage": "$context.stage", "region": "${AWS::Region}"}'
          /admin:
            get:
              operationId: admin
              responses: {'200': {description: ok}}
              security: [{Auth: []}]
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !GetAtt Fn.Arn
        x-amazon-apigateway-policy: !If [IsProd, {Statement: []}, !Ref AWS::NoValue]
        components:
          securitySchemes:
            Auth:
              type: apiKey
              name: Authorization
              in: header
              x-amazon-apigateway-authorizer:
                type: token
                authorizerUri: !Join ['', ['arn:aws:apigateway:', !Ref AWS::Region, ':lambda:path/...']]
                authorizerResultTtlInSeconds: !Ref Ttl
"""


def _items(result):
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout)["items"]


def test_template_is_linted_in_place_with_template_positions(write):
    template = write("template.yaml", TEMPLATE)
    items = _items(run_apictl("validate", str(template), "-f", "json"))
    lambda_method = [i for i in items if i["id"] == "apigw-lambda-http-method"]
    assert len(lambda_method) == 1
    assert lambda_method[0]["file"].endswith("template.yaml")
    lines = template.read_text().splitlines()
    expected = lines.index("              operationId: addPet") + 5  # its `httpMethod: GET`
    assert lines[expected - 1].strip() == "httpMethod: GET"
    assert lambda_method[0]["line"] == expected
    assert lambda_method[0]["pointer"] == "/paths/~1pets/post/x-amazon-apigateway-integration/httpMethod"
    # intrinsics are opaque, never findings or crashes: !Ref timeout, !GetAtt uri, !If policy, !Join authorizer
    assert not [i for i in items if i["id"] in ("apigw-extension-invalid", "apigw-integration-uri-invalid")]


def test_param_substitutes_sub_variables(write):
    template = write("template.yaml", TEMPLATE)
    items = _items(run_apictl("validate", str(template), "-f", "json", "--param", "Scheme=ftp"))
    uri = [i for i in items if i["id"] == "apigw-integration-uri-invalid"]
    line = next(n for n, text in enumerate(template.read_text().splitlines(), 1) if "${Scheme}://" in text)
    assert [(i["line"], "ftp://backend.example.com/pets" in i["message"]) for i in uri] == [(line, True)]
    fixed = _items(run_apictl("validate", str(template), "-f", "json", "--param", "Scheme=https"))
    assert not [i for i in fixed if i["id"] == "apigw-integration-uri-invalid"]


def test_template_api_type_comes_from_the_resource(write):
    template = write("template.yaml", TEMPLATE.replace("AWS::Serverless::Api", "AWS::Serverless::HttpApi"))
    result = run_apictl("validate", str(template))
    assert "HTTP API (declared as AWS::Serverless::HttpApi in the template)" in result.stdout
    assert "[apigw-field-wrong-api-type]" in result.stdout  # requestTemplates is REST-only


def test_api_type_flag_overrides_the_inference():
    inferred = run_apictl("validate", str(ECOMMERCE))
    assert inferred.returncode == 0 and "REST API (GET /products integration has passthroughBehavior" in inferred.stdout
    forced = _items(run_apictl("validate", str(ECOMMERCE), "--api-type", "http", "-f", "json"))
    ids = {i["id"] for i in forced}
    assert {"apigw-extension-wrong-api-type", "apigw-field-wrong-api-type", "apigw-integration-field-missing"} <= ids


def test_stage_variables_must_exist_in_every_stage(write, tmp_path):
    spec = write("api.yaml", ECOMMERCE.read_text(encoding="utf-8"))
    write("apictl.yaml", """
        stages:
          dev: {spec: api.yaml, variables: {env: dev}}
          prod: {spec: api.yaml, variables: {environment: prod}}
          other: {spec: other.yaml, variables: {}}
    """)
    result = run_apictl("validate", "api.yaml", "-f", "json", cwd=tmp_path)
    items = [i for i in _items(result) if i["id"] == "apigw-stage-variable-undefined"]
    assert items and all(i["message"] == "stage variable 'env' is not defined in stage 'prod'" for i in items)
    lines = spec.read_text().splitlines()
    for item in items:  # the value itself, or the key of a block template that uses it
        line = lines[item["line"] - 1]
        assert "${stageVariables.env}" in line or line.rstrip().endswith("|"), line
    assert result.returncode == 1


def test_rules_lists_and_explains_gateway_rules():
    listing = run_apictl("rules")
    assert "apigw-integration-uri-invalid" in listing.stdout and "\ngateway\n" in listing.stdout
    explain = run_apictl("rules", "apigw-mapping-parameter-undeclared")
    assert explain.returncode == 0
    assert "Why: " in explain.stdout and "gateway-extensions.md section 1.14.2" in explain.stdout
    assert "method.request.header.origin" in explain.stdout


def test_corpus_lints_without_crash_and_every_finding_is_placed():
    corpus = need_corpus() / "gateway"
    files = sorted(str(p) for p in corpus.iterdir() if p.is_file())
    result = run_apictl("validate", *files, "-f", "json", timeout=300)
    assert result.returncode in (0, 1, 2)
    assert "Traceback" not in result.stderr
    for line in result.stderr.strip().splitlines():  # unreadable inputs are one positioned line each
        assert ": error: " in line
    items = json.loads(result.stdout)["items"]
    assert items and all(i["line"] >= 1 and i["column"] >= 1 for i in items)


def test_corpus_rest_api_with_http_only_extensions():
    """Reference section 8 item 8: a REST API (Kinesis, passthroughBehavior) carrying HTTP-only extensions."""
    spec = need_corpus() / "gateway" / "apigw-kinesis-lambda-ddb_api.yaml"
    result = run_apictl("validate", str(spec))
    assert "REST API (" in result.stdout and "outweighs 2 HTTP hint(s)" in result.stdout
    items = _items(run_apictl("validate", str(spec), "-f", "json"))
    wrong = sorted((i["line"], i["pointer"]) for i in items if i["id"] == "apigw-extension-wrong-api-type")
    assert wrong == [(51, "/x-amazon-apigateway-cors"), (58, "/x-amazon-apigateway-importexport-version")]


def test_corpus_template_typo_is_reported_in_the_template():
    spec = need_corpus() / "gateway" / "serverless-message-processing_template.yaml"
    items = _items(run_apictl("validate", str(spec), "-f", "json"))
    typo = [i for i in items if i["id"] == "apigw-extension-unknown-field"]
    assert len(typo) == 1 and "integrationResponses" in typo[0]["message"]
    text = spec.read_text(encoding="utf-8").splitlines()
    assert "integrationResponses" in text[typo[0]["line"] - 1]


def test_specs_without_gateway_extensions_get_no_gateway_findings(write):
    spec = write("plain.yaml", """
        openapi: 3.1.0
        info: {title: t, version: '1'}
        paths:
          /files/{name}.json:
            get:
              operationId: get
              parameters: [{name: name, in: path, required: true, schema: {type: string}}]
              responses: {'200': {description: ok, content: {text/plain: {schema: {type: string}}}}}
    """)
    items = _items(run_apictl("validate", str(spec), "-f", "json"))
    assert not [i for i in items if i["id"].startswith("apigw-")]
    forced = _items(run_apictl("validate", str(spec), "-f", "json", "--api-type", "rest"))
    assert {"apigw-openapi-version-unsupported", "apigw-path-segment-invalid"} <= {i["id"] for i in forced}


assert CORPUS.name == "corpus"
