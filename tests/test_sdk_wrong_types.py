"""The SDK model reads any node of the wrong type as absent: `headers: true`, `tags: 5`, `servers: "x"` in any
place of a real spec give an SDK model (validate reports the type), never a traceback (found by
tests/test_robustness_fuzz.py: a response's `headers: true` crashed `apictl sdk`)."""
from __future__ import annotations

import json

import pytest
import yaml

from tests.conftest import ROOT
from tests.wrong_types import SCALARS, mutations

SEEDS = [ROOT / "specs" / "ecommerce.yaml", ROOT / "tests" / "sdk_hostile" / "issue16_regressions.yaml"]


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
def test_a_node_of_the_wrong_type_anywhere_gives_a_model(seed, tmp_path):
    from apictl.model.api import build_api
    from apictl.sdk.generate import assign_names, load_target
    from apictl.sdk.model import build_sdk_model
    from apictl.source import InputError, open_spec

    targets = [load_target(lang) for lang in ("python", "js", "ios", "android")]
    spec = tmp_path / "spec.json"
    failures = []
    for where, data in mutations(yaml.safe_load(seed.read_text()), SCALARS):
        spec.write_text(json.dumps(data, default=str))
        try:
            sdk = build_sdk_model(build_api(open_spec(str(spec))[0].workspace))
            for target in targets:  # (names are assigned afresh for each language)
                assign_names(sdk, target.naming)
                target.settings(sdk, None)
        except InputError:
            pass  # one positioned line: what the CLI prints
        except Exception as exc:  # noqa: BLE001 - the test is that nothing else escapes
            failures.append(f"{where}: {type(exc).__name__}: {exc}")
    assert not failures, "\n".join(failures[:20])
