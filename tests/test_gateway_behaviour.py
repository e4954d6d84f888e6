"""Where API Gateway's behaviour decides: definitions AWS accepts get no finding (even where the documentation
says otherwise), and the mistakes AWS rejects, or that break the deployment, are found."""
from __future__ import annotations

import textwrap
from pathlib import Path

from apictl.config import Config
from apictl.lint.engine import LintOptions, lint_source
from apictl.source import open_spec

L = ("arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
     "arn:aws:lambda:eu-west-1:123456789012:function:f/invocations")
H = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"


def lint(tmp_path: Path, text: str, name: str = "api.yaml", **options):
    path = tmp_path / name
    head = H if text.startswith(H) else ""
    path.write_text(head + textwrap.dedent(text[len(head):]).lstrip("\n"), encoding="utf-8")
    results = [lint_source(s, Config(), LintOptions(**options)) for s in open_spec(str(path))]
    return [f for r in results for f in r.findings], results


def rules(findings) -> list[str]:
    return sorted(f.rule for f in findings if f.rule != "operation-id-missing")


# -- accepted by AWS ---------------------------------------------------------------------------------------

def test_root_security_applies_to_operations_without_their_own(tmp_path):
    findings, _ = lint(tmp_path, H + f"""
        security: [{{Auth: []}}]
        paths:
          /a:
            get:
              operationId: a
              responses: {{'200': {{description: ok}}}}
              x-amazon-apigateway-integration: {{type: aws_proxy, httpMethod: POST, uri: '{L}'}}
        components:
          securitySchemes:
            Auth:
              type: apiKey
              name: Authorization
              in: header
              x-amazon-apigateway-authtype: custom
              x-amazon-apigateway-authorizer: {{type: token, authorizerUri: '{L}', authorizerResultTtlInSeconds: 300}}
        """)
    assert rules(findings) == []


def test_the_fields_api_gateway_exports_into_documentation_are_accepted(tmp_path):
    findings, _ = lint(tmp_path, H + f"""
        x-amazon-apigateway-documentation:
          version: '1.0.1'
          createdDate: '2024-03-29T19:43:26Z'
          description: first release
          documentationParts:
            - location: {{type: API}}
              properties: {{description: the API}}
        paths:
          /a:
            get:
              operationId: a
              responses: {{'200': {{description: ok}}}}
              x-amazon-apigateway-integration: {{type: aws_proxy, httpMethod: POST, uri: '{L}'}}
        """)
    assert rules(findings) == []


def test_the_http_api_default_route(tmp_path):
    findings, results = lint(tmp_path, H + f"""
        paths:
          /$default:
            x-amazon-apigateway-any-method:
              operationId: fallback
              isDefaultRoute: true
              x-amazon-apigateway-integration: {{type: AWS_PROXY, httpMethod: POST, uri: '{L}', payloadFormatVersion: '2.0'}}
        """)
    assert rules(findings) == [] and results[0].api.api_type == "http"
    rest, _ = lint(tmp_path, H + "paths:\n  /$default: {}\nx-amazon-apigateway-api-key-source: HEADER\n",
                   api_type="rest")
    assert [(f.rule, f.message) for f in rest] == [
        ("apigw-path-segment-invalid", "path '/$default' is the HTTP API default route; REST APIs have no default "
                                       "route (use /{proxy+} with x-amazon-apigateway-any-method)")]


def test_importexport_version_alone_does_not_outweigh_rest_evidence(tmp_path):
    findings, results = lint(tmp_path, H + f"""
        x-amazon-apigateway-importexport-version: '1.0'
        paths:
          /a:
            get:
              operationId: a
              security: [{{Auth: []}}]
              responses: {{'200': {{description: ok}}}}
              x-amazon-apigateway-integration: {{type: aws_proxy, httpMethod: POST, uri: '{L}'}}
        components:
          securitySchemes:
            Auth:
              type: apiKey
              name: Unused
              in: header
              x-amazon-apigateway-authorizer:
                type: request
                authorizerUri: '{L}'
                identitySource: method.request.header.Auth, method.request.querystring.key
        """)
    assert results[0].api.api_type == "rest"
    assert "REST syntax" in results[0].api.api_type_reason
    assert rules(findings) == ["apigw-extension-wrong-api-type"]  # importexport-version itself, nothing else


