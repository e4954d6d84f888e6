"""Many specs: folders as inputs, the process pool, the result cache and --shard, checked by what a user sees
(reports, exit codes, files on disk), never by timing."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_apictl

GOOD = """openapi: 3.0.3
info: {{title: Spec {n}, version: '1'}}
paths:
  /items{n}/{{id}}:
    get:
      operationId: get{n}
      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: 'common.yaml#/Item'}}}}}}}}
"""
BROKEN = "openapi: 3.0.3\ninfo: {title: broken}\npaths:\n  /a: {get: {responses: {'200': {description: ok}}}}\n"
COMMON = "Item:\n  type: object\n  properties: {id: {type: string}}\n  example: {id: x}\n"
TEMPLATE = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        openapi: 3.0.1
        info: {title: In a template, version: '1'}
        paths:
          /x:
            get:
              responses: {'200': {description: ok}}
              x-amazon-apigateway-integration: {type: mock, requestTemplates: {application/json: '{"statusCode": 200}'}}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository with 12 specs sharing a $ref'd file, one broken spec, a SAM template, and YAML that is not
    an API (a fragment, a config of another tool)."""
    (tmp_path / ".git").mkdir()
    specs = tmp_path / "specs"
    (specs / "team-b").mkdir(parents=True)
    for n in range(12):
        (specs / ("team-b" if n % 2 else "") / f"api{n}.yaml").write_text(GOOD.format(n=n))
    (specs / "team-b" / "common.yaml").write_text(COMMON)
    (specs / "common.yaml").write_text(COMMON)
    (specs / "broken.yaml").write_text(BROKEN)
    (specs / "template.yaml").write_text(TEMPLATE)
    (specs / "other-tool.yml").write_text("jobs: {build: {runs-on: ubuntu}}\n")
    (specs / ".hidden").mkdir()
    (specs / ".hidden" / "skipped.yaml").write_text(BROKEN)
    return tmp_path


def validate(cwd: Path, *args: str):
    result = run_apictl("validate", "-f", "json", *args, cwd=cwd)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def files_of(result) -> list[str]:
    return json.loads(result.stdout)["files"]


def test_a_folder_is_every_api_below_it(project):
    result = validate(project, "specs", "--no-cache")
    assert result.returncode == 1  # the broken spec
    files = files_of(result)
    assert len(files) == 14 and "specs/template.yaml" in files and "specs/broken.yaml" in files
    assert not any("common" in f or "other-tool" in f or ".hidden" in f for f in files)
    listed = sorted(str(p.relative_to(project)) for p in (project / "specs").rglob("*.yaml")
                    if "common" not in p.name and ".hidden" not in str(p))
    assert validate(project, *listed, "--no-cache").stdout == result.stdout


def test_the_pool_gives_the_report_of_a_single_process(project):
    (project / "specs" / "unreadable.yaml").write_text("openapi: [unclosed\n")
    one = validate(project, "specs", "--no-cache", "-j", "1")
    many = validate(project, "specs", "--no-cache", "-j", "4")
    assert one.returncode == many.returncode == 2
    assert one.stdout == many.stdout and one.stderr == many.stderr
    assert "specs/unreadable.yaml:1:" in many.stderr


def test_an_unchanged_rerun_reads_the_cache_and_a_change_is_never_missed(project):
    first = validate(project, "specs")
    entries = sorted((project / ".apictl_cache").rglob("*.json"))
    assert len(entries) == 17  # one per YAML file (fragments and the tool config as skipped)
    assert (project / ".apictl_cache" / ".gitignore").read_text().strip().endswith("*")
    assert validate(project, "specs").stdout == first.stdout
    assert sorted((project / ".apictl_cache").rglob("*.json")) == entries  # nothing new: every result came from it

    # the cache is what answers: a result planted in it is what the report shows
    for entry in entries:
        data = json.loads(entry.read_text())
        for item in data["result"]["items"]:
            item["message"] = "from the cache"
        entry.write_text(json.dumps(data))
    assert "from the cache" in validate(project, "specs").stdout
    assert "from the cache" not in validate(project, "specs", "--no-cache").stdout

    # edit the spec: validated again
    spec = project / "specs" / "broken.yaml"
    spec.write_text(BROKEN.replace("title: broken", "title: broken, version: '2'"))
    assert validate(project, "specs").returncode == 0


