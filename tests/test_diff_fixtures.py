"""Every check id has a fixture pair (tests/diff_fixtures/<id>/) and reports exactly the ids expected.

A fixture folder may hold ``options.txt``: the diff options it needs (``--deprecation-days-stable 30``).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from apictl.diff.checks import CHECKS, load_all_checks
from apictl.diff.lifecycle import Policy
from apictl.diff.run import compare
from apictl.model import build_api
from apictl.source import open_spec

FIXTURES = Path(__file__).parent / "diff_fixtures"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.txt").exists())
# stage settings need apictl.yaml stages, not a spec pair: tests/test_diff_stages.py covers them
STAGE_CHECKS = {"stage-variable-removed-while-referenced", "stage-variable-undefined-in-target"}


def _policy(folder: Path) -> Policy:
    options = (folder / "options.txt").read_text().split() if (folder / "options.txt").exists() else []
    days = dict(zip(options[::2], (int(v) for v in options[1::2])))
    assert set(days) <= {"--deprecation-days-stable", "--deprecation-days-beta"}, options
    return Policy(days.get("--deprecation-days-stable", 0), days.get("--deprecation-days-beta", 0))


def _ids(folder: Path) -> list[str]:
    base = build_api(open_spec(str(folder / "base.yaml"))[0].workspace)
    rev = build_api(open_spec(str(folder / "revision.yaml"))[0].workspace)
    return sorted({c.id for c in compare(base, rev, policy=_policy(folder))})


@pytest.mark.parametrize("check_id", CASES)
def test_fixture_reports_exactly_the_expected_ids(check_id):
    folder = FIXTURES / check_id
    expected = sorted((folder / "expected.txt").read_text().split())
    assert check_id in expected
    assert _ids(folder) == expected


def test_every_check_has_a_fixture_pair():
    load_all_checks()
    missing = sorted(set(CHECKS) - set(CASES) - STAGE_CHECKS - {c for c in CHECKS if c.startswith("stage-")})
    assert missing == []
    assert len(CHECKS) >= 150


def test_diff_catalogue_is_up_to_date():
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, str(root / "scripts" / "diff_catalogue.py"), "--check"])
    assert result.returncode == 0, "docs/diff-checks.md is stale: run python scripts/diff_catalogue.py"