def test_an_empty_identity_source_on_a_lambda_authorizer(tmp_path):
    for kind in ("token", "request"):
        findings, _ = lint(tmp_path, H + f"""
            paths:
              /a:
                get:
                  operationId: a
                  security: [{{Auth: []}}]
                  responses: {{'200': {{description: ok}}}}
                  x-amazon-apigateway-integration: {{type: aws_proxy, httpMethod: POST, uri: '{L}'}}
            components:
              securitySchemes:
                Auth:
                  type: apiKey
                  name: Authorization
                  in: header
                  x-amazon-apigateway-authorizer: {{type: {kind}, authorizerUri: '{L}', identitySource: '',
                                                   authorizerResultTtlInSeconds: 0}}
            """)
        assert rules(findings) == [], kind


def test_the_built_in_empty_model_is_resolved_by_api_gateway(tmp_path):
    spec = H + """
        paths:
          /a:
            get:
              operationId: a
              responses:
                '200':
                  description: ok
                  content: {application/json: {schema: {$ref: '#/components/schemas/Empty'}}}
              x-amazon-apigateway-integration: {type: mock, requestTemplates: {application/json: '{}'}}
        """
    findings, _ = lint(tmp_path, spec)
    assert rules(findings) == ["apigw-builtin-model-ref"]
    plain, _ = lint(tmp_path, spec.replace("x-amazon-apigateway-integration: {type: mock, requestTemplates: "
                                           "{application/json: '{}'}}", ""))
    assert rules(plain) == ["ref-unresolved"]  # not an API Gateway definition: just a broken $ref


# -- rejected by AWS, or the deployment fails ----------------------------------------------------------------

def test_sam_function_events_provide_the_missing_integrations(tmp_path):
    findings, _ = lint(tmp_path, """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: python3.12
              Events:
                List: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /pets, Method: get}}
                Any: {Type: Api, Properties: {RestApiId: !Ref Api, Path: '/pets/{id}', Method: ANY}}
                Other: {Type: Api, Properties: {RestApiId: !Ref OtherApi, Path: /toys, Method: get}}
          Api:
            Type: AWS::Serverless::Api
            Properties:
              StageName: prod
              DefinitionBody:
                openapi: 3.0.1
                info: {title: t, version: '1'}
                paths:
                  /pets:
                    get: {operationId: list, responses: {'200': {description: ok}}}
                  /pets/{id}:
                    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
                    delete: {operationId: remove, responses: {'200': {description: ok}}}
                  /toys:
                    get: {operationId: toys, responses: {'200': {description: ok}}}
        """, name="template.yaml")
    assert [(f.rule, f.message.split(" has no")[0]) for f in findings] == [("apigw-integration-missing", "GET /toys")]


def test_http_api_status_keyed_response_parameters(tmp_path):
    findings, _ = lint(tmp_path, H + f"""
        paths:
          /a:
            get:
              operationId: a
              responses: {{'200': {{description: ok}}}}
              x-amazon-apigateway-integration:
                type: AWS_PROXY
                httpMethod: POST
                uri: '{L}'
                payloadFormatVersion: '2.0'
                responseParameters:
                  '404':
                    overwrite:statuscode: '410'
                    append:header.x-reason: $response.header.reason
                  '500':
                    append:header.x-id: $request.header.id
                    rewrite:header.x: y
                  ok:
                    overwrite:statuscode: '200'
                  '200':
                    overwrite:statuscode: teapot
        """, api_type="http")
    assert sorted((f.pointer[-2:], f.message.split(": ", 1)[1]) for f in findings) == [
        (("200", "overwrite:statuscode"), "overwrite:statuscode needs a status code 200-599, not 'teapot'"),
        (("500", "append:header.x-id"), "'$request.header' is not available in a response mapping ($response.header, "
                                        "$response.body, $context, $stageVariables)"),
        (("500", "rewrite:header.x"), "'rewrite:header.x' is not an HTTP API response mapping key "
                                      "({append|overwrite|remove}:header.NAME or overwrite:statuscode)"),
        (("responseParameters", "ok"), "response parameters are keyed by the backend status code (200-599), not 'ok'"),
    ]


