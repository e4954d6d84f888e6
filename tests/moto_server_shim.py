"""Run ``moto_server`` with some of its bugs worked around (moto 5.2.x).

moto's ``put_rest_api`` treats every key of a path item as an HTTP method (so path-level
``parameters`` or ``summary`` crash it) and requires ``uri``/``httpMethod`` on every integration
(so ``type: mock`` crashes it). Real API Gateway accepts both. Several reads and deletes of
something that does not exist crash with a KeyError (HTTP 500) where API Gateway answers
404 NotFoundException: get-deployment, get-base-path-mapping (on a domain without mappings),
delete-rest-api and delete-usage-plan. The shim fixes only the emulator, in the server process the
test starts; apictl sends its calls unchanged.

Usage: python moto_server_shim.py HOST PORT
"""
from __future__ import annotations

import sys

from moto.apigateway import exceptions as errors
from moto.apigateway.models import APIGatewayBackend, RestAPI
from moto.server import main

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
ANY_METHOD = "x-amazon-apigateway-any-method"

_put_rest_api = APIGatewayBackend.put_rest_api
_put_integration = APIGatewayBackend.put_integration


def _methods_only(api_doc: dict) -> dict:
    paths = {}
    for path, item in (api_doc.get("paths") or {}).items():
        if isinstance(item, dict):
            paths[path] = {("ANY" if k == ANY_METHOD else k): v for k, v in item.items()
                           if k in METHODS or k == ANY_METHOD}
    return {**api_doc, "paths": paths}


def put_rest_api(self, function_id, api_doc, *args, **kwargs):
    return _put_rest_api(self, function_id, _methods_only(api_doc), *args, **kwargs)


def put_integration(self, function_id, resource_id, method_type, integration_type, uri=None,
                    integration_method=None, **kwargs):
    return _put_integration(self, function_id, resource_id, method_type, integration_type, uri,
                            integration_method, **kwargs)


def _not_found_instead_of_key_error(method, error):
    def patched(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except KeyError:
            raise error() from None

    return patched


APIGatewayBackend.put_rest_api = put_rest_api
APIGatewayBackend.put_integration = put_integration
RestAPI.get_deployment = _not_found_instead_of_key_error(RestAPI.get_deployment, errors.DeploymentNotFoundException)
APIGatewayBackend.get_base_path_mapping = _not_found_instead_of_key_error(APIGatewayBackend.get_base_path_mapping,
                                                                          errors.BasePathNotFoundException)
APIGatewayBackend.delete_rest_api = _not_found_instead_of_key_error(APIGatewayBackend.delete_rest_api,
                                                                    errors.RestAPINotFound)
APIGatewayBackend.delete_usage_plan = _not_found_instead_of_key_error(APIGatewayBackend.delete_usage_plan,
                                                                      errors.UsagePlanNotFoundException)

if __name__ == "__main__":
    host, port = sys.argv[1], sys.argv[2]
    main(["-H", host, "-p", port])
