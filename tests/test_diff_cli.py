"""`apictl diff` as a user runs it: exit codes, formats, severity and ignore files, git and stage sides."""
from __future__ import annotations

import json
import re
import subprocess
import time
import xml.etree.ElementTree as ET

import pytest
from conftest import ECOMMERCE, need_corpus, run_apictl

from apictl.diff.checks import CHECKS, ERR, INFO, level_for, load_all_checks
from apictl.diff.compare import KIND_EFFECTS
from apictl.diff.checks.schema import LEVEL_EXCEPTIONS, SITES


def _changed(write, old: str, new: str, name: str = "new.yaml"):
    text = ECOMMERCE.read_text()
    assert old in text
    return write(name, text.replace(old, new, 1))


def test_same_spec_has_no_changes():
    result = run_apictl("diff", str(ECOMMERCE), str(ECOMMERCE))
    assert result.returncode == 0, result.stderr
    assert "no changes" in result.stdout


def test_breaking_change_exits_1_with_id_level_position_and_operation(write):
    new = _changed(write, "name: {type: string, minLength: 1, maxLength: 200}", "name: {type: string, minLength: 1, maxLength: 100}")
    result = run_apictl("diff", str(ECOMMERCE), str(new), "--format", "json")
    assert result.returncode == 1, result.stderr
    items = json.loads(result.stdout)["items"]
    hit = [i for i in items if i["id"] == "request-property-max-length-decreased"]
    assert hit, items
    first = hit[0]
    assert first["level"] == "error" and first["extra"]["level_name"] == "ERR"
    assert first["extra"]["operation"] in ("POST /products", "PUT /products/{productId}")
    assert first["file"].endswith("new.yaml")
    assert new.read_text().splitlines()[first["line"] - 1].strip().startswith("name:")
    assert first["pointer"] == "/components/schemas/ProductInput/properties/name/maxLength"
    # the same schema in responses widens nothing: only the request side breaks
    assert not [i for i in items if i["level"] == "error" and i["id"].startswith("response-")]


def test_text_output_shows_the_oasdiff_level(write):
    new = _changed(write, "maxItems: 20", "maxItems: 10")
    result = run_apictl("diff", str(ECOMMERCE), str(new))
    assert result.returncode == 1
    assert "error   ERR" in result.stdout and "[request-property-max-items-decreased]" in result.stdout


def test_fail_on_and_level(write):
    new = _changed(write, "enum: [EUR, USD, GBP]", "enum: [EUR, USD, GBP, CHF]")
    default = run_apictl("diff", str(ECOMMERCE), str(new), "-f", "json")
    items = json.loads(default.stdout)["items"]
    assert {i["id"] for i in items} >= {"request-property-enum-value-added", "response-property-enum-value-added"}
    assert default.returncode == 0  # WARN and INFO only
    assert run_apictl("diff", str(ECOMMERCE), str(new), "--fail-on", "WARN").returncode == 1
    only_warn = run_apictl("diff", str(ECOMMERCE), str(new), "--level", "WARN", "-f", "json")
    assert {i["extra"]["level_name"] for i in json.loads(only_warn.stdout)["items"]} == {"WARN"}


def test_severity_file_overrides_and_disables(write):
    new = _changed(write, "maxItems: 20", "maxItems: 10")
    sev = write("severity.txt", "# accepted while v2 is in beta\nrequest-property-max-items-decreased warn\n")
    result = run_apictl("diff", str(ECOMMERCE), str(new), "--severity-file", str(sev), "-f", "json")
    assert result.returncode == 0
    levels = {i["id"]: i["extra"]["level_name"] for i in json.loads(result.stdout)["items"]}
    assert levels["request-property-max-items-decreased"] == "WARN"
    off = write("off.txt", "request-property-max-items-decreased none\n")
    result = run_apictl("diff", str(ECOMMERCE), str(new), "--severity-file", str(off), "-f", "json")
    assert "request-property-max-items-decreased" not in {i["id"] for i in json.loads(result.stdout)["items"]}
    bad = write("bad.txt", "# levels\nrequest-property-max-items-decreased fatal\n")
    result = run_apictl("diff", str(ECOMMERCE), str(new), "--severity-file", str(bad))
    assert result.returncode == 2 and result.stderr.startswith(f"{bad}:2:1: error:")


