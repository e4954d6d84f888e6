"""What a spec plus a stage becomes in API Gateway: a graph of resources in dependency order.

Properties use CloudFormation's names and shapes (``AWS::ApiGateway::*`` / ``AWS::ApiGatewayV2::*``),
references are ``{"Ref": logical_id}``. The exporters translate from this one graph, ``deploy``
applies it, ``plan`` compares it with a state file.

Resources that importing the body creates (authorizers, request validators, gateway responses)
are in the graph with ``in_body=True``: the plan shows their changes, but exports do not declare
them again (that would make them drift; cfn-lint W3660).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from ..config import Config
from ..model.api import Api
from ..source.errors import InputError
from ..stages import Stage
from .jsonio import canonical

LOGICAL_ID = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,254}$")

# Properties whose change forces a new physical resource (create-only in the CloudFormation
# resource-provider schemas; linters-and-deployment.md B1/B2).
REPLACED_BY = {
    "AWS::ApiGateway::RestApi": (),
    "AWS::ApiGateway::Deployment": ("RestApiId", "DeploymentCanarySettings"),
    "AWS::ApiGateway::Stage": ("RestApiId", "StageName"),
    "AWS::ApiGateway::Authorizer": ("RestApiId",),
    "AWS::ApiGateway::ApiKey": ("Name", "Value", "GenerateDistinctId"),
    "AWS::ApiGateway::UsagePlan": (),
    "AWS::ApiGateway::UsagePlanKey": ("UsagePlanId", "KeyId", "KeyType"),
    "AWS::ApiGateway::DomainName": ("DomainName",),
    "AWS::ApiGateway::BasePathMapping": ("DomainName", "BasePath"),
    "AWS::ApiGateway::RequestValidator": ("Name", "RestApiId"),
    "AWS::ApiGateway::GatewayResponse": ("ResponseType", "RestApiId"),
    "AWS::ApiGatewayV2::Api": ("ProtocolType",),
    "AWS::ApiGatewayV2::Stage": ("StageName", "ApiId"),
    "AWS::ApiGatewayV2::Deployment": ("ApiId",),
    "AWS::ApiGatewayV2::Authorizer": ("ApiId",),
    "AWS::ApiGatewayV2::DomainName": ("DomainName",),
    "AWS::ApiGatewayV2::ApiMapping": ("DomainName",),
}

OPAQUE_PROPERTIES = ("Body",)  # the OpenAPI document: its contents are not CloudFormation references

REST_ONLY_SETTINGS = ("tracingEnabled", "cacheClusterEnabled", "cacheClusterSize", "methodSettings", "canarySettings",
                      "usagePlans", "clientCertificateId", "documentationVersion", "webAclArn")
HTTP_ONLY_SETTINGS = ("autoDeploy", "defaultRouteSettings", "routeSettings")
ROUTE_SETTING_FIELDS = {"throttlingBurstLimit": int, "throttlingRateLimit": (int, float),
                        "detailedMetricsEnabled": bool, "loggingLevel": str, "dataTraceEnabled": bool}


@dataclass
class Resource:
    type: str  # CloudFormation type
    logical_id: str  # CloudFormation logical id (validated)
    properties: dict[str, Any]
    depends_on: tuple[str, ...] = ()  # addresses of resources this one needs first (besides Refs)
    address: str = ""  # stable identity in plans and state files; the logical id unless it carries a hash
    triggers: dict[str, str] = field(default_factory=dict)  # a change forces a new resource (redeploys)
    in_body: bool = False  # created by importing the body, not declared on its own
    origin: tuple = ()  # ("spec", pointer) or ("config", *keys): what the resource comes from
    _hashes: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not LOGICAL_ID.match(self.logical_id):
            raise ValueError(f"invalid CloudFormation logical id {self.logical_id!r}")
        self.address = self.address or self.logical_id

    def property_hashes(self) -> dict[str, str]:
        """A short hash per property (computed once: the body is large)."""
        for key, value in self.properties.items():
            if key not in self._hashes:
                self._hashes[key] = property_hash(value)
        return {key: self._hashes[key] for key in self.properties}


@dataclass
class ResourceGraph:
    api_type: str  # rest | http
    title: str
    stage: str
    body: dict
    body_sha256: str
    resources: list[Resource]  # dependency order
    body_index: dict[str, str] = field(default_factory=dict)  # operation / top-level key -> short hash
    body_json: bytes = b""  # the body's canonical JSON (what body_sha256 hashes), serialised once

    def by_address(self) -> dict[str, Resource]:
        return {r.address: r for r in self.resources}

    def by_logical_id(self) -> dict[str, Resource]:
        return {r.logical_id: r for r in self.resources}

    def find(self, type_: str) -> Resource | None:
        return next((r for r in self.resources if r.type == type_), None)


def canonical_json(value: Any) -> str:
    return canonical(value).decode()


def sha256(value: Any) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def property_hash(value: Any) -> str:
    return sha256(value)[:16]


def ref(logical_id: str) -> dict:
    return {"Ref": logical_id}


def resource_refs(r: "Resource") -> set[str]:
    """Logical ids a resource's properties name; the body is the API's own document, never searched."""
    return references({k: v for k, v in r.properties.items() if k not in OPAQUE_PROPERTIES})


def references(value: Any) -> set[str]:
    """Logical ids named by ``Ref`` / ``Fn::GetAtt`` anywhere in ``value``."""
    found: set[str] = set()
    if isinstance(value, dict):
        if set(value) == {"Ref"} and isinstance(value["Ref"], str):
            found.add(value["Ref"])
        elif set(value) == {"Fn::GetAtt"} and isinstance(value["Fn::GetAtt"], list):
            found.add(str(value["Fn::GetAtt"][0]))
        else:
            for v in value.values():
                found |= references(v)
    elif isinstance(value, list):
        for v in value:
            found |= references(v)
    return found


def pascal(name: str) -> str:
    """'partner-acme' -> 'PartnerAcme'; only letters and digits remain."""
    parts = re.findall(r"[A-Za-z0-9]+", name)
    return "".join(p[:1].upper() + p[1:] for p in parts)


class _Ids:
    """Unique, valid logical ids: a readable part, plus a short hash when names collide or are long."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, prefix: str, name: str = "") -> str:
        base = prefix + pascal(name)
        if len(base) > 200 or base in self.used or (name and not pascal(name)):
            base = base[:200] + hashlib.sha256(name.encode()).hexdigest()[:8]
        self.used.add(base)
        return base


