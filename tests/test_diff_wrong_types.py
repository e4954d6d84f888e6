"""diff compares specs whose nodes have the wrong type (validate's finding) without a traceback: every node of
the bundled example replaced by a list or a mapping (unhashable: found by tests/test_robustness_fuzz.py, where
`x-amazon-apigateway-api-key-source: []` crashed diff)."""
from __future__ import annotations

import json

import pytest
import yaml

from tests.conftest import ROOT, run_apictl
from tests.wrong_types import CONTAINERS, mutations

ECOMMERCE = ROOT / "specs" / "ecommerce.yaml"


def test_an_api_key_source_of_the_wrong_type_is_not_a_change(tmp_path):
    base = yaml.safe_load(ECOMMERCE.read_text())
    (tmp_path / "base.json").write_text(json.dumps(base))
    for wrong in ([], ["HEADER"], {"x": 1}, 5):
        rev = dict(base, **{"x-amazon-apigateway-api-key-source": wrong})
        (tmp_path / "rev.json").write_text(json.dumps(rev))
        result = run_apictl("diff", "base.json", "rev.json", "-f", "json", cwd=tmp_path)
        assert result.returncode in (0, 1) and result.stderr == "", result.stderr
        assert "api-key-source-changed" not in {c["id"] for c in json.loads(result.stdout)["items"]}


@pytest.mark.slow
def test_a_node_of_the_wrong_type_anywhere_is_compared(tmp_path):
    from apictl.diff.run import compare
    from apictl.model import build_api
    from apictl.source import InputError, open_spec

    base_data = yaml.safe_load(ECOMMERCE.read_text())
    (tmp_path / "base.json").write_text(json.dumps(base_data))
    base = build_api(open_spec(str(tmp_path / "base.json"))[0].workspace)
    failures = []
    for where, data in mutations(base_data, CONTAINERS):
        (tmp_path / "rev.json").write_text(json.dumps(data))
        try:
            rev = build_api(open_spec(str(tmp_path / "rev.json"))[0].workspace)
            compare(base, rev)
            compare(rev, base)
        except InputError:
            pass
        except Exception as exc:  # noqa: BLE001 - the test is that nothing else escapes
            failures.append(f"{where}: {type(exc).__name__}: {exc}")
    assert not failures, "\n".join(failures[:20])