def test_ignore_file_by_id_method_and_path(write):
    new = _changed(write, "maxItems: 20", "maxItems: 10")
    result = run_apictl("diff", str(ECOMMERCE), str(new), "-f", "json", "--level", "ERR")
    ops = {i["extra"]["operation"] for i in json.loads(result.stdout)["items"]}
    assert len(ops) == 1
    method, path = ops.pop().split(" ", 1)
    ignore = write("ignore.txt", f"request-property-max-items-decreased {method} {path}  tags are capped, agreed 2026-11\n")
    assert run_apictl("diff", str(ECOMMERCE), str(new), "--ignore-file", str(ignore)).returncode == 0
    other = write("other.txt", "request-property-max-items-decreased DELETE /nothing\n")
    assert run_apictl("diff", str(ECOMMERCE), str(new), "--ignore-file", str(other)).returncode == 1
    glob = write("glob.txt", "request-property-* * /products*\n")
    assert run_apictl("diff", str(ECOMMERCE), str(new), "--ignore-file", str(glob)).returncode == 0


SHARED_EDIT = ("name: {type: string, minLength: 1, maxLength: 200}", "name: {type: string, minLength: 1, maxLength: 100}")
SHARED_OPS = ["POST /products", "PUT /products/{productId}"]


def test_a_shared_schema_change_is_reported_once_with_every_operation(write):
    new = _changed(write, *SHARED_EDIT)
    as_json = json.loads(run_apictl("diff", str(ECOMMERCE), str(new), "-f", "json").stdout)
    hits = [i for i in as_json["items"] if i["id"] == "request-property-max-length-decreased"]
    assert len(hits) == 1
    assert hits[0]["extra"]["operations"] == SHARED_OPS and hits[0]["extra"]["operation"] == SHARED_OPS[0]
    sarif = json.loads(run_apictl("diff", str(ECOMMERCE), str(new), "-f", "sarif").stdout)
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "request-property-max-length-decreased")
    assert result["properties"]["operations"] == SHARED_OPS
    for fmt in ("text", "markdown", "github", "junit"):
        out = run_apictl("diff", str(ECOMMERCE), str(new), "-f", fmt).stdout
        line = next(i for i, text in enumerate(out.splitlines()) if "maxLength decreased" in text)
        near = "\n".join(out.splitlines()[line:line + 2])
        assert all(op in near for op in SHARED_OPS), (fmt, near)


@pytest.mark.parametrize("op", SHARED_OPS)
def test_an_ignore_entry_for_any_affected_operation_accepts_a_shared_change(write, op):
    new = _changed(write, *SHARED_EDIT)
    method, path = op.split(" ")
    ignore = write("ignore.txt", f"request-property-max-length-decreased {method} {path} shorter names agreed\n")
    result = run_apictl("diff", str(ECOMMERCE), str(new), "--ignore-file", str(ignore), "-f", "json")
    assert result.returncode == 0, result.stdout
    assert "request-property-max-length-decreased" not in {i["id"] for i in json.loads(result.stdout)["items"]}


