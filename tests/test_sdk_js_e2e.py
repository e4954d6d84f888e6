"""Generate the JS SDK for specs/ecommerce.yaml, type-check its .d.ts with tsc and run it with `node --test`
against the live test server (tests/sdk_server.py)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ECOMMERCE, run_apictl
from tests.sdk_server import start_server

pytestmark = pytest.mark.e2e
HERE = Path(__file__).resolve().parent / "sdk_js"
TSC_FLAGS = ["--noEmit", "--strict", "--target", "es2022", "--module", "es2022", "--moduleResolution", "node",
             "--lib", "es2022,dom"]


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (scripts/install.sh installs it)")
    return path


@pytest.fixture(scope="module")
def sdk_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sdk") / "js"
    result = run_apictl("sdk", str(ECOMMERCE), "--lang", "js", "--out", str(out), "--name", "@shop/client")
    assert result.returncode == 0, result.stderr
    return out


def test_package_json_is_esm_with_exports_map(sdk_dir):
    package = json.loads((sdk_dir / "package.json").read_text())
    assert package["name"] == "@shop/client" and package["type"] == "module"
    assert package["exports"]["."] == {"types": "./index.d.ts", "default": "./index.js"}
    for name in package["files"]:
        assert (sdk_dir / name).is_file(), name


def test_runs_against_live_server(sdk_dir):
    node = need("node")
    with start_server() as server:
        result = subprocess.run([node, "--test", str(HERE / "e2e.test.mjs")], capture_output=True, text=True,
                                timeout=180, env={**os.environ, "SDK_DIR": str(sdk_dir), "SERVER_URL": server.url})
        deletes = server.requests_to("DELETE", "/products/p%209")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
    assert deletes and deletes[0].headers["authorization"].startswith("AWS4-HMAC-SHA256 ")


def test_typings_type_check_with_tsc(sdk_dir):
    tsc = need("tsc")
    shutil.copy(HERE / "usage.ts", sdk_dir / "usage.ts")
    result = subprocess.run([tsc, *TSC_FLAGS, "usage.ts", "index.d.ts"], cwd=sdk_dir, capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    bad = sdk_dir / "bad.ts"
    bad.write_text('import { Client } from "./index.js";\nnew Client().getProduct({ productId: 1 });\n')
    result = subprocess.run([tsc, *TSC_FLAGS, "bad.ts", "index.d.ts"], cwd=sdk_dir, capture_output=True, text=True,
                            timeout=180)
    assert result.returncode != 0 and "bad.ts(2,27)" in result.stdout, "the typings reject a wrong parameter type"
