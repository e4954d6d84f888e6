"""apictl: lint, diff, plan and SDKs for OpenAPI specs on Amazon API Gateway."""

__version__ = "0.1.0"

PROJECT_URL = "https://github.com/apictl/apictl"
RULES_URL = f"{PROJECT_URL}/blob/main/docs/rules.md"  # the rule catalogue; each rule id is an anchor in it
