"""Hostile specs (tests/sdk_hostile/*.yaml and random names from hypothesis): every generated SDK must still
compile/import, keep every file inside --out, and run none of the code planted in names and descriptions
(the planted code would create a file named PWNED in the working folder)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, run_apictl

HOSTILE = sorted((ROOT / "tests" / "sdk_hostile").glob("*.yaml"))
TSC_FLAGS = ["--noEmit", "--strict", "--target", "es2022", "--module", "es2022", "--moduleResolution", "node",
             "--lib", "es2022,dom"]


def generated_files(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.is_file()]


def check_python(out: Path, workdir: Path) -> None:
    packages = [p.name for p in out.iterdir() if p.is_dir()]
    assert len(packages) == 1, packages
    code = (f"import {packages[0]} as pkg\n"
            "c = pkg.Client('http://127.0.0.1:9')\n"
            "assert callable(pkg.AsyncClient) and pkg.models\n"
            "c.close()\n"
            "import pydantic\n"  # validators are built on first use: build every one now
            "for c in vars(pkg.models).values():\n"
            "    if isinstance(c, type) and issubclass(c, pydantic.BaseModel) and c.__module__ == pkg.models.__name__:\n"
            "        assert c.model_rebuild() is not False, c\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=workdir, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(out)})
    assert result.returncode == 0, result.stderr[-3000:]


def check_js(out: Path, workdir: Path, typecheck: bool = True) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    for script in out.glob("*.js"):
        result = subprocess.run([node, "--check", str(script)], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
    code = (f"const m = await import({json.dumps((out / 'index.js').as_uri())});\n"
            "const c = new m.Client({ baseUrl: 'http://127.0.0.1:9' }); if (typeof c !== 'object') process.exit(3);")
    result = subprocess.run([node, "--input-type=module", "-e", code], cwd=workdir, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    tsc = shutil.which("tsc")
    if tsc is not None and typecheck:
        result = subprocess.run([tsc, *TSC_FLAGS, "index.d.ts"], cwd=out, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["python", "js"])
@pytest.mark.parametrize("spec", HOSTILE, ids=[p.stem for p in HOSTILE])
def test_hostile_spec_generates_safe_code(spec, lang, tmp_path):
    out = tmp_path / "out" / "sdk"
    workdir = tmp_path / "work"
    workdir.mkdir()
    result = run_apictl("sdk", str(spec), "--lang", lang, "--out", str(out), cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "work"]
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["sdk"], "nothing is written beside --out"
    for path in generated_files(out):
        assert path.resolve().is_relative_to(out.resolve())
        assert ".." not in path.relative_to(out).parts
    (check_python if lang == "python" else check_js)(out, workdir)
    assert not list(workdir.iterdir()), "planted code ran (a PWNED file appeared)"
    again = tmp_path / "again"
    assert run_apictl("sdk", str(spec), "--lang", lang, "--out", str(again), cwd=workdir).returncode == 0
    assert {p.relative_to(again): p.read_bytes() for p in generated_files(again)} == \
        {p.relative_to(out): p.read_bytes() for p in generated_files(out)}, "output is deterministic"


def test_non_empty_out_is_refused_without_force(tmp_path):
    out = tmp_path / "sdk"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    result = run_apictl("sdk", str(HOSTILE[0]), "--lang", "js", "--out", str(out))
    assert result.returncode == 2 and "not empty" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    result = run_apictl("sdk", str(HOSTILE[0]), "--lang", "js", "--out", str(out), "--force")
    assert result.returncode == 0 and (out / "mine.txt").read_text() == "keep me" and (out / "index.js").is_file()


def test_bad_name_and_lang_are_one_line_errors(tmp_path):
    result = run_apictl("sdk", str(HOSTILE[0]), "--lang", "python", "--out", str(tmp_path / "a"), "--name", "../x")
    assert result.returncode == 2 and "--name" in result.stderr and "Traceback" not in result.stderr
    result = run_apictl("sdk", str(HOSTILE[0]), "--lang", "cobol", "--out", str(tmp_path / "b"))
    assert result.returncode == 2 and "--lang" in result.stderr
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


# -- random names -------------------------------------------------------------------------------------------------
NASTY = st.sampled_from(['"""', "*/", "\\u002a/", "`", "${x}", "{{ x }}", "{% x %}", "\\", "'", '"', "\n", "\u2028",
                         "../", "class", "def", "function", "import", "self", "None", "null", "__proto__", "é", "日本",
                         "1", "-", " ", "Client", "Field", "BaseModel"])
NAME = st.lists(st.one_of(NASTY, st.text(min_size=1, max_size=4)), min_size=1, max_size=4).map("".join)


def random_spec(names: list[str], description: str) -> dict:
    schemas = {n: {"type": "object", "description": description,
                   "properties": {n: {"type": "string", "description": description},
                                  "e": {"type": "string", "enum": names}}} for n in names}
    paths = {f"/p{i}/{{{n}}}": {"get": {
        "operationId": n, "description": description, "tags": [n],
        "parameters": [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}},
                       {"name": n + "q", "in": "query", "schema": {"type": "string", "default": description}}],
        "responses": {"200": {"description": description, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/" + n.replace("~", "~0").replace("/", "~1")}}}}}}}
        for i, n in enumerate(names)}
    return {"openapi": "3.0.3", "info": {"title": description, "version": "1.0.0"}, "paths": paths,
            "components": {"schemas": schemas}}


@pytest.mark.e2e
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(names=st.lists(NAME, min_size=1, max_size=4, unique=True), description=NAME)
def test_random_names_always_give_importable_sdks(names, description, tmp_path_factory):
    base = tmp_path_factory.mktemp("hyp")
    spec = base / "spec.json"
    spec.write_text(json.dumps(random_spec(names, description)), encoding="utf-8")
    from apictl.model.api import build_api
    from apictl.sdk.generate import GenerateOptions, generate
    from apictl.source import open_spec

    for lang in ("python", "js"):
        out, workdir = base / lang, base / f"work-{lang}"
        workdir.mkdir()
        api = build_api(open_spec(str(spec))[0].workspace)
        generate(api, GenerateOptions(lang=lang, out=out, name=f"hyp_{lang}"))
        if lang == "python":
            check_python(out, workdir)
        else:
            check_js(out, workdir, typecheck=False)  # the corpus above runs tsc; here node parses every module
        assert not list(workdir.iterdir())
