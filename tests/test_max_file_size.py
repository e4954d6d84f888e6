"""One `--max-file-size` for every command that reads specs (issue 14: plan, export and sdk had none, so they
refused a spec that validate accepted with the option)."""
from __future__ import annotations

import json

import pytest

from conftest import run_apictl

SPEC_HEAD = """openapi: 3.0.3
info: {title: Big, version: '1'}
paths:
  /items:
    get:
      operationId: listItems
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/S0'}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses: {default: {statusCode: '200'}}
components:
  schemas:
"""

# command -> arguments (run in a folder whose apictl.yaml has the stage `dev` deploying big.yaml)
COMMANDS = {
    "validate": ["validate", "big.yaml", "-f", "json"],
    "diff": ["diff", "big.yaml", "big.yaml", "-f", "json"],
    "plan": ["plan", "--stage", "dev", "-f", "json"],
    "export": ["export", "-f", "cloudformation", "--stage", "dev", "--out", "out/template.json"],
    "sdk": ["sdk", "big.yaml", "--lang", "js", "--out", "sdk", "-q"],
    "serve": ["serve", "big.yaml", "--port", "0"],
    "deploy": ["deploy", "--stage", "dev", "--endpoint-url", "http://127.0.0.1:9"],
    "import": ["import", "--stage", "dev", "--rest-api-id", "abc123", "--endpoint-url", "http://127.0.0.1:9"],
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A 1.5 MiB spec: over a 1 MiB limit, under 2 MiB."""
    where = tmp_path_factory.mktemp("big")
    body = "".join(f"    S{i}: {{type: string, description: {'d' * 1000}}}\n" for i in range(1500))
    (where / "big.yaml").write_text(SPEC_HEAD + body, encoding="utf-8")
    assert 1 << 20 < (where / "big.yaml").stat().st_size < 2 << 20
    (where / "apictl.yaml").write_text("stages:\n  dev:\n    spec: big.yaml\n", encoding="utf-8")
    return where


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_refuses_a_file_over_the_limit_in_one_line(folder, command):
    result = run_apictl(*COMMANDS[command], "--max-file-size", "1", cwd=folder, timeout=60)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "big.yaml" in lines[0] and "over the 1,048,576-byte limit" in lines[0], lines
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["validate", "diff", "plan", "export", "sdk"])
def test_every_command_reads_it_when_the_limit_allows(folder, command):
    result = run_apictl(*COMMANDS[command], "--max-file-size", "2", cwd=folder, timeout=120)
    assert result.returncode == 0, result.stderr
    if command in ("validate", "diff", "plan"):
        json.loads(result.stdout)
    elif command == "export":
        assert json.loads((folder / "out" / "template.json").read_text(encoding="utf-8"))["Resources"]
    else:
        assert (folder / "sdk" / "package.json").is_file()


def test_the_limit_must_be_positive(folder):
    result = run_apictl(*COMMANDS["plan"], "--max-file-size", "0", cwd=folder)
    assert result.returncode == 2 and "--max-file-size must be a positive number of MiB" in result.stderr