def test_a_changed_referenced_file_is_a_miss(project):
    common = project / "specs" / "common.yaml"
    assert validate(project, "specs/api0.yaml").returncode == 0
    common.write_text(COMMON.replace("Item:", "Thing:"))  # the $ref no longer resolves
    changed = validate(project, "specs/api0.yaml")
    assert changed.returncode == 1 and "ref-unresolved" in changed.stdout
    common.unlink()  # a missing target
    missing = validate(project, "specs/api0.yaml")
    assert missing.returncode == 1 and "ref-target-unreadable" in missing.stdout
    common.write_text(COMMON)  # back: the first result again
    assert "ref-target-unreadable" not in validate(project, "specs/api0.yaml").stdout


def test_config_and_options_are_part_of_the_key(project):
    assert validate(project, "specs/broken.yaml").returncode == 1
    (project / "apictl.yaml").write_text("rules:\n  oas-schema: warning\n")
    assert validate(project, "specs/broken.yaml").returncode == 0
    assert validate(project, "specs/broken.yaml", "--fail-on", "warning").returncode == 1
    assert "REST API" in run_apictl("validate", "specs/template.yaml", cwd=project).stdout
    assert validate(project, "specs/template.yaml", "--api-type", "http").stdout != \
        validate(project, "specs/template.yaml").stdout


def test_no_cache_writes_nothing_and_a_damaged_entry_is_a_miss(project):
    validate(project, "specs", "--no-cache")
    assert not (project / ".apictl_cache").exists()
    first = validate(project, "specs")
    for entry in (project / ".apictl_cache").rglob("*.json"):
        entry.write_text("{not json")
    assert validate(project, "specs").stdout == first.stdout


def test_a_cache_that_cannot_be_written_is_said_once_and_results_stay_right(project):
    (project / ".apictl_cache").write_text("a file where the cache folder would go\n")
    result = validate(project, "specs")
    assert result.returncode == 1 and result.stderr.count("results not cached") == 1
    assert result.stdout == validate(project, "specs", "--no-cache").stdout


def test_shards_split_the_files_the_same_way_whatever_the_order(project):
    everything = files_of(validate(project, "specs", "--no-cache"))
    shards = [files_of(validate(project, "specs", "--shard", f"{k}/3")) for k in (1, 2, 3)]
    assert sorted(f for s in shards for f in s) == sorted(everything)  # each file in exactly one shard
    assert max(map(len, shards)) - min(map(len, shards)) <= 1
    names = sorted(str(p.relative_to(project)) for p in (project / "specs").glob("*.yaml"))
    forward = files_of(validate(project, *names, "--shard", "2/2"))
    backward = files_of(validate(project, *reversed(names), "--shard", "2/2"))
    assert sorted(forward) == sorted(backward)


@pytest.mark.parametrize("value", ["0/3", "4/3", "2", "a/b", "1/0"])
def test_a_bad_shard_is_a_usage_error(project, value):
    result = validate(project, "specs", "--shard", value)
    assert result.returncode == 2
    assert result.stderr.strip() == f"apictl: error: --shard must be K/N with 1 <= K <= N (e.g. 2/4), not '{value}'"


def test_a_folder_without_specs_is_an_error_not_the_configs_specs(project):
    (project / "apictl.yaml").write_text("specs:\n  - specs/broken.yaml\n")
    (project / "empty" / "nested").mkdir(parents=True)
    result = run_apictl("validate", "empty", "-f", "json", cwd=project)
    assert result.returncode == 2
    assert result.stderr.strip() == "empty: error: no .yaml, .yml or .json files found in the folder(s) given"
    # the JSON report says so too (issue 11: a failed run never reads as clean), and checked no file
    report = json.loads(result.stdout)
    assert report["files"] == [] and report["items"] == [] and report["summary"]["input_errors"] == 1
    assert report["errors"][0]["message"] == "no .yaml, .yml or .json files found in the folder(s) given"
    configured = run_apictl("validate", "-f", "json", cwd=project)  # no input at all: the config's specs
    files = json.loads(configured.stdout)["files"]
    assert configured.returncode == 1 and len(files) == 1 and files[0].endswith("specs/broken.yaml")
