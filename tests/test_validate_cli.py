"""`apictl validate` as a user runs it: exit codes, positions, formats, config."""
from __future__ import annotations

import json

from conftest import ECOMMERCE, run_apictl

BROKEN = """
openapi: 3.0.3
info: {title: Shop, version: '1'}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      responses:
        '200': {description: ok}
  /pets/{name}:
    get:
      operationId: getPet
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Missing'}
"""


def test_ecommerce_example_is_clean():
    result = run_apictl("validate", str(ECOMMERCE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problems" in result.stdout
    assert "REST API" in result.stdout  # the inferred API type is reported


def test_findings_have_rule_position_and_pointer(write):
    spec = write("api.yaml", BROKEN)
    result = run_apictl("validate", str(spec), "--format", "json")
    assert result.returncode == 1
    items = json.loads(result.stdout)["items"]
    by_rule = {i["id"]: i for i in items}
    assert by_rule["operation-id-duplicate"]["line"] == 11
    assert by_rule["operation-id-duplicate"]["pointer"] == "/paths/~1pets~1{name}/get/operationId"
    assert by_rule["path-param-undeclared"]["line"] == 5
    assert by_rule["path-ambiguous"]["line"] == 9
    assert by_rule["ref-unresolved"]["line"] == 19
    assert by_rule["ref-unresolved"]["column"] == 24
    assert all(i["file"].endswith("api.yaml") for i in items)


def test_text_output_groups_by_file_and_counts(write):
    spec = write("api.yaml", BROKEN)
    result = run_apictl("validate", str(spec))
    assert result.returncode == 1
    assert "5:5" in result.stdout and "[path-param-undeclared]" in result.stdout
    assert result.stdout.rstrip().endswith("(4 errors)")


def test_fail_on_warning_turns_warnings_into_failure(write):
    spec = write("api.yaml", """
        openapi: 3.0.3
        info: {title: x, version: '1'}
        paths:
          /a:
            get:
              responses: {'200': {description: ok}}
    """)
    assert run_apictl("validate", str(spec)).returncode == 0
    result = run_apictl("validate", str(spec), "--fail-on", "warning")
    assert result.returncode == 1
    assert "operation-id-missing" in result.stdout


def test_bad_yaml_is_one_line_with_position_and_exit_2(write):
    spec = write("bad.yaml", "openapi: 3.0.3\ninfo: [unclosed\n")
    result = run_apictl("validate", str(spec))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{spec}:") and "error: invalid YAML" in lines[0]
    assert "Traceback" not in result.stderr


def test_missing_file_and_bad_flags_exit_2(tmp_path):
    missing = run_apictl("validate", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "file not found" in missing.stderr
    bad_format = run_apictl("validate", str(ECOMMERCE), "--format", "xml")
    assert bad_format.returncode == 2 and "--format" in bad_format.stderr


def test_sarif_and_junit_and_github_outputs(write):
    spec = write("api.yaml", BROKEN)
    sarif = json.loads(run_apictl("validate", str(spec), "-f", "sarif").stdout)
    assert sarif["version"] == "2.1.0"
    result = sarif["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
    rule_ids = [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]
    assert rule_ids[result["ruleIndex"]] == result["ruleId"]
    github = run_apictl("validate", str(spec), "-f", "github").stdout
    assert "::error file=" in github and ",line=11," in github
    junit = run_apictl("validate", str(spec), "-f", "junit").stdout
    assert junit.startswith("<?xml") and "<failure" in junit


def test_config_overrides_ignores_and_inline_ignore(write, tmp_path):
    spec = write("api.yaml", BROKEN)
    write("apictl.yaml", """
        rules:
          operation-id-duplicate: warning
          path-ambiguous: off
        ignore:
          - rule: ref-unresolved
            pointer: /paths/*
    """)
    items = json.loads(run_apictl("validate", str(spec), "-f", "json", cwd=tmp_path).stdout)["items"]
    levels = {i["id"]: i["level"] for i in items}
    assert levels == {"operation-id-duplicate": "warning", "path-param-undeclared": "error"}
    inline = write("inline.yaml", BROKEN.replace("  /pets/{id}:\n    get:\n", "  /pets/{id}:\n    get:\n      x-apictl-ignore: [path-param-undeclared]\n"))
    ids = {i["id"] for i in json.loads(run_apictl("validate", str(inline), "-f", "json", cwd=tmp_path).stdout)["items"]}
    assert "path-param-undeclared" not in ids


def test_unknown_rule_in_config_is_an_input_error(write, tmp_path):
    write("apictl.yaml", "rules:\n  no-such-rule: off\n")
    result = run_apictl("validate", str(ECOMMERCE), cwd=tmp_path)
    assert result.returncode == 2
    assert "apictl.yaml:2:1: error: unknown rule id 'no-such-rule'" in result.stderr


def test_baseline_hides_known_findings_but_not_new_ones(write, tmp_path):
    spec = write("api.yaml", BROKEN)
    baseline = tmp_path / "base.json"
    assert run_apictl("validate", str(spec), "--baseline", str(baseline), "--write-baseline").returncode == 0
    assert json.loads(baseline.read_text())["findings"]
    assert run_apictl("validate", str(spec), "--baseline", str(baseline)).returncode == 0
    spec.write_text(spec.read_text().replace("/pets/{id}:", "/pets/{id}/x/{y}:"))
    again = run_apictl("validate", str(spec), "--baseline", str(baseline), "-f", "json")
    assert again.returncode == 1
    assert any("{y}" in i["message"] for i in json.loads(again.stdout)["items"])


def test_rules_lists_and_explains():
    listing = run_apictl("rules")
    assert listing.returncode == 0 and "operation-id-duplicate" in listing.stdout
    explain = run_apictl("rules", "path-param-undeclared")
    assert "Fix:" in explain.stdout and "Example" in explain.stdout
    assert run_apictl("rules", "nope").returncode == 2


def test_version_and_help():
    assert run_apictl("--version").stdout.startswith("apictl ")
    for command in ("validate", "lint", "rules"):
        assert run_apictl(command, "--help").returncode == 0
