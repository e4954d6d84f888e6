"""The GitHub Action (action.yml), its steps run here as the runner runs them: each `run:` step in bash
with its `env:`, its working directory and the runner's files (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY),
`${{ ... }}` expressions filled in from the inputs, the event and earlier steps' outputs. The `uses:`
steps (setup-python, upload-sarif) are GitHub's; the test checks what they are given. The install
step is not run (apictl is installed here already); its command is checked."""
from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import ECOMMERCE, ROOT

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def action() -> dict:
    return YAML(typ="safe").load((ROOT / "action.yml").read_text())


@dataclass
class ActionRun:
    code: int
    stdout: str
    stderr: str
    summary: str
    outputs: dict
    uses: list = field(default_factory=list)  # (action, evaluated `with`) of the steps that ran

    def annotations(self) -> list[tuple[str, dict, str]]:
        out = []
        for line in self.stdout.splitlines():
            if line.startswith("::"):
                command, _, rest = line[2:].partition(" ")
                props, _, message = rest.partition("::")
                out.append((command, dict(p.split("=", 1) for p in props.split(",") if "=" in p), message))
        return out


def run_action(workspace: Path, inputs: dict, event: dict | None = None, tmp: Path | None = None) -> ActionRun:
    spec = action()
    assert spec["runs"]["using"] == "composite"
    tmp = tmp or workspace.parent
    values = {name: str(body.get("default", "")) for name, body in spec["inputs"].items()}
    values.update(inputs)
    context = {"inputs": values, "github": {"event": event or {}, "action_path": str(ROOT)}, "steps": {}}
    summary, output_file, runner_temp = tmp / "summary.md", tmp / "output.txt", tmp / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    summary.write_text("")
    failed, stdout, stderr, code, uses = False, "", "", 0, []

    def evaluate(text: str) -> str:
        def one(match: re.Match) -> str:
            node = context
            for part in match[1].split("."):
                node = node.get(part, "") if isinstance(node, dict) else ""
            return str(node)
        return EXPRESSION.sub(one, str(text))

    for step in spec["runs"]["steps"]:
        condition = step.get("if", "")
        if failed and "always()" not in condition:
            continue
        if "uses" in step:
            if condition and not _condition_holds(condition, context):
                continue
            uses.append((step["uses"], {k: evaluate(v) for k, v in (step.get("with") or {}).items()}))
            continue
        if step.get("id") == "install":
            assert step["run"].strip() == ('python -m pip install --disable-pip-version-check --quiet '
                                           '"$GITHUB_ACTION_PATH"')
            continue
        output_file.write_text("")
        env = {**os.environ, **GIT_ENV, "PYTHONPATH": str(ROOT), "GITHUB_ACTION_PATH": str(ROOT),
               "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output_file),
               "RUNNER_TEMP": str(runner_temp), "CI": "true", "GITHUB_ACTIONS": "true"}
        env.update({k: evaluate(v) for k, v in (step.get("env") or {}).items()})
        cwd = workspace / evaluate(step.get("working-directory", "."))
        assert step["shell"] == "bash"
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", evaluate(step["run"])],
                                cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        stdout += result.stdout
        stderr += result.stderr
        outputs = dict(line.split("=", 1) for line in output_file.read_text().splitlines() if "=" in line)
        context["steps"][step.get("id", "")] = {"outputs": outputs}
        if result.returncode != 0:
            failed, code = True, result.returncode
    outputs = {name: evaluate(body["value"]) for name, body in spec["outputs"].items()}
    return ActionRun(code, stdout, stderr, summary.read_text(), outputs, uses)


def _condition_holds(condition: str, context: dict) -> bool:
    """The upload step's condition, which this test knows: always() && sarif == 'true' && sarif-dir != ''."""
    assert condition == "${{ always() && inputs.sarif == 'true' && steps.run.outputs.sarif-dir != '' }}"
    return context["inputs"]["sarif"] == "true" and bool(context["steps"].get("run", {}).get("outputs", {})
                                                           .get("sarif-dir"))


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, **GIT_ENV}, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


BAD = """\
openapi: 3.0.3
info: {title: Bad, version: '1'}
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      responses:
        '200': {description: ok}
"""


def test_the_action_has_the_inputs_the_issue_names():
    spec = action()
    assert {"command", "base", "specs", "fail-on", "sarif"} <= set(spec["inputs"])
    steps = spec["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif@") for s in steps)


