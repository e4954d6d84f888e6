"""apictl: lint, diff, plan and SDKs for OpenAPI specs on Amazon API Gateway."""

__version__ = "0.1.0"