def test_rest_response_headers_must_be_declared_in_swagger_too(tmp_path):
    findings, _ = lint(tmp_path, """
        swagger: '2.0'
        info: {title: t, version: '1'}
        paths:
          /a:
            options:
              operationId: cors
              responses:
                '200':
                  description: ok
                  headers: {Access-Control-Allow-Origin: {type: string}}
              x-amazon-apigateway-integration:
                type: mock
                requestTemplates: {application/json: '{"statusCode": 200}'}
                responses:
                  default:
                    statusCode: '200'
                    responseParameters:
                      method.response.header.Access-Control-Allow-Origin: "'*'"
                      method.response.header.Access-Control-Allow-Methods: "'GET,OPTIONS'"
        """)
    assert [(f.rule, f.position[0], f.message) for f in findings] == [
        ("apigw-response-header-undeclared", 19, "OPTIONS /a: integration response 'default' sets header "
         "Access-Control-Allow-Methods, which response 200 does not declare in its headers")]


def test_a_shared_integration_has_one_finding_per_problem(tmp_path):
    ref = "x-amazon-apigateway-integration: {$ref: '#/components/x-amazon-apigateway-integrations/fn'}"
    findings, _ = lint(tmp_path, H + f"""
        paths:
          /a:
            get: {{operationId: a, responses: {{'200': {{description: ok}}}}, {ref}}}
          /b:
            get: {{operationId: b, responses: {{'200': {{description: ok}}}}, {ref}}}
        components:
          x-amazon-apigateway-integrations:
            fn: {{type: AWS_PROXY, httpMethod: GET, uri: '{L}', payloadFormatVersion: '2.0', timeoutInMillis: 40000}}
        """)
    assert sorted((f.rule, f.message.split(":")[0]) for f in findings) == [
        ("apigw-integration-timeout-range", "integration 'fn'"), ("apigw-lambda-http-method", "integration 'fn'")]


def test_an_integration_under_fn_if_is_checked_in_each_branch(tmp_path):
    findings, _ = lint(tmp_path, f"""
        Resources:
          Api:
            Type: AWS::ApiGateway::RestApi
            Properties:
              Body:
                openapi: 3.0.1
                info: {{title: t, version: '1'}}
                paths:
                  /a:
                    get:
                      operationId: a
                      responses: {{'200': {{description: ok}}}}
                      x-amazon-apigateway-integration: !If
                        - IsProd
                        - {{type: aws_proxy, httpMethod: GET, uri: '{L}'}}
                        - {{type: mock, passthroughBehavior: sometimes}}
        """, name="template.yaml")
    assert sorted((f.rule, f.position[0]) for f in findings) == [
        ("apigw-extension-invalid", 16), ("apigw-lambda-http-method", 15)]


def test_no_message_echoes_more_than_120_characters_of_a_value(tmp_path):
    big = "Q" * 300_000
    findings, _ = lint(tmp_path, H + f"""
        x-amazon-apigateway-api-key-source: {big}
        paths:
          /{big[:900]}:
            get:
              operationId: "{big[:5000]}!"
              parameters: [{{name: id, in: {big[:3000]}, schema: {{type: string}}}}]
              responses: {{'200': {{description: ok}}}}
              x-amazon-apigateway-integration:
                type: aws
                httpMethod: POST
                uri: https://{big[:4000]}:99/x
                requestParameters:
                  integration.request.header.{big[:900]}: {big[:3000]}
                requestTemplates:
                  application/json: "#if($context.{big[:1000]}) {big}"
        components:
          securitySchemes:
            Auth:
              type: apiKey
              name: Authorization
              in: header
              x-amazon-apigateway-authorizer: {{type: token, authorizerUri: 'arn:{big[:3000]}',
                                               identitySource: 'method.request.header.{big[:3000]}'}}
        """)
    assert len(findings) >= 8
    for f in findings:
        assert "Q" * 121 not in f.message and len(f.message) <= 600, (f.rule, f.message[:300])
