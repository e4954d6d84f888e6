"""The work of the GitHub Action (action.yml at the repository root): `python -m apictl.github_action`.

Reads the action's inputs from ``INPUT_*`` variables (action.yml maps them), runs `apictl validate` or
`apictl diff` as a user would, and leaves three things behind: workflow annotations on standard output
(``-f github``), the Markdown report in the job summary (``$GITHUB_STEP_SUMMARY``) and, with
``sarif: true``, one SARIF file for code scanning (its folder in the ``sarif-dir`` step output). The
exit code is apictl's: 0 clean, 1 findings at or above fail-on / breaking changes, 2 bad input.

diff compares each spec with the pull request's base commit (``base`` overrides it; on a push the
commit before the push), fetching that commit when the checkout is shallow. A spec that did not exist
at the base is new: reported, never breaking.
"""
from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .output import append_text, write_file
from .report.github_format import _escape_data as _escape, _escape_property

LINT_LEVELS = {"error": "error", "warning": "warning", "info": "info", "err": "error", "warn": "warning"}
DIFF_LEVELS = {"err": "ERR", "error": "ERR", "warn": "WARN", "warning": "WARN", "info": "INFO"}
NO_COMMIT = "0" * 40


class ActionError(Exception):
    """A problem with the action's inputs or the checkout: one ::error:: line and exit 2."""


def main() -> int:
    try:
        return run_action(dict(os.environ))
    except ActionError as exc:
        print(f"::error title=apictl::{_escape(str(exc))}", flush=True)
        _write_summary(os.environ, f"## apictl\n\n**Error:** {exc}\n")
        return 2


def run_action(env: dict[str, str]) -> int:
    command = (env.get("INPUT_COMMAND") or "validate").strip()
    if command not in ("validate", "diff"):
        raise ActionError(f"command must be validate or diff, not '{command}'")
    specs = _expand(env.get("INPUT_SPECS", ""))
    config = (env.get("INPUT_CONFIG") or "").strip()
    fail_on = (env.get("INPUT_FAIL_ON") or "").strip().lower()
    levels = LINT_LEVELS if command == "validate" else DIFF_LEVELS
    if fail_on and fail_on not in levels:
        raise ActionError(f"fail-on must be error, warning or info (or ERR, WARN, INFO), not '{fail_on}'")
    common = (["--config", config] if config else []) + (["--fail-on", levels[fail_on]] if fail_on else [])
    sarif_dir = None
    if (env.get("INPUT_SARIF") or "false").strip().lower() == "true":
        sarif_dir = Path(env.get("RUNNER_TEMP") or tempfile.gettempdir()) / "apictl-sarif"
        sarif_dir.mkdir(parents=True, exist_ok=True)
        _set_output(env, "sarif-dir", str(sarif_dir))
    if command == "validate":
        code = _validate(env, specs, common, sarif_dir)
    else:
        code = _diff(env, specs, common, config, sarif_dir)
    _set_output(env, "exit-code", str(code))
    return code


# -- validate -----------------------------------------------------------------------------------------------
def _validate(env: dict[str, str], specs: list[str], common: list[str], sarif_dir: Path | None) -> int:
    args = ["validate", *specs, *common]
    annotations = _apictl(args + ["--format", "github"], show=True)
    summary = _apictl(args + ["--format", "markdown"], show=False)
    _write_summary(env, _demote_headings(summary.stdout) or "No API specs were checked.\n")
    if sarif_dir is not None:
        _apictl(args + ["--format", "sarif", "--output", str(sarif_dir / "apictl-validate.sarif")], show=False)
    return annotations.returncode


# -- diff ---------------------------------------------------------------------------------------------------
def _diff(env: dict[str, str], specs: list[str], common: list[str], config: str, sarif_dir: Path | None) -> int:
    base = _base_commit(env)
    specs = specs or _config_specs(config)
    if not specs:
        raise ActionError("no specs to compare: set the `specs` input or list them under `specs:` in apictl.yaml")
    codes, sections, sarifs = [], [], []
    for number, spec in enumerate(specs):
        relative = os.path.relpath(spec)
        if not Path(spec).is_file():
            print(f"::warning file={_escape_property(relative)},title=apictl::{_escape(relative)} is not in this "
                  "revision (removed or renamed); nothing to compare", flush=True)
            sections.append(f"### `{relative}`\n\nNot in this revision (removed or renamed).\n")
            continue
        if not _git_ok("cat-file", "-e", f"{base}:./{relative}"):
            print(f"::notice file={_escape_property(relative)},title=apictl::new API spec (not in {base[:12]})",
                  flush=True)
            sections.append(f"### `{relative}`\n\nNew spec: it is not in the base revision `{base[:12]}`.\n")
            continue
        args = ["diff", f"git:{base}:{relative}", relative, *common]
        annotations = _apictl(args + ["--format", "github"], show=True)
        codes.append(annotations.returncode)
        report = _apictl(args + ["--format", "markdown"], show=False)
        sections.append(_demote_headings(report.stdout))
        if sarif_dir is not None:
            target = sarif_dir / f"part-{number}.sarif"
            if _apictl(args + ["--format", "sarif", "--output", str(target)], show=False).returncode in (0, 1):
                sarifs.append(target)
    _write_summary(env, f"## apictl diff against `{base[:12]}`\n\n" + "\n".join(sections))
    if sarif_dir is not None:
        _merge_sarif(sarifs, sarif_dir / "apictl-diff.sarif")
    if 2 in codes:
        return 2
    return 1 if 1 in codes else 0