def test_input_errors_exit_2(write, tmp_path):
    missing = run_apictl("diff", str(ECOMMERCE), str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "file not found" in missing.stderr and "Traceback" not in missing.stderr
    assert run_apictl("diff", str(ECOMMERCE), str(ECOMMERCE), "--fail-on", "FATAL").returncode == 2
    assert run_apictl("diff", "stage:nope", str(ECOMMERCE)).returncode == 2
    assert run_apictl("diff", str(ECOMMERCE)).returncode == 2
    broken = write("broken.yaml", "openapi: 3.0.3\npaths: {a: [\n")
    result = run_apictl("diff", str(ECOMMERCE), str(broken))
    assert result.returncode == 2 and result.stderr.startswith(str(broken))


def test_formats_markdown_junit_sarif_github(write):
    new = _changed(write, "      operationId: clearCart", "      operationId: emptyCart")
    md = run_apictl("diff", str(ECOMMERCE), str(new), "-f", "markdown").stdout
    assert "## Other changes" in md and "**DELETE /cart**" in md
    junit = ET.fromstring(run_apictl("diff", str(ECOMMERCE), str(new), "-f", "junit").stdout)
    assert junit.tag == "testsuites"
    sarif = json.loads(run_apictl("diff", str(ECOMMERCE), str(new), "-f", "sarif").stdout)
    assert sarif["runs"][0]["results"][0]["ruleId"] == "api-operation-id-removed"
    removed = write("removed.yaml", ECOMMERCE.read_text().replace("  /orders/{orderId}:", "  /orders/{orderId}/old:"))
    gh = run_apictl("diff", str(ECOMMERCE), str(removed), "-f", "github")
    assert gh.returncode == 1
    assert "::error file=" in gh.stdout and "title=api-path-removed-without-deprecation" in gh.stdout


def test_output_is_deterministic(write):
    new = _changed(write, "maxItems: 20", "maxItems: 10")
    runs = {run_apictl("diff", str(ECOMMERCE), str(new), "-f", "json").stdout for _ in range(2)}
    assert len(runs) == 1


def _git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@e", "PATH": "/usr/bin:/bin"})


def test_git_side_takes_the_path_of_the_other_side(tmp_path):
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    spec = repo / "specs" / "api.yaml"
    spec.write_text(ECOMMERCE.read_text())
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "v1")
    spec.write_text(ECOMMERCE.read_text().replace("  /cart/items:\n", "  /cart/lines:\n"))
    result = run_apictl("diff", "git:HEAD", "specs/api.yaml", "-f", "json", cwd=repo)
    assert result.returncode == 1, result.stderr
    items = json.loads(result.stdout)["items"]
    removed = [i for i in items if i["id"] == "api-path-removed-without-deprecation"]
    assert removed and removed[0]["file"] == "git:HEAD:specs/api.yaml"
    assert run_apictl("diff", "git:HEAD:specs/api.yaml", "git:HEAD:specs/api.yaml", cwd=repo).returncode == 0
    assert run_apictl("diff", "git:nope", "specs/api.yaml", cwd=repo).returncode == 2


STAGES = """
stages:
  dev:
    spec: dev.yaml
    variables: {env: dev, fn: cart-dev}
    methodSettings:
      "*/*": {throttlingBurstLimit: 100, throttlingRateLimit: 50, loggingLevel: INFO}
    usagePlans:
      - {name: partners, throttle: {burstLimit: 10, rateLimit: 5}, quota: {limit: 1000, period: DAY}, apiKeys: [a]}
    domain: {domainName: dev.example.com, basePath: v2}
  prod:
    spec: prod.yaml
    variables: {env: prod, legacy: x}
    methodSettings:
      "*/*": {throttlingBurstLimit: 500, throttlingRateLimit: 200, loggingLevel: ERROR}
    usagePlans:
      - {name: partners, throttle: {burstLimit: 50, rateLimit: 20}, quota: {limit: 100000, period: MONTH}, apiKeys: [a, b]}
      - {name: internal, apiKeys: [c]}
    domain: {domainName: api.example.com, basePath: v1}
    canarySettings: {percentTraffic: 10}
"""