def build_graph(api: Api, stage: Stage, config: Config) -> ResourceGraph:
    """The resources that ``stage`` of ``api`` needs, in dependency order."""
    body = api.data
    body_json = canonical(body)
    body_sha = hashlib.sha256(body_json).hexdigest()
    builder = _RestBuilder(api, stage, config) if api.api_type == "rest" else _HttpBuilder(api, stage, config)
    builder.check_settings()
    builder.build(body_sha)
    for r in builder.resources:
        if r.properties.get("Body") is body:
            r._hashes["Body"] = body_sha[:16]
    return ResourceGraph(api_type=api.api_type, title=api.title, stage=stage.name, body=body,
                         body_sha256=body_sha, resources=_dependency_order(builder.resources),
                         body_index=body_index(api), body_json=body_json)


def body_index(api: Api) -> dict[str, str]:
    """A short hash per operation ('GET /pets') and per top-level key other than paths ('info',
    'components', extensions): enough to say what changed inside a body, without storing it."""
    index = {op.label: sha256(op.node)[:16] for op in api.operations}
    for key, value in api.data.items():
        if key != "paths":
            index[f"{key}"] = sha256(value)[:16]
    return dict(sorted(index.items()))


def _dependency_order(resources: list[Resource]) -> list[Resource]:
    """Topological order (a resource after everything it references), stable for equal ranks."""
    by_logical = {r.logical_id: r for r in resources}
    by_address = {r.address: r for r in resources}
    done: list[Resource] = []
    seen: set[str] = set()

    def visit(r: Resource, stack: tuple = ()) -> None:
        if r.address in seen:
            return
        if r.address in stack:
            raise ValueError(f"dependency cycle through {r.address}")
        for dep in sorted(resource_refs(r)):
            if dep in by_logical:
                visit(by_logical[dep], stack + (r.address,))
        for dep in r.depends_on:
            visit(by_address[dep], stack + (r.address,))
        seen.add(r.address)
        done.append(r)

    for r in resources:
        visit(r)
    return done


def _pascal_keys(settings: dict) -> dict:
    return {k[:1].upper() + k[1:]: v for k, v in settings.items()}