def _base_commit(env: dict[str, str]) -> str:
    base = (env.get("INPUT_BASE") or "").strip()
    if not base:
        base = (env.get("APICTL_PR_BASE_SHA") or "").strip()
    if not base:
        before = (env.get("APICTL_PUSH_BEFORE") or "").strip()
        base = before if before and before != NO_COMMIT else ""
    if not base:
        raise ActionError("diff needs a base: this is not a pull request (nor a push with a previous commit); "
                          "set the `base` input (a branch, tag or commit)")
    if not _git_ok("rev-parse", "--is-inside-work-tree"):
        raise ActionError("diff needs the repository: run actions/checkout first")
    if not _git_ok("cat-file", "-e", f"{base}^{{commit}}"):
        # a shallow checkout: fetch just that commit (by SHA or as a branch/tag name)
        fetched = _git_ok("fetch", "--no-tags", "--depth=1", "origin", base)
        if fetched and not _git_ok("cat-file", "-e", f"{base}^{{commit}}"):
            resolved = _git("rev-parse", "FETCH_HEAD")
            base = resolved.strip() if resolved is not None else base
        if not _git_ok("cat-file", "-e", f"{base}^{{commit}}"):
            raise ActionError(f"base revision '{base}' is not in the checkout and could not be fetched "
                              "(use actions/checkout with fetch-depth: 0)")
    resolved = _git("rev-parse", f"{base}^{{commit}}")
    return resolved.strip() if resolved else base


def _config_specs(config: str) -> list[str]:
    from .config import load_config
    from .source.errors import InputError

    try:
        loaded = load_config(config or None)
    except InputError as exc:
        raise ActionError(exc.one_line()) from None
    listed = loaded.raw.get("specs") or []
    if not isinstance(listed, list):
        raise ActionError(f"{loaded.path}: specs must be a list of files")
    return [os.path.relpath(loaded.folder / s) for s in listed if isinstance(s, str) and not s.startswith("git:")]


def _merge_sarif(parts: list[Path], target: Path) -> None:
    """One run for all specs (code scanning takes one run per tool and category)."""
    merged = None
    for part in parts:
        sarif = json.loads(part.read_text(encoding="utf-8"))
        run = sarif["runs"][0]
        if merged is None:
            merged = sarif
            continue
        into = merged["runs"][0]
        rules = into["tool"]["driver"].setdefault("rules", [])
        index = {rule["id"]: n for n, rule in enumerate(rules)}
        for rule in run["tool"]["driver"].get("rules", []):
            if rule["id"] not in index:
                index[rule["id"]] = len(rules)
                rules.append(rule)
        for result in run.get("results", []):
            result["ruleIndex"] = index[result["ruleId"]]
            into.setdefault("results", []).append(result)
        _merge_invocations(into, run)
    for part in parts:
        part.unlink()
    if merged is not None:
        write_file(target, json.dumps(merged, indent=2) + "\n", what="SARIF")


def _merge_invocations(into: dict, run: dict) -> None:
    """One invocation for the merged run: it failed if any part failed (a spec that could not be read), with
    every part's notifications, so a failure is never hidden behind a clean first part."""
    for part in run.get("invocations") or []:
        merged = into.setdefault("invocations", [{"executionSuccessful": True}])[0]
        if part.get("executionSuccessful") is False:
            merged["executionSuccessful"] = False
        notes = part.get("toolExecutionNotifications") or []
        if notes:
            merged.setdefault("toolExecutionNotifications", []).extend(notes)


# -- plumbing -----------------------------------------------------------------------------------------------
def _expand(specs: str) -> list[str]:
    out: list[str] = []
    for word in specs.split():
        matches = sorted(glob.glob(word, recursive=True)) if any(ch in word for ch in "*?[") else []
        out.extend(matches or [word])  # a name that matches nothing is passed on: apictl reports it
    return list(dict.fromkeys(out))


def _apictl(args: list[str], show: bool) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "apictl", *args], capture_output=True, text=True,
                            env={**os.environ, "NO_COLOR": "1"})
    if show:
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
    return result


def _git(*args: str) -> str | None:
    result = subprocess.run(["git", *args], capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else None


def _git_ok(*args: str) -> bool:
    return _git(*args) is not None


def _demote_headings(markdown: str) -> str:
    """The report's '# title' becomes '### title' under the summary's own heading."""
    return "\n".join("##" + line if line.startswith("#") else line for line in markdown.splitlines()) + "\n" \
        if markdown else ""


def _write_summary(env, text: str) -> None:
    path = env.get("GITHUB_STEP_SUMMARY")
    if path:
        append_text(path, text + "\n")
    else:
        sys.stdout.write(text + "\n")


def _set_output(env: dict[str, str], name: str, value: str) -> None:
    path = env.get("GITHUB_OUTPUT")
    if path:
        append_text(path, f"{name}={value}\n")


if __name__ == "__main__":
    raise SystemExit(main())