def test_promoting_a_stage_checks_the_api_and_lists_the_settings_it_keeps(write):
    write("prod.yaml", ECOMMERCE.read_text())
    write("dev.yaml", ECOMMERCE.read_text().replace("function:cart-${stageVariables.env}",
                                                    "function:${stageVariables.fn}").replace(
        "                quantity: {type: integer, minimum: 1, maximum: 99}",
        "                quantity: {type: integer, minimum: 1, maximum: 10}"))
    config = write("apictl.yaml", STAGES)
    result = run_apictl("diff", "--stages", "dev", "prod", "-f", "json", cwd=config.parent)
    assert result.returncode == 1, result.stderr
    items = json.loads(result.stdout)["items"]
    levels = {}
    for i in items:
        levels.setdefault(i["id"], set()).add(i["extra"]["level_name"])
    # what breaks prod's clients: the API change and a stage variable prod does not define
    assert levels["request-property-max-decreased"] == {"ERR"}
    assert levels["stage-variable-undefined-in-target"] == {"ERR"}
    # prod keeps its own settings: listed, never breaking
    assert levels["stage-setting-differs"] == {"INFO"}
    assert not {i for i in levels if i.startswith("stage-") and i not in (
        "stage-setting-differs", "stage-variable-undefined-in-target")}
    differs = [i["message"] for i in items if i["id"] == "stage-setting-differs"]
    assert any("usage plan 'internal'" in m and "prod keeps its own" in m for m in differs)
    assert any("domain" in m for m in differs) and any("stage variable 'legacy'" in m for m in differs)
    undefined = next(i for i in items if i["id"] == "stage-variable-undefined-in-target")
    assert "'fn'" in undefined["message"] and undefined["file"].endswith("dev.yaml")
    domain = next(i for i in items if i["id"] == "stage-setting-differs" and "domain" in i["message"])
    assert domain["file"].endswith("apictl.yaml")
    assert config.read_text().splitlines()[domain["line"] - 1].strip().startswith("domain:")


def test_promoting_the_bundled_example_passes_and_reads_in_the_users_order():
    text = run_apictl("diff", "--stages", "dev", "prod")
    assert text.returncode == 0, text.stdout + text.stderr
    assert text.stdout.startswith("apictl diff --stages dev prod: promoting stage dev to stage prod\n")
    assert "stage:prod stage:dev" not in text.stdout
    items = json.loads(run_apictl("diff", "--stages", "dev", "prod", "-f", "json").stdout)["items"]
    assert items and {i["extra"]["level_name"] for i in items} == {"INFO"}
    for item in items:
        assert item["message"].startswith("promoting dev to prod: "), item
        assert not re.search(r"\b(None|True|False)\b", item["message"]), item


def test_stage_comparison_messages_show_values_as_written(write):
    write("prod.yaml", ECOMMERCE.read_text())
    write("dev.yaml", ECOMMERCE.read_text())
    config = write("apictl.yaml", STAGES.replace("    canarySettings: {percentTraffic: 10}\n",
                                                 "    canarySettings: {percentTraffic: 10}\n    tracingEnabled: true\n"
                                                 "    cacheClusterEnabled: true\n    cacheClusterSize: '0.5'\n"))
    result = run_apictl("diff", "stage:prod", "stage:dev", "-f", "json", cwd=config.parent)
    messages = [i["message"] for i in json.loads(result.stdout)["items"]]
    assert any("tracingEnabled changed from true to unset" in m for m in messages), messages
    assert not [m for m in messages if re.search(r"\b(None|True|False)\b", m)]


def test_promotion_warns_about_method_settings_the_promoted_api_drops(write):
    write("prod.yaml", ECOMMERCE.read_text())
    dev = ECOMMERCE.read_text()
    start = dev.index("  /products:\n")
    end = dev.index("\n  /", start + 3)
    write("dev.yaml", dev[:start] + dev[end + 1:])
    config = write("apictl.yaml", STAGES.replace('"*/*": {throttlingBurstLimit: 500',
                                                 '"/products/GET": {cachingEnabled: true}\n      "*/*": {throttlingBurstLimit: 500'))
    items = json.loads(run_apictl("diff", "--stages", "dev", "prod", "-f", "json", cwd=config.parent).stdout)["items"]
    orphaned = [i for i in items if i["id"] == "stage-method-setting-orphaned"]
    assert len(orphaned) == 1 and "'/products/GET'" in orphaned[0]["message"]
    assert orphaned[0]["extra"]["level_name"] == "WARN"