class _Builder:
    protocol = ""

    def __init__(self, api: Api, stage: Stage, config: Config):
        self.api, self.stage, self.config = api, stage, config
        self.settings = stage.settings
        self.resources: list[Resource] = []
        self.ids = _Ids()

    def add(self, resource: Resource) -> Resource:
        self.resources.append(resource)
        return resource

    def fail(self, message: str, *keys: Any) -> InputError:
        return self.config.error(f"stage '{self.stage.name}': {message}", "stages", self.stage.name, *keys)

    def check_settings(self) -> None:
        other = HTTP_ONLY_SETTINGS if self.protocol == "REST" else REST_ONLY_SETTINGS
        for key in other:
            if key in self.settings:
                kind = "REST" if self.protocol == "HTTP" else "HTTP"
                raise self.fail(f"{key} applies to {kind} APIs only, and {self.api.document.display} is "
                                f"a{'n' if self.protocol == 'HTTP' else ''} {self.protocol} API ({self.api.api_type_reason})",
                                key)
        if "webAclArn" in self.settings:
            raise self.fail("webAclArn is not planned by apictl yet: associate the web ACL outside apictl", "webAclArn")
        if self.protocol == "REST" and self.stage.name == "$default":
            raise self.fail("'$default' is an HTTP API stage name; REST stages use letters, digits, '-' and '_'")

    def domain_settings(self) -> dict | None:
        domain = self.settings.get("domain")
        if domain is None:
            return None
        endpoint = domain.get("endpointType", "REGIONAL")
        cert_key = "certificateArn" if endpoint == "EDGE" else "regionalCertificateArn"
        if endpoint != "PRIVATE" and not isinstance(domain.get(cert_key), str):
            raise self.fail(f"domain with endpointType {endpoint} needs {cert_key}", "domain")
        return domain

    def authorizer_schemes(self):
        for scheme in self.api.security_schemes.values():
            if scheme.authorizer is not None:
                yield scheme


