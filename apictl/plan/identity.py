"""The identity apictl tags its resources with: which API, which stage, which resource of the plan.

Every resource deploy creates that API Gateway can tag (REST API, stage, API key, usage plan,
domain name; HTTP API, its stage and domain) carries three tags. Before creating, deploy looks for
a resource with the same three tags and adopts it: a deploy retried after a lost answer, or rerun
after a crash, never makes a second copy.

- ``apictl:api``: a fingerprint of the API's title and type (the same as in the state file)
- ``apictl:stage``: the stage name (a short hash when it holds a character tags refuse, e.g. ``$default``)
- ``apictl:address``: the resource's address in the plan (``RestApi``, ``UsagePlanPartners``...)
"""
from __future__ import annotations

import hashlib
import re
from typing import Any

from .resources import ResourceGraph
from .state import fingerprint

TAG_API = "apictl:api"
TAG_STAGE = "apictl:stage"
TAG_ADDRESS = "apictl:address"
TAG_KEYS = (TAG_API, TAG_STAGE, TAG_ADDRESS)
_TAG_VALUE = re.compile(r"^[\w.:/=+\-@ ]{1,256}$")


def tag_value(text: str) -> str:
    if _TAG_VALUE.match(text):
        return text
    return "sha256-" + hashlib.sha256(text.encode()).hexdigest()[:16]


def identity(graph: ResourceGraph, address: str) -> dict[str, str]:
    return {TAG_API: fingerprint(graph.title, graph.api_type), TAG_STAGE: tag_value(graph.stage),
            TAG_ADDRESS: tag_value(address)}


def tags_of(item: dict) -> dict[str, str]:
    """The tags of a REST (``tags``) or HTTP (``Tags``) API Gateway item, as a dict."""
    tags: Any = item.get("tags") if "tags" in item else item.get("Tags")
    if isinstance(tags, list):  # [{Key, Value}] shapes
        return {str(t.get("Key")): str(t.get("Value")) for t in tags if isinstance(t, dict)}
    return dict(tags or {})


def has_identity(item: dict, wanted: dict[str, str]) -> bool:
    tags = tags_of(item)
    return all(tags.get(k) == v for k, v in wanted.items())


def without_identity(tags: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in tags.items() if k not in TAG_KEYS}
