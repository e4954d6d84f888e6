"""Every API Gateway rule has a pair: a spec that triggers it on the marked line (`# <-`) and a fixed
spec that does not. Linting runs in-process through the same engine the CLI uses."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from apictl.config import Config
from apictl.lint.engine import LintOptions, lint_source
from apictl.lint.registry import RULES, load_all_rules
from apictl.source import open_spec

H = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
L = ("arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
     "arn:aws:lambda:eu-west-1:123456789012:function:f/invocations")
LS = L.replace("2015-03-31", "2021-11-15").replace("/invocations", "/response-streaming-invocations")


def op(integration: str, extra: str = "", path: str = "/a", method: str = "get") -> str:
    """A REST operation with an integration (indented YAML lines)."""
    body = textwrap.indent(textwrap.dedent(integration).strip("\n"), " " * 8)
    more = textwrap.indent(textwrap.dedent(extra).strip("\n"), " " * 6) + "\n" if extra.strip() else ""
    return (f"paths:\n  {path}:\n    {method}:\n      operationId: op\n{more}"
            f"      responses: {{'200': {{description: ok}}}}\n      x-amazon-apigateway-integration:\n{body}\n")


LAMBDA = f"type: aws_proxy\nhttpMethod: POST\nuri: {L}"
HTTP_LAMBDA = f"type: AWS_PROXY\nhttpMethod: POST\nuri: {L}\npayloadFormatVersion: '2.0'"

CASES = {
    "apigw-extension-invalid": (
        H + "x-amazon-apigateway-api-key-source: QUERY  # <-\n" + op(LAMBDA),
        H + "x-amazon-apigateway-api-key-source: HEADER\n" + op(LAMBDA), {}),
    "apigw-extension-unknown-field": (
        H + op(f"type: aws_proxy\nhttpMethod: POST\nuri: {L}\nURI: x  # <-"), H + op(LAMBDA), {}),
    "apigw-extension-unknown": (
        H + "x-amazon-apigateway-intergration: {}  # <-\n" + op(LAMBDA), H + op(LAMBDA), {}),
    "apigw-extension-misplaced": (
        H + "paths:\n  /a:\n    x-amazon-apigateway-integration: {type: mock}  # <-\n"
            "    get: {operationId: a, responses: {'200': {description: ok}}}\n",
        H + "paths:\n  /a:\n    get:\n      operationId: a\n      responses: {'200': {description: ok}}\n"
            "      x-amazon-apigateway-integration: {type: mock}\n", {}),
    "apigw-extension-wrong-api-type": (
        H + "x-amazon-apigateway-binary-media-types: [image/png]  # <-\n" + op(HTTP_LAMBDA),
        H + "x-amazon-apigateway-cors: {allowOrigins: ['*']}\n" + op(HTTP_LAMBDA), {"api_type": "http"}),
    "apigw-field-wrong-api-type": (
        H + op(HTTP_LAMBDA + "\npassthroughBehavior: when_no_match  # <-"), H + op(HTTP_LAMBDA), {"api_type": "http"}),
    "apigw-request-validator-undefined": (
        H + "x-amazon-apigateway-request-validators: {all: {validateRequestBody: true}}\n"
            + op(LAMBDA, "x-amazon-apigateway-request-validator: body  # <-"),
        H + "x-amazon-apigateway-request-validators: {all: {validateRequestBody: true}}\n"
            + op(LAMBDA, "x-amazon-apigateway-request-validator: all"), {}),
    "apigw-endpoint-access-mode-required": (
        H + "x-amazon-apigateway-security-policy: SecurityPolicy_TLS13_1_3_2025_09  # <-\n" + op(LAMBDA),
        H + "x-amazon-apigateway-security-policy: SecurityPolicy_TLS13_1_3_2025_09\n"
            "x-amazon-apigateway-endpoint-access-mode: BASIC\n" + op(LAMBDA), {}),
    "apigw-integration-field-missing": (
        H + op("type: aws_proxy\nhttpMethod: POST").replace("x-amazon-apigateway-integration:",
                                                             "x-amazon-apigateway-integration:  # <-"),
        H + op(LAMBDA), {}),
    "apigw-integration-uri-invalid": (
        H + op("type: aws_proxy\nhttpMethod: POST\nuri: arn:aws:lambda:eu-west-1:123456789012:function:f  # <-"),
        H + op(LAMBDA), {}),
    "apigw-lambda-http-method": (
        H + op(f"type: aws_proxy\nhttpMethod: GET  # <-\nuri: {L}"), H + op(LAMBDA), {}),
    "apigw-integration-timeout-range": (
        H + op(HTTP_LAMBDA + "\ntimeoutInMillis: 45000  # <-"), H + op(HTTP_LAMBDA + "\ntimeoutInMillis: 30000"),
        {"api_type": "http"}),
    "apigw-integration-timeout-quota": (
        H + op(LAMBDA + "\ntimeoutInMillis: 60000  # <-"), H + op(LAMBDA + "\ntimeoutInMillis: 29000"), {}),
    "apigw-response-streaming": (
        H + op(f"type: aws_proxy\nhttpMethod: POST\nuri: {L}  # <-\nresponseTransferMode: STREAM"),
        H + op(f"type: aws_proxy\nhttpMethod: POST\nuri: {LS}\nresponseTransferMode: STREAM"), {}),
    "apigw-payload-format-version": (
        H + op("type: HTTP_PROXY\nhttpMethod: GET\nuri: https://example.com\npayloadFormatVersion: '2.0'  # <-"),
        H + op("type: HTTP_PROXY\nhttpMethod: GET\nuri: https://example.com\npayloadFormatVersion: '1.0'"),
        {"api_type": "http"}),
    "apigw-integration-subtype": (
        H + op("type: AWS_PROXY\nintegrationSubtype: SQS-SendMessage\npayloadFormatVersion: '1.0'\n"
               "credentials: arn:aws:iam::123456789012:role/r\nrequestParameters:  # <-\n  MessageBody: $request.body"),
        H + op("type: AWS_PROXY\nintegrationSubtype: SQS-SendMessage\npayloadFormatVersion: '1.0'\n"
               "credentials: arn:aws:iam::123456789012:role/r\nrequestParameters:\n  MessageBody: $request.body\n"
               "  QueueUrl: https://sqs.eu-west-1.amazonaws.com/123456789012/q"), {"api_type": "http"}),
    "apigw-mapping-expression-invalid": (
        H + op(LAMBDA + "\nrequestParameters:\n  integration.request.header.x: prod  # <-"),
        H + op(LAMBDA + "\nrequestParameters:\n  integration.request.header.x: \"'prod'\""), {}),
    "apigw-mapping-parameter-undeclared": (
        H + op(LAMBDA + "\nrequestParameters:\n  integration.request.header.o: method.request.header.origin  # <-"),
        H + op(LAMBDA + "\nrequestParameters:\n  integration.request.header.o: method.request.header.origin",
               "parameters: [{name: Origin, in: header, schema: {type: string}}]"), {}),
    "apigw-integration-response-status-undeclared": (
        H + op(f"type: aws\nhttpMethod: POST\nuri: {L}\nresponses:\n  default:\n    statusCode: '500'  # <-"),
        H + op(f"type: aws\nhttpMethod: POST\nuri: {L}\nresponses:\n  default:\n    statusCode: '200'"), {}),
    "apigw-security-scheme-undefined": (
        H + op(LAMBDA, "security:\n  - Missing: []  # <-"),
        H + op(LAMBDA, "security:\n  - Key: []")
            + "components:\n  securitySchemes:\n    Key: {type: apiKey, name: x-api-key, in: header}\n", {}),
    "apigw-security-scheme-unsupported": (
        H + op(LAMBDA) + "components:\n  securitySchemes:\n    Bearer:\n      type: http  # <-\n      scheme: bearer\n",
        H + op(LAMBDA) + "components:\n  securitySchemes:\n    Key: {type: apiKey, name: x-api-key, in: header}\n", {}),
    "apigw-http-multiple-security": (
        H + op(HTTP_LAMBDA, "security:  # <-\n  - Jwt: []\n  - Iam: []")
            + "components:\n  securitySchemes:\n    Jwt: {type: oauth2, flows: {}}\n"
              "    Iam: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}\n",
        H + op(HTTP_LAMBDA, "security:\n  - Iam: []")
            + "components:\n  securitySchemes:\n"
              "    Iam: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}\n",
        {"api_type": "http"}),
    "apigw-authorizer-invalid": (
        H + op(LAMBDA) + "components:\n  securitySchemes:\n    Auth:\n      type: apiKey\n      name: Authorization\n"
            "      in: header\n      x-amazon-apigateway-authorizer:  # <-\n        type: token\n",
        H + op(LAMBDA) + "components:\n  securitySchemes:\n    Auth:\n      type: apiKey\n      name: Authorization\n"
            f"      in: header\n      x-amazon-apigateway-authorizer:\n        type: token\n        authorizerUri: {L}\n",
        {}),
    "apigw-api-key-source": (
        H + "x-amazon-apigateway-api-key-source: AUTHORIZER  # <-\n" + op(LAMBDA),
        H + "x-amazon-apigateway-api-key-source: HEADER\n" + op(LAMBDA), {}),
    "apigw-openapi-version-unsupported": (
        "openapi: 3.1.0  # <-\ninfo: {title: t, version: '1'}\n" + op(LAMBDA), H + op(LAMBDA), {}),
    "apigw-path-segment-invalid": (
        H + op(LAMBDA, "parameters: [{name: name, in: path, required: true, schema: {type: string}}]",
               path="/files/{name}.json").replace("  /files/{name}.json:", "  /files/{name}.json:  # <-"),
        H + op(LAMBDA, "parameters: [{name: name, in: path, required: true, schema: {type: string}}]",
               path="/files/{name}"), {}),
    "apigw-greedy-path-not-last": (
        H + op(LAMBDA, "parameters: [{name: proxy, in: path, required: true, schema: {type: string}}]",
               path="/{proxy+}/child").replace("  /{proxy+}/child:", "  /{proxy+}/child:  # <-"),
        H + op(LAMBDA, "parameters: [{name: proxy, in: path, required: true, schema: {type: string}}]",
               path="/child/{proxy+}"), {}),
    "apigw-model-name-invalid": (
        H + op(LAMBDA) + "components:\n  schemas:\n    pet-input:  # <-\n      type: object\n",
        H + op(LAMBDA) + "components:\n  schemas:\n    PetInput:\n      type: object\n", {}),
    "apigw-external-ref": (
        H + op(LAMBDA) + "components:\n  schemas:\n    Pet:\n      $ref: 'other.yaml#/Pet'  # <-\n",
        H + op(LAMBDA) + "components:\n  schemas:\n    Pet:\n      type: object\n", {}),
    "apigw-response-ref-unsupported": (
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n"
        "      responses:\n        '500':\n          $ref: '#/responses/Err'  # <-\n"
        f"      x-amazon-apigateway-integration: {{type: aws_proxy, httpMethod: POST, uri: '{L}'}}\n"
        "responses:\n  Err: {description: error}\n",
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n"
        "      responses:\n        '500': {description: error}\n"
        f"      x-amazon-apigateway-integration: {{type: aws_proxy, httpMethod: POST, uri: '{L}'}}\n", {}),
    "apigw-response-schema-primitive": (
        H + op(LAMBDA).replace("responses: {'200': {description: ok}}",
                               "responses:\n        '200':\n          description: ok\n          content:\n"
                               "            application/json:\n              schema: {type: string}  # <-"),
        H + op(LAMBDA).replace("responses: {'200': {description: ok}}",
                               "responses:\n        '200':\n          description: ok\n          content:\n"
                               "            application/json:\n              schema: {$ref: '#/components/schemas/S'}")
            + "components: {schemas: {S: {type: string}}}\n", {}),
    "apigw-model-keyword-ignored": (
        H + "x-amazon-apigateway-request-validators: {all: {validateRequestBody: true}}\n"
            + op(LAMBDA, "x-amazon-apigateway-request-validator: all\nrequestBody:\n  content:\n    application/json:\n"
                 "      schema: {$ref: '#/components/schemas/In'}", method="post")
            + "components:\n  schemas:\n    In:\n      type: object\n      properties:\n"
              "        note: {type: string, nullable: true}  # <-\n",
        H + "x-amazon-apigateway-request-validators: {all: {validateRequestBody: false}}\n"
            + op(LAMBDA, "x-amazon-apigateway-request-validator: all\nrequestBody:\n  content:\n    application/json:\n"
                 "      schema: {$ref: '#/components/schemas/In'}", method="post")
            + "components:\n  schemas:\n    In:\n      type: object\n      properties:\n"
              "        note: {type: string, nullable: true}\n", {}),
    "apigw-definition-too-large": (
        H.replace("info:", "info:  # <-", 0) + "x-amazon-apigateway-api-key-source: HEADER\n" + op(LAMBDA)
            + "x-notes: '" + "x" * (6 * 1024 * 1024) + "'\n",
        H + "x-amazon-apigateway-api-key-source: HEADER\n" + op(LAMBDA), {"marker_line": 1}),
    "apigw-resource-quota": (
        H + "x-amazon-apigateway-api-key-source: HEADER\npaths:  # <-\n"
            + "".join(f"  /r{i}: {{}}\n" for i in range(301)),
        H + "x-amazon-apigateway-api-key-source: HEADER\npaths:\n" + "".join(f"  /r{i}: {{}}\n" for i in range(300)),
        {}),
    "apigw-stage-variable-undefined": (
        H + op("type: http_proxy\nhttpMethod: GET\nuri: https://${stageVariables.host}/a  # <-"),
        H + op("type: http_proxy\nhttpMethod: GET\nuri: https://${stageVariables.env}/a"),
        {"stage_variables": {"dev": {"env": "dev", "host": "a"}, "prod": {"env": "prod"}}}),
    "apigw-template-too-large": (
        H + op(f"type: aws\nhttpMethod: POST\nuri: {L}\nrequestTemplates:\n  application/json: '"
               + "x" * (310 * 1024) + "'  # <-"),
        H + op(f"type: aws\nhttpMethod: POST\nuri: {L}\nrequestTemplates:\n  application/json: '{{}}'"), {}),
    "apigw-vtl-unbalanced": (
        H + op(f"type: aws\nhttpMethod: POST\nuri: {L}\nrequestTemplates:\n"
               "  application/json: '#if($input.params(\"id\")) {\"id\": 1}'  # <-"),
        H + op(f"type: aws\nhttpMethod: POST\nuri: {L}\nrequestTemplates:\n"
               "  application/json: '#if($input.params(\"id\")) {\"id\": 1} #end'"), {}),
    "apigw-vtl-unknown-variable": (
        H + op(f"type: aws\nhttpMethod: POST\nuri: {L}\nrequestTemplates:\n"
               "  application/json: '{\"ip\": \"$context.sourceIp\"}'  # <-"),
        H + op(f"type: aws\nhttpMethod: POST\nuri: {L}\nrequestTemplates:\n"
               "  application/json: '{\"ip\": \"$context.identity.sourceIp\"}'"), {}),
    "apigw-builtin-model-ref": (
        H + op(LAMBDA).replace("responses: {'200': {description: ok}}",
                               "responses:\n        '200':\n          description: ok\n          content:\n"
                               "            application/json:\n              schema: {$ref: '#/components/schemas/Empty'}"
                               "  # <-"),
        H + op(LAMBDA).replace("responses: {'200': {description: ok}}",
                               "responses:\n        '200':\n          description: ok\n          content:\n"
                               "            application/json:\n              schema: {$ref: '#/components/schemas/Empty'}")
            + "components: {schemas: {Empty: {type: object}}}\n", {}),
    "apigw-integration-missing": (
        H + "paths:\n  /a:\n    get:  # <-\n      operationId: a\n      responses: {'200': {description: ok}}\n"
            "x-amazon-apigateway-api-key-source: HEADER\n",
        H + op("type: mock"), {}),
    "apigw-response-header-undeclared": (
        H + op(f"type: aws\nhttpMethod: POST\nuri: {L}\nresponses:\n  default:\n    statusCode: '200'\n"
               "    responseParameters:\n      method.response.header.X-Id: integration.response.header.id  # <-"),
        H + op(f"type: aws\nhttpMethod: POST\nuri: {L}\nresponses:\n  default:\n    statusCode: '200'\n"
               "    responseParameters:\n      method.response.header.X-Id: integration.response.header.id").replace(
            "responses: {'200': {description: ok}}",
            "responses: {'200': {description: ok, headers: {x-id: {schema: {type: string}}}}}"), {}),
    "apigw-policy-too-large": (
        H + "x-amazon-apigateway-policy:  # <-\n  Version: '2012-10-17'\n  Statement:\n"
            + "".join(f"    - {{Effect: Allow, Principal: '*', Action: execute-api:Invoke, Resource: 'execute-api:/{i:03}/"
                      f"{'x' * 60}'}}\n" for i in range(80)) + op(LAMBDA),
        H + "x-amazon-apigateway-policy:\n  Version: '2012-10-17'\n  Statement:\n"
            + "".join(f"    - {{Effect: Allow, Principal: '*', Action: execute-api:Invoke, Resource: 'execute-api:/{i:03}/"
                      f"{'x' * 60}'}}\n" for i in range(50)) + op(LAMBDA), {}),
    "apigw-model-too-large": (
        H + op(LAMBDA) + "components:\n  schemas:\n    Big:  # <-\n      type: object\n      description: '"
            + "x" * (401 * 1024) + "'\n",
        H + op(LAMBDA) + "components:\n  schemas:\n    Big:\n      type: object\n      description: '"
            + "x" * (399 * 1024) + "'\n", {}),
    "apigw-reserved-path": (
        H + op(LAMBDA, path="/ping").replace("  /ping:", "  /ping:  # <-"), H + op(LAMBDA, path="/health"), {}),
    "apigw-authorizer-identity-mismatch": (
        H + op(LAMBDA) + "components:\n  securitySchemes:\n    Auth:\n      type: apiKey\n      name: Authorization\n"
            f"      in: header\n      x-amazon-apigateway-authorizer:\n        type: token\n        authorizerUri: {L}\n"
            "        identitySource: method.request.header.X-Token  # <-\n",
        H + op(LAMBDA) + "components:\n  securitySchemes:\n    Auth:\n      type: apiKey\n      name: X-Token\n"
            f"      in: header\n      x-amazon-apigateway-authorizer:\n        type: token\n        authorizerUri: {L}\n"
            "        identitySource: method.request.header.X-Token\n", {}),
}


def lint(tmp_path: Path, text: str, api_type: str | None = None, stage_variables: dict | None = None,
         params: dict | None = None, name: str = "api.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (tmp_path / "other.yaml").write_text("Pet: {type: object}\n", encoding="utf-8")
    findings = []
    for source in open_spec(str(path)):
        options = LintOptions(api_type=api_type, params=params or {}, stage_variables=stage_variables or {})
        findings += lint_source(source, Config(), options).findings
    return findings


def marked_line(text: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.rstrip().endswith("# <-"))


def test_every_gateway_rule_has_a_case():
    load_all_rules()
    gateway = {r.id for r in RULES.values() if r.id.startswith("apigw-")}
    assert gateway == set(CASES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_pair(tmp_path, rule_id):
    bad, good, options = CASES[rule_id]
    options = dict(options)
    expected_line = options.pop("marker_line", None) or marked_line(bad)
    hits = [f for f in lint(tmp_path, bad, **options) if f.rule == rule_id]
    assert hits, f"{rule_id} did not fire"
    assert expected_line in [f.position[0] for f in hits], [(f.position, f.message) for f in hits]
    assert all(f.level == RULES[rule_id].level for f in hits)
    assert not [f for f in lint(tmp_path, good, **options) if f.rule == rule_id]


def test_every_gateway_rule_is_explained():
    load_all_rules()
    for rule in RULES.values():
        if rule.id.startswith("apigw-"):
            assert rule.level in ("error", "warning"), rule.id
            assert rule.summary and rule.fix and rule.example, rule.id
            assert "gateway-extensions.md section" in rule.rationale, rule.id


def test_rules_catalogue_is_up_to_date():
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, str(root / "scripts" / "rules_catalogue.py"), "--check"])
    assert result.returncode == 0, "docs/rules.md is stale: run python scripts/rules_catalogue.py"


def test_one_problem_gives_one_finding(tmp_path):
    """No rule reports the same node twice (a shared integration, a stage variable missing in several stages,
    an extension value the schema and a rule both check...)."""
    for rule_id, (bad, _, options) in CASES.items():
        options = {k: v for k, v in options.items() if k != "marker_line"}
        places = [(f.document.display, f.pointer, f.rule) for f in lint(tmp_path, bad, **options)]
        assert len(places) == len(set(places)), rule_id
