"""The typed model every command reads: ``build_api(workspace)`` -> ``Api``."""
from .api import Api, Integration, Operation, Parameter, SecurityScheme, build_api, infer_api_type

__all__ = ["Api", "Integration", "Operation", "Parameter", "SecurityScheme", "build_api", "infer_api_type"]
