"""apictl as a pre-commit hook, run by the real `pre-commit` against a temporary git repository.

pre-commit clones the hook repository at a revision and pip-installs it into a virtualenv of its own. To test
this checkout as it is (uncommitted changes included), its files are first committed to a throwaway
repository, which the consumer's .pre-commit-config.yaml then names with `repo: <path>`.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.e2e

GOOD = """\
openapi: 3.0.3
info: {title: Good, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200': {description: ok}
"""

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

GIT_ENV = {
    "GIT_AUTHOR_NAME": "apictl tests", "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "apictl tests", "GIT_COMMITTER_EMAIL": "tests@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV, "HOME": str(cwd)}
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def snapshot_checkout(dest: Path) -> str:
    """Commit the checkout's tracked and new files (as they are on disk) to a new repository; return its HEAD."""
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    dest.mkdir()
    for rel in filter(None, listed):
        source = ROOT / rel
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the work tree
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "snapshot")
    return git(dest, "rev-parse", "HEAD").strip()


def readme_snippet() -> str:
    """The .pre-commit-config.yaml block of the README's pre-commit section."""
    import re

    section = (ROOT / "README.md").read_text().split("## pre-commit", 1)[1]
    return re.search(r"```yaml\n(.*?)```", section, re.S)[1]


def test_hook_passes_good_specs_and_fails_bad_ones(tmp_path):
    if shutil.which("pre-commit") is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    hook_repo = tmp_path / "apictl-hook"
    rev = snapshot_checkout(hook_repo)

    project = tmp_path / "project"
    (project / "specs").mkdir(parents=True)
    (project / "specs" / "good.yaml").write_text(GOOD)
    (project / "specs" / "bad.yaml").write_text(BAD)
    (project / "notes.yaml").write_text("just: some yaml\n")  # not OpenAPI: skipped by --only-openapi
    # the README's snippet, as a user copies it (only the repository URL points at the snapshot)
    snippet = readme_snippet()
    assert "https://github.com/apictl/apictl" in snippet
    written_rev = snippet.split("rev:", 1)[1].split()[0]
    git(hook_repo, "rev-parse", "--verify", "--quiet", f"{written_rev}^{{commit}}")  # the rev it names exists
    (project / ".pre-commit-config.yaml").write_text(snippet.replace("https://github.com/apictl/apictl", str(hook_repo)))
    git(project, "init", "-q", "-b", "main")

    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1",
           "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)  # the hook must run the copy pre-commit installed, not this checkout
    # as the README says: autoupdate pins the latest commit (apictl has no release tag)
    update = subprocess.run(["pre-commit", "autoupdate", "--color", "never"], cwd=project, capture_output=True,
                            text=True, env=env, timeout=300)
    assert update.returncode == 0, update.stdout + update.stderr
    assert f"rev: {rev}" in (project / ".pre-commit-config.yaml").read_text()
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "specs")
    failing = subprocess.run(["pre-commit", "run", "--all-files", "--color", "never"], cwd=project,
                             capture_output=True, text=True, env=env, timeout=900)
    output = failing.stdout + failing.stderr
    assert failing.returncode == 1, output
    assert "apictl validate" in output and "Failed" in output
    assert "path variable {petId} is not declared as a path parameter" in output
    assert "[path-param-undeclared]" in output
    good_lines = [line for line in output.splitlines() if "good.yaml" in line]
    assert all("REST API" in line for line in good_lines), good_lines  # only the inferred-type note
    assert "notes.yaml" not in output

    (project / "specs" / "bad.yaml").write_text(GOOD.replace("Good", "Fixed"))
    passing = subprocess.run(["pre-commit", "run", "--all-files", "--color", "never"], cwd=project,
                             capture_output=True, text=True, env=env, timeout=300)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout
