"""Settings of ``apictl serve``: command-line flags over the ``serve:`` section of apictl.yaml.

```yaml
serve:
  lambdas:                                   # function name (after stage variables) -> handler
    products-dev: specs.handlers.products:handler
    images-dev: -- node handlers/images.js
  apiKeys: {dev-team: dev-team-local-key}    # usage-plan key name -> value (default: the name)
  jwks: {CognitoAuth: specs/dev/jwks.json}   # authorizer name or issuer -> JWKS file or URL
  credentials: [{accessKeyId: AKID..., secretAccessKey: ...}]   # accepted SigV4 signers (IAM)
  awsEndpoint: http://127.0.0.1:5000         # AWS service integrations and handlers' AWS_ENDPOINT_URL
  region: eu-west-1
```
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..source.errors import InputError
from .handlers import HandlerRegistry, parse_handler, parse_handler_flag

SERVE_KEYS = {"lambdas", "apiKeys", "jwks", "credentials", "awsEndpoint", "region", "port", "host"}


@dataclass
class ServeSettings:
    handlers: HandlerRegistry = field(default_factory=HandlerRegistry)
    jwks: dict[str, str] = field(default_factory=dict)
    api_keys: dict[str, str] = field(default_factory=dict)  # key name -> value
    credentials: dict[str, str] = field(default_factory=dict)  # access key id -> secret
    aws_endpoint: str | None = None
    region: str | None = None
    folder: Path = field(default_factory=Path.cwd)  # where relative handler modules/files are found
    params: dict[str, str] = field(default_factory=dict)  # values for ${KEY} in CloudFormation Fn::Sub


def _pairs(values: list[str] | None, flag: str) -> list[tuple[str, str]]:
    out = []
    for value in values or []:
        key, sep, val = value.partition("=")
        if not sep or not key:
            raise InputError(f"{flag} expects NAME=VALUE, got '{value}'")
        out.append((key, val))
    return out


def _resolve_file_or_url(value: str, folder: Path) -> str:
    if value.startswith(("http://", "https://")):
        return value
    path = Path(value)
    return str(path if path.is_absolute() else (folder / path).resolve())


def build_settings(raw: Any, config_error, folder: Path, *, lambdas: list[str] | None = None,
                   jwks: list[str] | None = None, api_keys: list[str] | None = None,
                   credentials: list[str] | None = None, aws_endpoint: str | None = None,
                   region: str | None = None) -> ServeSettings:
    """``raw`` is the config's ``serve:`` value; ``config_error(message, *keys)`` makes a positioned error."""
    s = ServeSettings(folder=folder)
    raw = raw or {}
    if not isinstance(raw, dict):
        raise config_error("serve must be a mapping (lambdas, apiKeys, jwks, credentials, awsEndpoint, region)",
                           "serve")
    unknown = sorted(set(raw) - SERVE_KEYS)
    if unknown:
        raise config_error(f"serve: unknown setting(s) {', '.join(unknown)} (known: {', '.join(sorted(SERVE_KEYS))})",
                           "serve", unknown[0])
    for key in ("lambdas", "apiKeys", "jwks"):
        if key in raw and not isinstance(raw[key], dict):
            raise config_error(f"serve.{key} must be a mapping", "serve", key)
    for name, value in (raw.get("lambdas") or {}).items():
        try:
            s.handlers.add(parse_handler(str(name), value, folder, f"serve.lambdas.{name}"))
        except InputError as exc:
            raise config_error(exc.message, "serve", "lambdas", name) from None
    for name, value in (raw.get("jwks") or {}).items():
        s.jwks[str(name)] = _resolve_file_or_url(str(value), folder)
    s.api_keys = {str(k): str(v) for k, v in (raw.get("apiKeys") or {}).items()}
    creds = raw.get("credentials") or []
    if not isinstance(creds, list):
        raise config_error("serve.credentials must be a list of {accessKeyId, secretAccessKey}", "serve", "credentials")
    for i, entry in enumerate(creds):
        if not isinstance(entry, dict) or not entry.get("accessKeyId") or not entry.get("secretAccessKey"):
            raise config_error("each serve.credentials entry needs accessKeyId and secretAccessKey",
                               "serve", "credentials", i)
        s.credentials[str(entry["accessKeyId"])] = str(entry["secretAccessKey"])
    s.aws_endpoint = aws_endpoint or (str(raw["awsEndpoint"]) if raw.get("awsEndpoint") else None)
    s.region = region or (str(raw["region"]) if raw.get("region") else None)
    cwd = Path.cwd()
    for flag in lambdas or []:
        s.handlers.add(parse_handler_flag(flag, cwd))
    for name, value in _pairs(jwks, "--jwks"):
        s.jwks[name] = _resolve_file_or_url(value, cwd)
    for name, value in _pairs(api_keys, "--api-key"):
        s.api_keys[name] = value
    for value in credentials or []:
        key_id, sep, secret = value.partition(":")
        if not sep or not key_id or not secret:
            raise InputError(f"--credentials expects ACCESS_KEY_ID:SECRET_ACCESS_KEY, got '{value}'")
        s.credentials[key_id] = secret
    if not s.credentials and os.environ.get("AWS_ACCESS_KEY_ID") and os.environ.get("AWS_SECRET_ACCESS_KEY"):
        s.credentials[os.environ["AWS_ACCESS_KEY_ID"]] = os.environ["AWS_SECRET_ACCESS_KEY"]
    if s.aws_endpoint and not s.aws_endpoint.startswith(("http://", "https://")):
        raise InputError(f"--aws-endpoint must be an http(s) URL, not '{s.aws_endpoint}'")
    return s
