"""Shell completion offers values, asked exactly as the shells' scripts ask (`apictl --show-completion`):
the program runs with _APICTL_COMPLETE set and answers on stdout."""
from __future__ import annotations

import pytest

from conftest import run_apictl


def bash_complete(line: str, cwd=None) -> list[str]:
    """What bash offers for the last word of ``line`` (a trailing space completes a new, empty word)."""
    words = line.split()
    cword = len(words) if line.endswith(" ") else len(words) - 1
    result = run_apictl(cwd=cwd, env={"_APICTL_COMPLETE": "complete_bash", "COMP_WORDS": line,
                                      "COMP_CWORD": str(cword)})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout.split()


def fish_complete(line: str, cwd=None) -> dict[str, str]:
    """fish gets 'value<TAB>help' lines."""
    result = run_apictl(cwd=cwd, env={"_APICTL_COMPLETE": "complete_fish", "_TYPER_COMPLETE_FISH_ACTION": "get-args",
                                      "_TYPER_COMPLETE_ARGS": line})
    assert result.returncode == 0, result.stderr
    return dict(entry.split("\t", 1) if "\t" in entry else (entry, "") for entry in result.stdout.splitlines())


@pytest.mark.parametrize("line, expected", [
    ("apictl validate --format ", ["text", "json", "sarif", "github", "junit", "markdown"]),
    ("apictl lint -f s", ["sarif"]),
    ("apictl diff a.yaml b.yaml --format ", ["text", "json", "sarif", "github", "junit", "markdown"]),
    ("apictl plan --format ", ["text", "json", "markdown"]),
    ("apictl export --format ", ["cloudformation", "sam", "terraform"]),
    ("apictl rules --format ", ["text", "json"]),
    ("apictl sdk spec.yaml --lang ", ["python", "js", "ios", "android"]),
    ("apictl sdk spec.yaml -l a", ["android"]),
    ("apictl validate --fail-on ", ["error", "warning", "info"]),
    ("apictl diff --fail-on ", ["ERR", "WARN", "INFO"]),
    ("apictl diff --level W", ["WARN"]),
    ("apictl validate --api-type h", ["http"]),
])
def test_option_values(line, expected):
    assert bash_complete(line) == expected


def test_stage_values_come_from_the_nearest_apictl_yaml(tmp_path):
    (tmp_path / "apictl.yaml").write_text("stages:\n  dev: {spec: api.yaml}\n  prod: {spec: api.yaml}\n"
                                          "  preprod: {spec: api.yaml}\n")
    (tmp_path / ".git").mkdir()  # the config search stops at the repository root
    assert bash_complete("apictl plan --stage ", cwd=tmp_path) == ["dev", "prod", "preprod"]
    assert bash_complete("apictl deploy --stage pr", cwd=tmp_path) == ["prod", "preprod"]
    assert bash_complete("apictl export -s d", cwd=tmp_path) == ["dev"]
    assert bash_complete("apictl serve --stage p", cwd=tmp_path) == ["prod", "preprod"]
    # both values of diff --stages SOURCE TARGET
    assert bash_complete("apictl diff --stages ", cwd=tmp_path) == ["dev", "prod", "preprod"]
    assert bash_complete("apictl diff --stages dev p", cwd=tmp_path) == ["prod", "preprod"]
    assert fish_complete("apictl plan --stage d", cwd=tmp_path) == {"dev": "spec: api.yaml"}


def test_stage_values_follow_config_on_the_command_line(tmp_path):
    (tmp_path / "other.yaml").write_text("stages:\n  qa: {spec: a.yaml}\n  staging: {spec: b.yaml}\n")
    (tmp_path / ".git").mkdir()
    assert bash_complete("apictl plan --config other.yaml --stage ", cwd=tmp_path) == ["qa", "staging"]
    assert bash_complete("apictl plan --stage ", cwd=tmp_path) == []  # no apictl.yaml here


def test_stage_completion_with_a_broken_config_offers_nothing(tmp_path):
    (tmp_path / "apictl.yaml").write_text("stages: [unclosed\n")
    (tmp_path / ".git").mkdir()
    assert bash_complete("apictl plan --stage ", cwd=tmp_path) == []


def test_rule_ids_for_apictl_rules_with_their_summaries():
    ids = bash_complete("apictl rules ")
    listed = run_apictl("rules", "--format", "json")
    import json

    assert ids == sorted(rule["id"] for rule in json.loads(listed.stdout))
    assert bash_complete("apictl rules path-param-u") == ["path-param-undeclared", "path-param-unused"]
    offered = fish_complete("apictl rules path-param-und")
    assert list(offered) == ["path-param-undeclared"]
    assert offered["path-param-undeclared"].startswith("A {variable} in the path")


def test_zsh_gets_values_too():
    result = run_apictl(env={"_APICTL_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "apictl sdk x --lang "})
    assert result.returncode == 0
    for lang in ("python", "js", "ios", "android"):
        assert f'"{lang}"' in result.stdout


def test_completion_script_names_the_program():
    """`python -m apictl` and the `apictl` script answer to the same variable, so the installed script works."""
    result = run_apictl("--show-completion", env={"_APICTL_COMPLETE": "", "SHELL": "/bin/bash"})
    if result.returncode != 0:
        pytest.skip("shell detection unavailable")
    assert "_APICTL_COMPLETE=complete_bash" in result.stdout
    usage = run_apictl("validate", "--no-such-option")
    assert usage.returncode == 2 and "Usage: apictl validate" in usage.stderr
