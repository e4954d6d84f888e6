"""Inputs that used to give a traceback or a wrong answer (issue 11): each is one positioned line and exit 2,
or the right result, in every command."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_apictl

POSITIONED = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): error: \S.*$")


def positioned_error(result: subprocess.CompletedProcess) -> re.Match:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    match = POSITIONED.match(lines[0])
    assert match, lines[0]
    return match


def api(schemas: dict | None = None, **extra) -> dict:
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"post": {"operationId": "postA", "requestBody": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/S0"}}}},
                "responses": {"200": {"description": "ok"}}}}},
            "components": {"schemas": schemas or {"S0": {"type": "object"}}}, **extra}


@pytest.fixture
def stage(tmp_path):
    """Write a spec and an apictl.yaml whose dev stage uses it."""
    def _stage(name: str, text: str) -> Path:
        (tmp_path / name).write_text(text, encoding="utf-8")
        (tmp_path / "apictl.yaml").write_text(f"stages:\n  dev: {{spec: {name}}}\n")
        return tmp_path
    return _stage


ALL_COMMANDS = [
    ("validate", "{spec}"), ("diff", "{spec}", "{spec}"), ("plan", "--stage", "dev"),
    ("export", "-f", "sam", "--stage", "dev"), ("sdk", "{spec}", "--lang", "js", "--out", "sdk-out"),
]


def run_all(folder: Path, spec: str):
    for command in ALL_COMMANDS:
        yield command[0], run_apictl(*(a.format(spec=spec) for a in command), cwd=folder)


def test_lone_surrogate_in_json_is_positioned_in_every_command(stage):
    text = json.dumps(api()).replace('"title": "t"', '"title": "\\ud800"')
    folder = stage("api.json", text)
    for command, result in run_all(folder, "api.json"):
        match = positioned_error(result)
        assert (match["file"], match["line"], match["col"]) == ("api.json", "1", str(text.index("\\ud800") + 1)), command
        assert "half of a UTF-16 surrogate pair" in result.stderr
    assert not (folder / "sdk-out").exists()
    pair = json.dumps(api()).replace('"title": "t"', '"title": "\\ud83d\\ude00"')  # a real pair is fine
    (folder / "api.json").write_text(pair)
    assert run_apictl("validate", "api.json", cwd=folder).returncode == 0


def test_symlink_loops_never_crash(stage, tmp_path):
    (tmp_path / "l1").symlink_to("l2")
    (tmp_path / "l2").symlink_to("l1")
    spec = api({"S0": {"$ref": "l1#/x"}})
    folder = stage("api.json", json.dumps(spec))
    for command, result in run_all(folder, "api.json"):
        assert "Traceback" not in result.stderr, (command, result.stderr)
        if result.returncode == 2:
            positioned_error(result)
            assert "too many levels of symbolic links" in result.stderr
        else:
            assert result.returncode in (0, 1), (command, result.stderr)
    result = run_apictl("validate", "api.json", "-f", "json", cwd=folder)
    [finding] = [i for i in json.loads(result.stdout)["items"] if i["id"] == "ref-target-unreadable"]
    assert "too many levels of symbolic links" in finding["message"] and finding["line"] == 1
    (folder / "apictl.yaml").write_text("stages:\n  dev: {spec: l1}\n")
    for command, result in run_all(folder, "l1"):
        match = positioned_error(result)
        assert match["file"] == "l1" and "too many levels of symbolic links" in result.stderr, command


def test_keys_1_and_true_are_two_keys(tmp_path):
    text = ("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n"
            "      type: object\n      properties:\n        1: {type: string}\n        true: {type: string}\n")
    (tmp_path / "a.yaml").write_text(text)
    result = run_apictl("validate", "a.yaml", "-f", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert run_apictl("diff", "a.yaml", "a.yaml", cwd=tmp_path).returncode == 0
    (tmp_path / "b.yaml").write_text(text + "        '1': {type: integer}\n")  # a real duplicate, placed exactly
    match = positioned_error(run_apictl("validate", "b.yaml", cwd=tmp_path))
    assert (match["line"], match["col"]) == ("11", "9") and "duplicate mapping key '1'" in match.group(0)


def test_git_folder_is_named_as_a_folder():
    result = run_apictl("validate", "git:HEAD:specs")
    if "not inside a git repository" in result.stderr:
        pytest.skip("the repository is not a git checkout here")
    match = positioned_error(result)
    assert match.group(0).endswith("'specs' is a folder at revision HEAD, not a file")
    match = positioned_error(run_apictl("diff", "git:HEAD:specs", "specs/ecommerce.yaml"))
    assert "is a folder at revision HEAD" in match.group(0)
    result = run_apictl("validate", "git:--output=x:specs/ecommerce.yaml")  # never passed to git as an option
    assert result.returncode == 2 and result.stderr.endswith("'--output=x' is not a git revision\n")


def chain(depth: int) -> dict:
    """S0 allOf S1 allOf ... S<depth>: a chain of schemas through $ref with no nesting inside any one of them."""
    schemas = {f"S{i}": {"allOf": [{"$ref": f"#/components/schemas/S{i + 1}"}],
                         "properties": {f"p{i}": {"type": "string"}}} for i in range(depth)}
    schemas[f"S{depth}"] = {"type": "object", "properties": {"z": {"type": "string"}}}
    return api(schemas)


@pytest.mark.parametrize("lang", ["python", "js", "ios", "android"])
def test_schema_chains_are_depth_bounded_in_the_sdk(tmp_path, lang):
    (tmp_path / "deep.json").write_text(json.dumps(chain(300)))
    match = positioned_error(run_apictl("sdk", "deep.json", "--lang", lang, "--out", "out", cwd=tmp_path))
    assert "schemas nest more than 256 levels deep here" in match.group(0) and match["file"] == "deep.json"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep.json"]
    if lang in ("js", "android"):  # 200 levels work (Python and Swift too, only slower: no need to wait for them)
        (tmp_path / "ok.json").write_text(json.dumps(chain(200)))
        result = run_apictl("sdk", "ok.json", "--lang", lang, "--out", "out", cwd=tmp_path)
        assert result.returncode == 0, result.stderr


def test_schema_chains_never_overflow_in_diff_or_validate(tmp_path):
    """diff walks schemas without recursion, so a 3,000-long chain of $refs is just compared."""
    n = 3000
    base = api({f"P{i}": {"type": "object", "properties": {"next": {"$ref": f"#/components/schemas/P{i + 1}"}}}
                for i in range(n)} | {f"P{n}": {"type": "string"}, "S0": {"$ref": "#/components/schemas/P0"}})
    rev = json.loads(json.dumps(base))
    rev["components"]["schemas"][f"P{n}"]["type"] = "integer"
    (tmp_path / "base.json").write_text(json.dumps(base))
    (tmp_path / "rev.json").write_text(json.dumps(rev))
    result = run_apictl("diff", "base.json", "rev.json", "-f", "json", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert json.loads(result.stdout)["summary"]["error"] >= 1
    for name in ("base.json", "rev.json"):
        assert run_apictl("validate", name, cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("lang", ["ios", "android", "python", "js"])
def test_names_too_long_for_a_file_are_shortened_and_kept_apart(tmp_path, lang):
    """A 300-character schema name or title (a Swift/Java file per model, a package folder per title) gives an SDK
    whose every file name fits in 255 bytes; two names that differ only at their end stay two types."""
    stem = "L" + "l" * 298
    spec = api({"S0": {"$ref": f"#/components/schemas/{stem}a"}, "S1": {"$ref": f"#/components/schemas/{stem}b"},
                f"{stem}a": {"type": "object", "properties": {"a": {"type": "string"}}},
                f"{stem}b": {"type": "object", "properties": {"b": {"type": "integer"}}}})
    spec["info"]["title"] = "A title that goes on " * 15
    (tmp_path / "long.json").write_text(json.dumps(spec, indent=1))
    result = run_apictl("sdk", "long.json", "--lang", lang, "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    files = [p for p in (tmp_path / "out").rglob("*")]
    assert max(len(os.fsencode(p.name)) for p in files) <= 255
    if lang in ("ios", "android"):
        models = {p.stem for p in files if p.stem.lower().startswith("llll")}
        assert len(models) == 2 and all(len(name) <= 200 for name in models), models


@pytest.mark.parametrize("lang", ["ios", "android", "python", "js"])
def test_a_title_that_is_a_deep_object_gives_an_sdk(tmp_path, lang):
    """Found by tests/test_robustness_fuzz.py: an object title 50 levels deep named the package ItemsItems..."""
    title: dict = {"type": "object"}
    for _ in range(50):
        title = {"items": title}
    spec = api({"S0": {"type": "string"}})
    spec["info"]["title"] = title
    (tmp_path / "deep.json").write_text(json.dumps(spec))
    result = run_apictl("sdk", "deep.json", "--lang", lang, "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert max(len(os.fsencode(p.name)) for p in (tmp_path / "out").rglob("*")) <= 255


def test_nul_in_a_config_path_is_one_line(tmp_path):
    (tmp_path / "apictl.yaml").write_text('specs: ["a\\0b.yaml"]\nstages:\n  dev: {spec: "a\\0b.yaml"}\n')
    for command in (["validate"], ["plan", "--stage", "dev"]):
        result = run_apictl(*command, cwd=tmp_path)
        assert result.returncode == 2 and "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_unreadable_side_files_are_one_line(tmp_path):
    (tmp_path / "a.yaml").write_text((ROOT / "specs" / "ecommerce.yaml").read_text())
    os.mkfifo(tmp_path / "fifo")
    for option in ("--severity-file", "--ignore-file"):
        for target in ("/dev/zero", "fifo", "missing.txt", "x" * 300):
            result = run_apictl("diff", "a.yaml", "a.yaml", option, target, cwd=tmp_path, timeout=30)
            assert result.returncode == 2 and len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    (tmp_path / "base.json").write_text("[" * 100000)
    result = run_apictl("validate", "a.yaml", "--baseline", "base.json", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["9" * 5000, "0x" + "f" * 4000, "-" + "1" * 4400], ids=["decimal", "hex", "negative"])
def test_yaml_integers_too_long_to_print_are_positioned_in_every_command(stage, value):
    """YAML has no digit limit (and 0x/0o forms none at all), but Python cannot print an integer of more than 4,300
    digits: plan, export and deploy hashed the body with json.dumps and crashed (the JSON parser refused them)."""
    text = f"openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nx-list:\n  - 1\n  - {value}\n"
    folder = stage("api.yaml", text)
    for command, result in run_all(folder, "api.yaml"):
        match = positioned_error(result)
        assert (match["line"], match["col"]) == ("6", "5"), (command, result.stderr)
        assert "integer with more than 4,300 digits" in result.stderr
    (folder / "api.yaml").write_text(text.replace(value, "9" * 4300))  # the largest that prints is fine
    assert run_apictl("plan", "--stage", "dev", cwd=folder).returncode == 0


def test_template_values_of_the_wrong_type_are_not_looked_up(tmp_path):
    """A resource `Type` that is a mapping or a list (found by the robustness suite) was used as a table key."""
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
        "Api": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "prod", "DefinitionBody": api()}},
        "Odd": {"Type": {"$ref": "#"}, "Properties": {}},
        "Odder": {"Type": ["AWS::ApiGateway::Stage"], "Properties": {"RestApiId": {"Ref": "Api"}}}}}
    (tmp_path / "template.json").write_text(json.dumps(template))
    (tmp_path / "apictl.yaml").write_text("stages:\n  dev: {spec: template.json}\n")
    for args in (["validate", "template.json"], ["diff", "template.json", "template.json"], ["plan", "--stage", "dev"]):
        result = run_apictl(*args, cwd=tmp_path)
        assert "Traceback" not in result.stderr and result.returncode in (0, 1), (args, result.stderr)


def test_output_below_a_file_names_the_real_reason(tmp_path):
    (tmp_path / "a.yaml").write_text((ROOT / "specs" / "ecommerce.yaml").read_text())
    (tmp_path / "report").write_text("a file")
    for args, what in ((["validate", "a.yaml", "-o", "report/r.json"], "output"),
                       (["validate", "a.yaml", "-o", "report/deeper/r.json"], "output"),
                       (["sdk", "a.yaml", "--lang", "js", "--out", "report/sdk"], "SDK")):
        result = run_apictl(*args, cwd=tmp_path)
        assert result.returncode == 2 and result.stderr.splitlines() == [
            f"{args[-1]}: error: cannot write {what}: a part of the path is not a folder"], result.stderr
    assert (tmp_path / "report").read_text() == "a file"


def test_a_pipe_is_named_as_a_pipe_not_as_a_missing_file(tmp_path):
    """`apictl validate <(cat api.yaml)` names /dev/fd/N, a link to "pipe:[...]": that is not a missing file."""
    read, write = os.pipe()
    try:
        os.write(write, b"openapi: 3.0.3\n")
        os.close(write)
        result = subprocess.run([sys.executable, "-m", "apictl", "validate", f"/dev/fd/{read}"], cwd=tmp_path,
                                pass_fds=(read,), env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                                text=True, timeout=60)
    finally:
        os.close(read)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"/dev/fd/{read}:1:1: error: is not a regular file (a device, pipe or socket)"]


def test_a_baseline_that_never_ends_is_refused(tmp_path):
    """--baseline /dev/zero read until memory ran out (killed), a FIFO hung: side files are read like specs."""
    (tmp_path / "a.yaml").write_text((ROOT / "specs" / "ecommerce.yaml").read_text())
    os.mkfifo(tmp_path / "fifo")
    for target in ("/dev/zero", "fifo"):
        result = run_apictl("validate", "a.yaml", "--baseline", target, cwd=tmp_path, timeout=30)
        assert result.returncode == 2
        assert result.stderr.splitlines() == [f"{target}:1:1: error: is not a regular file (a device, pipe or socket)"]


def test_a_state_that_never_ends_is_refused(tmp_path):
    """--state /dev/zero or a FIFO: read like a spec (bounded, regular files only), never until memory runs out."""
    (tmp_path / "a.yaml").write_text((ROOT / "specs" / "ecommerce.yaml").read_text())
    (tmp_path / "apictl.yaml").write_text("stages:\n  dev: {spec: a.yaml}\n")
    os.mkfifo(tmp_path / "fifo")
    for target in ("/dev/zero", "fifo"):
        result = run_apictl("plan", "--stage", "dev", "--state", target, cwd=tmp_path, timeout=60)
        assert result.returncode == 2
        assert result.stderr.splitlines() == [f"{target}:1:1: error: is not a regular file (a device, pipe or socket)"]
