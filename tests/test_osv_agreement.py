"""Our structure + semantics verdict agrees with openapi-spec-validator 0.9.0 on the shared corpus.

For every corpus file that is a plain OpenAPI document (SAM/CloudFormation templates are not: osv cannot
read their !Tags), osv says valid or invalid; we say invalid when `apictl validate` reports an error from
the rules that check what osv checks: the official schema (oas-schema, oas-version), references (ref-*),
duplicate operationIds, path parameters declared vs used (path-param-*) and defaults against their schema.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, ECOMMERCE, need_corpus

pytest.importorskip("openapi_spec_validator", minversion="0.9.0")

OSV_RULES = {"oas-schema", "oas-version", "operation-id-duplicate", "default-invalid"}
OSV_RULE_PREFIXES = ("ref-", "path-param-")

# Files where we knowingly give another verdict than osv, with the reason: osv is wrong by the specification
# (tests/test_structure_verdicts.py pins each rule on a small document). (On tests/bad_inputs/ osv differs on
# three more files, all osv's doing: it reads JSON with a YAML parser and so accepts trailing commas, rejects
# BOM-less UTF-16 that RFC 4627 allows, and crashes with a RecursionError on a schema cycle through allOf.)
KNOWN_DIFFERENCES: dict[str, str] = {
    "docker-engine-swagger.yaml":
        "osv: 'None for not nullable' on SwarmInfo.RemoteManagers, `type: array, default: null, x-nullable: "
        "true`. x-nullable is the OpenAPI 2.0 way (go-swagger, AutoRest) to say that null is a value of the "
        "schema, so the default conforms to it; osv 0.9.0 ignores x-nullable in 2.0 documents. Without "
        "x-nullable we report the same default (default-invalid). API Gateway drops `default` on import.",
    "slack-web-openapi-v2.json":
        "osv: \"[...] is not of type 'object', 'boolean'\" on 30 `items: [schema, ...]` lists. OpenAPI 2.0 "
        "takes `items` (and `type`) from JSON Schema draft 4, where items is a schema or an array of schemas; "
        "the official 2.0 JSON Schema accepts both, and so does API Gateway (its models are draft 4). The 32 "
        "`type: [X, 'null']` arrays are draft-4 types too (the single-string rule is OpenAPI 3.0's).",
}


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))


def is_plain_openapi(path: Path) -> bool:
    from apictl.source import InputError
    from apictl.source.document import load_document

    try:
        data = load_document(path, path.name).data
    except InputError:  # one corpus template repeats a key; templates are not compared anyway
        return False
    return isinstance(data, dict) and ("openapi" in data or "swagger" in data)


PLAIN_DOCUMENTS = [p for p in corpus_files() if is_plain_openapi(p)]


OSV_CHILD = r"""
import json, sys
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename
try:
    spec, base_uri = read_from_filename(sys.argv[1])
except Exception:  # e.g. CloudFormation tags, which osv's YAML reader refuses
    print(json.dumps(None)); sys.exit()
if not isinstance(spec, dict) or not ("openapi" in spec or "swagger" in spec):
    print(json.dumps(None)); sys.exit()
try:
    validate(spec, base_uri=base_uri)
except Exception as exc:  # osv raises its validation errors
    print(json.dumps([False, (str(exc).splitlines() or [type(exc).__name__])[0]])); sys.exit()
print(json.dumps([True, ""]))
"""


def osv_verdict(path: Path) -> tuple[bool, str] | None:
    """(valid, first error line) from osv, or None when osv cannot read the file as a plain OpenAPI document.

    osv runs in a child process: on the biggest corpus files it holds several GB (7.4 GB for Elasticsearch's
    4 MB spec), which a child gives back to the system when it ends instead of keeping it in the test process.
    """
    done = subprocess.run([sys.executable, "-c", OSV_CHILD, str(path)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    verdict = json.loads(done.stdout)
    return None if verdict is None else (bool(verdict[0]), str(verdict[1]))


def our_errors(path: Path) -> list[str]:
    from apictl.config import Config
    from apictl.lint.engine import lint_source
    from apictl.source import open_spec

    errors = []
    for source in open_spec(str(path)):
        assert source.embedded is None, f"{path.name} is a template, not a plain OpenAPI document"
        for f in lint_source(source, Config()).findings:
            if f.level == "error" and (f.rule in OSV_RULES or f.rule.startswith(OSV_RULE_PREFIXES)):
                errors.append(f"{f.rule} {f.position}: {f.message}")
    return errors


@pytest.mark.slow
@pytest.mark.parametrize("path", [ECOMMERCE, *PLAIN_DOCUMENTS], ids=lambda p: p.name)
def test_verdict_agrees_with_openapi_spec_validator(path: Path):
    if path != ECOMMERCE:
        need_corpus()
    verdict = osv_verdict(path)
    assert verdict is not None, f"osv cannot read {path.name}"
    osv_valid, osv_error = verdict
    ours = our_errors(path)
    if path.name in KNOWN_DIFFERENCES:
        assert osv_valid == bool(ours), f"{path.name} now agrees with osv: drop it from KNOWN_DIFFERENCES"
        return
    assert osv_valid == (not ours), f"osv: {'valid' if osv_valid else osv_error}\nours: {ours}"


def test_the_corpus_has_both_verdicts():
    """The agreement is meaningful: the corpus holds documents osv accepts and documents it rejects."""
    need_corpus()
    verdicts = [v[0] for p in PLAIN_DOCUMENTS if p.parent.name == "gateway" and (v := osv_verdict(p)) is not None]
    assert len(verdicts) >= 25
    assert verdicts.count(True) >= 10 and verdicts.count(False) >= 5
