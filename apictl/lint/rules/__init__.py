"""Rule families. Importing this package registers every rule."""
from . import examples, operations, paths, references, structure  # noqa: F401
from . import (  # noqa: F401  API Gateway families
    gateway_extensions, gateway_import, gateway_integrations, gateway_responses, gateway_security, gateway_stages,
    gateway_vtl,
)
