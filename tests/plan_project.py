"""A throw-away copy of the example project (apictl.yaml + specs/ecommerce.yaml) to plan, export
and deploy from, and small edits a user would make to it."""
from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ECOMMERCE, ROOT


def make_project(folder: Path) -> Path:
    (folder / "specs").mkdir(parents=True, exist_ok=True)
    shutil.copy(ECOMMERCE, folder / "specs" / "ecommerce.yaml")
    shutil.copy(ROOT / "apictl.yaml", folder / "apictl.yaml")
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def change_the_api(project: Path) -> None:
    """Change GET /products' integration timeout and, in the dev stage, add a variable, raise the usage
    plan's burst limit and add an API key."""
    spec = project / "specs" / "ecommerce.yaml"
    edit(spec, "timeoutInMillis: 10000", "timeoutInMillis: 9000")
    config = project / "apictl.yaml"
    edit(config, "variables: {env: dev}", "variables: {env: dev, release: r2}")
    edit(config, "throttle: {burstLimit: 20, rateLimit: 10}", "throttle: {burstLimit: 30, rateLimit: 10}")
    edit(config, "apiKeys: [dev-team]", "apiKeys: [dev-team, qa-team]")


HTTP_SPEC = """
openapi: 3.0.1
info: {title: Notes HTTP API, version: '1', description: Notes}
x-amazon-apigateway-cors: {allowOrigins: ['*']}
paths:
  /notes:
    get:
      responses: {'200': {description: ok}}
      security: [{jwt: []}]
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: arn:aws:lambda:eu-west-1:123456789012:function:notes
        payloadFormatVersion: '2.0'
components:
  securitySchemes:
    jwt:
      type: oauth2
      flows: {}
      x-amazon-apigateway-authorizer:
        type: jwt
        identitySource: $request.header.Authorization
        jwtConfiguration: {issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x', audience: [notes]}
"""

HTTP_CONFIG = """
stages:
  live:
    spec: notes.yaml
    variables: {env: live}
    defaultRouteSettings: {throttlingBurstLimit: 100, throttlingRateLimit: 50, detailedMetricsEnabled: true}
    accessLogSettings: {destinationArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:notes', format: '$context.requestId'}
    domain: {domainName: notes.example.com, regionalCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/n', basePath: v1}
"""


def make_http_project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notes.yaml").write_text(HTTP_SPEC.lstrip(), encoding="utf-8")
    (folder / "apictl.yaml").write_text(HTTP_CONFIG.lstrip(), encoding="utf-8")
    return folder
