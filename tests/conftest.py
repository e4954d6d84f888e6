"""Shared helpers: run the real CLI, find the shared corpus, write small specs."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = Path(os.environ.get("APICTL_CORPUS") or SHARED / "corpus")  # override where the corpus lives elsewhere
ECOMMERCE = ROOT / "specs" / "ecommerce.yaml"


def run_apictl(*args: str, cwd: Path | None = None, timeout: int = 120, env: dict | None = None,
               input: str | None = None) -> subprocess.CompletedProcess:
    """Run the installed CLI exactly as a user would (a new process, real exit code)."""
    python_path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    full_env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": python_path, **(env or {})}
    return subprocess.run([sys.executable, "-m", "apictl", *args], cwd=cwd or ROOT, capture_output=True, text=True,
                          timeout=timeout, env=full_env, input=input)


@pytest.fixture
def write(tmp_path):
    """write('name.yaml', text) -> Path, with the text dedented."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


def need_corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (it sits beside the repository in CI)")
    return CORPUS


def pytest_collection_modifyitems(config, items):
    """Tests marked ``full_fault_matrix`` run only when asked for (``pytest -m full_fault_matrix``); long tests run
    after every other one (when ``-m`` selects them), so CI's deadline only ever skips them."""
    if "full_fault_matrix" in (config.getoption("markexpr") or ""):
        return
    kept = [item for item in items if item.get_closest_marker("full_fault_matrix") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept
    items.sort(key=lambda item: item.get_closest_marker("long") is not None)


def pytest_runtest_setup(item):
    """Long tests (``@pytest.mark.long(seconds=N)``, run with ``-m long``) are skipped when APICTL_CI_DEADLINE (a Unix
    time, set by .ci/run) does not leave them the N seconds they take, so CI stays inside its time limit."""
    marker = item.get_closest_marker("long")
    deadline = os.environ.get("APICTL_CI_DEADLINE")
    if marker is None or not deadline:
        return
    needed = float(marker.kwargs.get("seconds", 0))
    left = float(deadline) - time.time()
    if needed > left:
        pytest.skip(f"needs ~{needed:.0f} s; {max(left, 0):.0f} s are left of CI's time budget")