def test_validate_annotates_summarises_and_uploads_sarif(tmp_path):
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    (repo / "specs" / "bad.yaml").write_text(BAD)
    (repo / "specs" / "good.yaml").write_text(ECOMMERCE.read_text())
    git(repo, "init", "-q", "-b", "main")
    run = run_action(repo, {"specs": "specs/*.yaml", "sarif": "true"}, tmp=tmp_path)
    assert run.code == 1, run.stderr
    assert run.outputs["exit-code"] == "1"
    errors = [a for a in run.annotations() if a[0] == "error"]
    assert errors and errors[0][1]["file"] == "specs/bad.yaml" and errors[0][1]["title"] == "path-param-undeclared"
    assert "### apictl lint" in run.summary and "path-param-undeclared" in run.summary
    assert "specs/bad.yaml:4:" in run.summary or "specs/bad.yaml:5:" in run.summary
    (uses, given), = [u for u in run.uses if "upload-sarif" in u[0]]
    assert given["category"] == "apictl-validate"
    sarif = json.loads((Path(given["sarif_file"]) / "apictl-validate.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"path-param-undeclared"}

    clean = run_action(repo, {"specs": "specs/good.yaml", "fail-on": "warning"}, tmp=tmp_path)
    assert clean.code == 0 and clean.outputs["exit-code"] == "0", clean.stdout + clean.stderr
    assert "Nothing to report." in clean.summary
    assert not any("upload-sarif" in u[0] for u in clean.uses)  # sarif: false


def _pull_request(tmp_path: Path) -> tuple[Path, str]:
    """A repository whose main has the e-commerce spec, and a branch (checked out) that changes it."""
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    (repo / "specs" / "ecommerce.yaml").write_text(ECOMMERCE.read_text())
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "feature")
    text = ECOMMERCE.read_text()
    assert "  /orders/{orderId}:" in text
    (repo / "specs" / "ecommerce.yaml").write_text(text.replace("  /orders/{orderId}:", "  /orders/{orderId}/v2:"))
    (repo / "specs" / "new.yaml").write_text(BAD.replace("/pets/{petId}", "/pets"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change")
    return repo, base


def test_diff_against_the_pull_request_base(tmp_path):
    repo, base = _pull_request(tmp_path)
    event = {"pull_request": {"base": {"sha": base}}}
    run = run_action(repo, {"command": "diff", "specs": "specs/ecommerce.yaml specs/new.yaml", "sarif": "true"},
                     event, tmp=tmp_path)
    assert run.code == 1, run.stdout + run.stderr
    titles = {props.get("title") for _, props, _ in run.annotations()}
    assert "api-path-removed-without-deprecation (GET /orders/{orderId})" in titles
    assert f"## apictl diff against `{base[:12]}`" in run.summary
    assert "Breaking changes" in run.summary and "**GET /orders/{orderId}**" in run.summary
    assert "New spec" in run.summary and "`specs/new.yaml`" in run.summary
    (_, given), = [u for u in run.uses if "upload-sarif" in u[0]]
    assert given["category"] == "apictl-diff"
    sarif = json.loads((Path(given["sarif_file"]) / "apictl-diff.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert any(r["ruleId"] == "api-path-removed-without-deprecation" for r in results)
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert [p.name for p in Path(given["sarif_file"]).iterdir()] == ["apictl-diff.sarif"]

    # a new operation is INFO: it blocks nothing at the default fail-on, and fails at fail-on: info
    (repo / "specs" / "ecommerce.yaml").write_text(ECOMMERCE.read_text().replace(
        "  /orders/{orderId}:", "  /health:\n    get:\n      operationId: health\n      responses:\n"
        "        '200': {description: ok}\n  /orders/{orderId}:"))
    relaxed = run_action(repo, {"command": "diff", "specs": "specs/ecommerce.yaml"}, event, tmp=tmp_path)
    assert relaxed.code == 0, relaxed.stdout + relaxed.stderr
    assert "endpoint-added (GET /health)" in relaxed.stdout
    strict = run_action(repo, {"command": "diff", "specs": "specs/ecommerce.yaml", "fail-on": "info"}, event,
                        tmp=tmp_path)
    assert strict.code == 1


def test_diff_fetches_the_base_into_a_shallow_checkout_and_reads_specs_from_apictl_yaml(tmp_path):
    origin, base = _pull_request(tmp_path)
    (origin / "apictl.yaml").write_text("specs: [specs/ecommerce.yaml]\n")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "config")
    git(origin, "config", "uploadpack.allowAnySHA1InWant", "true")  # as GitHub allows fetching a commit by id
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", origin.as_uri(), str(clone))
    assert subprocess.run(["git", "cat-file", "-e", f"{base}^{{commit}}"], cwd=clone).returncode != 0
    run = run_action(clone, {"command": "diff"}, {"pull_request": {"base": {"sha": base}}}, tmp=tmp_path)
    assert run.code == 1, run.stdout + run.stderr
    assert "api-path-removed-without-deprecation" in run.summary


def test_diff_without_a_base_and_bad_inputs_fail_with_one_clear_error(tmp_path):
    repo, _ = _pull_request(tmp_path)
    push = run_action(repo, {"command": "diff", "specs": "specs/ecommerce.yaml"},
                      {"before": "0" * 40}, tmp=tmp_path)
    assert push.code == 2
    errors = [a for a in push.annotations() if a[0] == "error"]
    assert len(errors) == 1 and "set the `base` input" in errors[0][2]
    assert "Traceback" not in push.stderr
    named = run_action(repo, {"command": "diff", "specs": "specs/ecommerce.yaml", "base": "main"}, tmp=tmp_path)
    assert named.code == 1
    wrong = run_action(repo, {"command": "deploy"}, tmp=tmp_path)
    assert wrong.code == 2 and "command must be validate or diff" in wrong.stdout
    level = run_action(repo, {"fail-on": "fatal"}, tmp=tmp_path)
    assert level.code == 2 and "fail-on must be" in level.stdout
    missing = run_action(repo, {"command": "validate", "specs": "specs/nope.yaml"}, tmp=tmp_path)
    assert missing.code == 2 and "specs/nope.yaml" in missing.stderr and "file not found" in missing.stderr


@pytest.mark.parametrize("doc", ["docs/ci.md", "README.md"])
def test_docs_show_the_action_with_its_real_inputs(doc):
    import textwrap

    inputs = set(action()["inputs"])
    used = []

    def walk(node):
        if isinstance(node, dict):
            if str(node.get("uses", "")).startswith("apictl/apictl@"):
                used.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for block in re.findall(r"```yaml\n(.*?)```", (ROOT / doc).read_text(), re.S):
        walk(YAML(typ="safe").load(textwrap.dedent(block)))
    assert used, f"{doc} shows no use of the action"
    for step in used:
        assert set(step.get("with") or {}) <= inputs, set(step["with"]) - inputs