class _RestBuilder(_Builder):
    protocol = "REST"

    def build(self, body_sha: str) -> None:
        api = self.api
        rest = self.add(Resource("AWS::ApiGateway::RestApi", "RestApi", {
            "Name": api.title or self.stage.name, "Body": api.data, "Mode": "overwrite",
        }, origin=("spec", ())))
        self._in_body_resources()
        deployment = self.add(Resource(
            "AWS::ApiGateway::Deployment", "Deployment" + body_sha[:10],
            {"RestApiId": ref(rest.logical_id), "Description": f"{api.title} definition sha256:{body_sha[:12]}"},
            address="Deployment", triggers={"DefinitionSha256": body_sha}, origin=("spec", ()),
        ))
        self.stage_resource = self.add(Resource("AWS::ApiGateway::Stage", "Stage", self._stage_properties(
            rest, deployment), origin=("config",)))
        self._usage_plans(rest)
        self._domain(rest)

    def _stage_properties(self, rest: Resource, deployment: Resource) -> dict:
        s = self.settings
        props: dict[str, Any] = {"RestApiId": ref(rest.logical_id), "StageName": self.stage.name,
                                 "DeploymentId": ref(deployment.logical_id)}
        if "description" in s:
            props["Description"] = str(s["description"])
        if s.get("variables"):
            props["Variables"] = dict(s["variables"])
        if s.get("methodSettings"):
            props["MethodSettings"] = [method_setting(key, value) for key, value in s["methodSettings"].items()]
        if s.get("accessLogSettings"):
            props["AccessLogSetting"] = _pascal_keys(s["accessLogSettings"])
        for key in ("cacheClusterEnabled", "cacheClusterSize", "tracingEnabled", "clientCertificateId",
                    "documentationVersion"):
            if key in s:
                props[key[:1].upper() + key[1:]] = s[key]
        if s.get("canarySettings"):
            props["CanarySetting"] = _pascal_keys(s["canarySettings"])
        if s.get("tags"):
            props["Tags"] = [{"Key": str(k), "Value": str(v)} for k, v in sorted(s["tags"].items())]
        return props

    def _in_body_resources(self) -> None:
        for scheme in self.authorizer_schemes():
            auth = scheme.authorizer or {}
            props: dict[str, Any] = {"Name": scheme.name, "Type": str(auth.get("type", "")).upper()}
            for key in ("authorizerUri", "authorizerCredentials", "identitySource", "identityValidationExpression",
                        "authorizerResultTtlInSeconds"):
                if key in auth:
                    props[key[:1].upper() + key[1:]] = auth[key]
            if "providerARNs" in auth:
                props["ProviderARNs"] = auth["providerARNs"]
            self.add(Resource("AWS::ApiGateway::Authorizer", self.ids.make("Authorizer", scheme.name), props,
                              depends_on=("RestApi",), in_body=True, origin=("spec", scheme.pointer)))
        validators = self.api.root_extension("x-amazon-apigateway-request-validators")
        for name, v in (validators.items() if isinstance(validators, dict) else ()):
            v = v if isinstance(v, dict) else {}
            self.add(Resource("AWS::ApiGateway::RequestValidator", self.ids.make("RequestValidator", name), {
                "Name": name, "ValidateRequestBody": bool(v.get("validateRequestBody", False)),
                "ValidateRequestParameters": bool(v.get("validateRequestParameters", False)),
            }, depends_on=("RestApi",), in_body=True,
                origin=("spec", ("x-amazon-apigateway-request-validators", name))))
        responses = self.api.root_extension("x-amazon-apigateway-gateway-responses")
        for kind, r in (responses.items() if isinstance(responses, dict) else ()):
            r = r if isinstance(r, dict) else {}
            props = {"ResponseType": kind}
            for key in ("statusCode", "responseParameters", "responseTemplates"):
                if key in r:
                    props[key[:1].upper() + key[1:]] = str(r[key]) if key == "statusCode" else r[key]
            self.add(Resource("AWS::ApiGateway::GatewayResponse", self.ids.make("GatewayResponse", kind), props,
                              depends_on=("RestApi",), in_body=True,
                              origin=("spec", ("x-amazon-apigateway-gateway-responses", kind))))

    def _usage_plans(self, rest: Resource) -> None:
        keys: dict[str, Resource] = {}
        for i, plan in enumerate(self.settings.get("usagePlans") or []):
            where = ("config", "usagePlans", i)
            props: dict[str, Any] = {
                "UsagePlanName": plan["name"],
                "ApiStages": [{"ApiId": ref(rest.logical_id), "Stage": ref(self.stage_resource.logical_id)}],
            }
            if "description" in plan:
                props["Description"] = str(plan["description"])
            if plan.get("throttle"):
                props["Throttle"] = _pascal_keys(plan["throttle"])
            if plan.get("quota"):
                props["Quota"] = _pascal_keys(plan["quota"])
            usage_plan = self.add(Resource("AWS::ApiGateway::UsagePlan", self.ids.make("UsagePlan", plan["name"]),
                                           props, origin=where))
            for key_name in plan.get("apiKeys") or []:
                if key_name not in keys:
                    keys[key_name] = self.add(Resource("AWS::ApiGateway::ApiKey", self.ids.make("ApiKey", key_name),
                                                       {"Name": key_name, "Enabled": True}, origin=where))
                self.add(Resource("AWS::ApiGateway::UsagePlanKey",
                                  self.ids.make("UsagePlanKey", f"{plan['name']} {key_name}"), {
                                      "UsagePlanId": ref(usage_plan.logical_id),
                                      "KeyId": ref(keys[key_name].logical_id), "KeyType": "API_KEY",
                                  }, origin=where))

    def _domain(self, rest: Resource) -> None:
        domain = self.domain_settings()
        if domain is None:
            return
        where = ("config", "domain")
        endpoint = domain.get("endpointType", "REGIONAL")
        props: dict[str, Any] = {"DomainName": domain["domainName"], "EndpointConfiguration": {"Types": [endpoint]},
                                 "SecurityPolicy": domain.get("securityPolicy", "TLS_1_2")}
        if endpoint == "EDGE":
            props["CertificateArn"] = domain["certificateArn"]
        elif endpoint == "REGIONAL":
            props["RegionalCertificateArn"] = domain["regionalCertificateArn"]
        name = self.add(Resource("AWS::ApiGateway::DomainName", "DomainName", props, origin=where))
        mapping: dict[str, Any] = {"DomainName": ref(name.logical_id), "RestApiId": ref(rest.logical_id),
                                   "Stage": ref(self.stage_resource.logical_id)}
        if domain.get("basePath"):
            mapping["BasePath"] = domain["basePath"]
        self.add(Resource("AWS::ApiGateway::BasePathMapping", "BasePathMapping", mapping, origin=where))