def test_stage_sides_and_variable_removed_while_referenced(write):
    write("prod.yaml", ECOMMERCE.read_text())
    write("dev.yaml", ECOMMERCE.read_text())
    config = write("apictl.yaml", STAGES.replace("variables: {env: dev, fn: cart-dev}", "variables: {fn: cart-dev}"))
    result = run_apictl("diff", "stage:prod", "stage:dev", "-f", "json", cwd=config.parent)
    ids = {i["id"] for i in json.loads(result.stdout)["items"]}
    assert "stage-variable-removed-while-referenced" in ids
    assert result.returncode == 1


def _cyclic_spec(depth: int, leaf_max: int) -> str:
    lines = ["openapi: 3.0.3", "info: {title: t, version: '1'}", "paths:", "  /n:", "    get:", "      responses:",
             "        '200':", "          description: ok", "          content:", "            application/json:",
             f"              schema: {{$ref: '#/components/schemas/S{depth}'}}", "components:", "  schemas:",
             "    S0:", "      type: object", "      properties:",
             f"        leaf: {{type: string, maxLength: {leaf_max}}}", "        parent: {$ref: '#/components/schemas/S" +
             str(depth) + "'}"]
    for i in range(1, depth + 1):
        lines += [f"    S{i}:", "      allOf:", f"        - $ref: '#/components/schemas/S{i - 1}'",
                  f"        - $ref: '#/components/schemas/S{max(0, i - 2)}'", "        - type: object",
                  "          properties:", f"            self: {{$ref: '#/components/schemas/S{i}'}}",
                  f"            items: {{type: array, items: {{$ref: '#/components/schemas/S{i - 1}'}}}}"]
    return "\n".join(lines) + "\n"


def test_cyclic_schemas_and_big_allof_trees_stay_linear(write):
    old = write("old.yaml", _cyclic_spec(300, 10))
    new = write("new.yaml", _cyclic_spec(300, 20))
    start = time.monotonic()
    result = run_apictl("diff", str(old), str(new), "-f", "json", "--fail-on", "INFO")
    assert time.monotonic() - start < 30
    assert result.returncode == 1, result.stderr
    items = json.loads(result.stdout)["items"]
    assert [i["id"] for i in items] == ["response-property-max-length-increased"]
    assert items[0]["pointer"] == "/components/schemas/S0/properties/leaf/maxLength"


def test_levels_follow_contravariance_once():
    load_all_checks()
    checked = 0
    for kind, effect in KIND_EFFECTS.items():
        for where in ("body", "property"):
            for direction in ("request", "response"):
                check_id = f"{direction}-{where}-{kind}"
                if check_id in CHECKS and check_id not in LEVEL_EXCEPTIONS:
                    assert CHECKS[check_id].level == level_for(direction, effect), check_id
                    checked += 1
    assert checked > 150
    assert CHECKS["request-property-max-length-decreased"].level == ERR
    assert CHECKS["response-property-max-length-decreased"].level == INFO
    assert CHECKS["response-property-max-length-increased"].level == ERR
    assert CHECKS["request-property-max-length-increased"].level == INFO
    assert set(SITES) >= {("request", "body"), ("response", "property")}


@pytest.mark.e2e
def test_stripe_versions(tmp_path):
    corpus = need_corpus() / "stripe"
    out = tmp_path / "stripe.json"
    result = run_apictl("diff", str(corpus / "spec3-2022-06-01.yaml"), str(corpus / "spec3-2023-09-06.yaml"),
                        "-f", "json", "-o", str(out))
    assert result.returncode == 1, result.stderr
    items = json.loads(out.read_text())["items"]
    by_id = {}
    for i in items:
        by_id.setdefault(i["id"], []).append(i)
    assert any(i["extra"]["operation"] == "GET /v1/bitcoin/receivers" for i in by_id["api-path-removed-with-deprecation"])
    assert len(items) > 1000