class _HttpBuilder(_Builder):
    protocol = "HTTP"

    def build(self, body_sha: str) -> None:
        api, s = self.api, self.settings
        http_api = self.add(Resource("AWS::ApiGatewayV2::Api", "HttpApi", {"Body": api.data}, origin=("spec", ())))
        for scheme in self.authorizer_schemes():
            self.add(Resource("AWS::ApiGatewayV2::Authorizer", self.ids.make("Authorizer", scheme.name),
                              self._authorizer(scheme.name, scheme.authorizer or {}), depends_on=("HttpApi",),
                              in_body=True, origin=("spec", scheme.pointer)))
        props: dict[str, Any] = {"ApiId": ref(http_api.logical_id), "StageName": self.stage.name,
                                 "AutoDeploy": bool(s.get("autoDeploy", True))}
        if not props["AutoDeploy"]:
            deployment = self.add(Resource(
                "AWS::ApiGatewayV2::Deployment", "Deployment" + body_sha[:10],
                {"ApiId": ref(http_api.logical_id), "Description": f"{api.title} definition sha256:{body_sha[:12]}"},
                address="Deployment", triggers={"DefinitionSha256": body_sha}, origin=("spec", ())))
            props["DeploymentId"] = ref(deployment.logical_id)
        if "description" in s:
            props["Description"] = str(s["description"])
        if s.get("variables"):
            props["StageVariables"] = dict(s["variables"])
        if s.get("defaultRouteSettings"):
            props["DefaultRouteSettings"] = self._route_settings(s["defaultRouteSettings"], ("defaultRouteSettings",))
        if s.get("routeSettings"):
            routes = s["routeSettings"]
            if not isinstance(routes, dict):
                raise self.fail("routeSettings must map route keys ('GET /pets') to settings", "routeSettings")
            props["RouteSettings"] = {str(k): self._route_settings(v, ("routeSettings", k)) for k, v in routes.items()}
        if s.get("accessLogSettings"):
            props["AccessLogSettings"] = _pascal_keys(s["accessLogSettings"])
        if s.get("tags"):
            props["Tags"] = {str(k): str(v) for k, v in sorted(s["tags"].items())}
        stage = self.add(Resource("AWS::ApiGatewayV2::Stage", "Stage", props, origin=("config",)))
        domain = self.domain_settings()
        if domain is not None:
            where = ("config", "domain")
            if domain.get("endpointType", "REGIONAL") != "REGIONAL" or domain.get("securityPolicy", "TLS_1_2") != "TLS_1_2":
                raise self.fail("HTTP APIs can only be mapped to REGIONAL domains with TLS_1_2", "domain")
            name = self.add(Resource("AWS::ApiGatewayV2::DomainName", "DomainName", {
                "DomainName": domain["domainName"],
                "DomainNameConfigurations": [{"CertificateArn": domain["regionalCertificateArn"],
                                              "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2"}],
            }, origin=where))
            mapping: dict[str, Any] = {"DomainName": ref(name.logical_id), "ApiId": ref(http_api.logical_id),
                                       "Stage": ref(stage.logical_id)}
            if domain.get("basePath"):
                mapping["ApiMappingKey"] = domain["basePath"]
            self.add(Resource("AWS::ApiGatewayV2::ApiMapping", "ApiMapping", mapping, origin=where))

    def _authorizer(self, name: str, auth: dict) -> dict:
        props: dict[str, Any] = {"Name": name, "AuthorizerType": str(auth.get("type", "")).upper()}
        if "identitySource" in auth:
            source = auth["identitySource"]
            props["IdentitySource"] = [p.strip() for p in source.split(",")] if isinstance(source, str) else source
        jwt = auth.get("jwtConfiguration")
        if isinstance(jwt, dict):
            props["JwtConfiguration"] = _pascal_keys(jwt)
        for key, cfn in (("authorizerUri", "AuthorizerUri"), ("authorizerCredentials", "AuthorizerCredentialsArn"),
                         ("authorizerPayloadFormatVersion", "AuthorizerPayloadFormatVersion"),
                         ("enableSimpleResponses", "EnableSimpleResponses"),
                         ("authorizerResultTtlInSeconds", "AuthorizerResultTtlInSeconds")):
            if key in auth:
                props[cfn] = auth[key]
        return props

    def _route_settings(self, settings: Any, keys: tuple) -> dict:
        if not isinstance(settings, dict):
            raise self.fail("route settings must be a mapping", *keys)
        for name, value in settings.items():
            expected = ROUTE_SETTING_FIELDS.get(name)
            if expected is None:
                raise self.fail(f"unknown route setting '{name}' (known: {', '.join(ROUTE_SETTING_FIELDS)})", *keys)
            if isinstance(value, bool) != (expected is bool) or not isinstance(value, expected):
                raise self.fail(f"route setting {name} has the wrong type", *keys)
        return _pascal_keys(settings)


def method_setting(key: str, settings: dict) -> dict:
    """'*/*' or '/products/{id}/GET' plus camelCase settings -> a CloudFormation MethodSetting
    (ResourcePath: a '/' followed by the path with every '/' encoded as '~1', as the Stage resource
    documents: '/products/{id}' -> '/~1products~1{id}')."""
    path, method = split_method_key(key)
    resource_path = "/*" if path == "*" else "/" + path.replace("/", "~1")
    return {"ResourcePath": resource_path, "HttpMethod": method, **_pascal_keys(settings)}


def split_method_key(key: str) -> tuple[str, str]:
    """'*/*' -> ('*', '*'); '/products/GET' -> ('/products', 'GET')."""
    if key == "*/*":
        return "*", "*"
    path, _, method = key.rpartition("/")
    return path or "/", method
