"""Hostile specs (tests/sdk_hostile/*.yaml) for the mobile targets: the Swift package must `swift build`, the
Android module must compile with `javac --release 8` and load (its runtime tests run), nothing is written outside
--out, no planted code runs, and the output is deterministic."""
from __future__ import annotations

import os
import subprocess

import pytest

from tests.conftest import run_apictl
from tests.test_sdk_android_e2e import java_classpath
from tests.test_sdk_hostile import HOSTILE, generated_files
from tests.test_sdk_ios_e2e import swift_executable

pytestmark = pytest.mark.e2e


def generate(spec, lang: str, tmp_path):
    out = tmp_path / "out" / "sdk"
    workdir = tmp_path / "work"
    workdir.mkdir()
    result = run_apictl("sdk", str(spec), "--lang", lang, "--out", str(out), cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["sdk"], "nothing is written beside --out"
    for path in generated_files(out):
        assert path.resolve().is_relative_to(out.resolve())
    again = tmp_path / "again"
    assert run_apictl("sdk", str(spec), "--lang", lang, "--out", str(again), cwd=workdir).returncode == 0
    assert {p.relative_to(again): p.read_bytes() for p in generated_files(again)} == \
        {p.relative_to(out): p.read_bytes() for p in generated_files(out)}, "output is deterministic"
    return out, workdir


@pytest.mark.parametrize("spec", HOSTILE, ids=[p.stem for p in HOSTILE])
def test_hostile_spec_swift_package_builds(spec, tmp_path):
    swift = swift_executable()
    if swift is None:
        pytest.skip("swift is not installed")
    out, workdir = generate(spec, "ios", tmp_path)
    env = {**os.environ, "PATH": os.pathsep.join([os.path.dirname(swift), os.environ.get("PATH", "")])}
    build = subprocess.run([swift, "build", "--build-path", str(tmp_path / "build")], cwd=out, capture_output=True,
                           text=True, timeout=900, env=env)
    assert build.returncode == 0, (build.stdout + build.stderr)[-6000:]
    assert not list(workdir.iterdir()), "planted code ran (a PWNED file appeared)"


@pytest.mark.parametrize("spec", HOSTILE, ids=[p.stem for p in HOSTILE])
def test_hostile_spec_android_module_compiles_and_loads(spec, tmp_path):
    classpath = java_classpath()
    out, workdir = generate(spec, "android", tmp_path)
    classes = tmp_path / "classes"
    sources = [str(p) for p in sorted(out.rglob("*.java"))]
    compiled = subprocess.run(["javac", "--release", "8", "-Xlint:-options", "-encoding", "UTF-8", "-d", str(classes),
                               "-cp", classpath, *sources], capture_output=True, text=True, timeout=600)
    assert compiled.returncode == 0, compiled.stderr[-6000:]
    tests = [p.relative_to(out / "src" / "test" / "java").with_suffix("").as_posix().replace("/", ".")
             for p in (out / "src" / "test" / "java").rglob("RuntimeTest.java")]
    model_classes = [p.relative_to(classes).with_suffix("").as_posix().replace("/", ".")
                     for p in classes.rglob("*.class") if "/model/" in p.as_posix() and "$" not in p.name]
    loader = ("import java.util.*; public class LoadAll { public static void main(String[] a) throws Exception {"
              " for (String n : a) Class.forName(n, true, LoadAll.class.getClassLoader()); } }")
    (tmp_path / "LoadAll.java").write_text(loader)
    assert subprocess.run(["javac", "-d", str(classes), str(tmp_path / "LoadAll.java")]).returncode == 0
    full = os.pathsep.join([str(classes), classpath])
    loaded = subprocess.run(["java", "-cp", full, "LoadAll", *model_classes], cwd=workdir, capture_output=True,
                            text=True, timeout=120)
    assert loaded.returncode == 0, loaded.stderr[-3000:]
    run = subprocess.run(["java", "-cp", full, "org.junit.runner.JUnitCore", *tests], cwd=workdir,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:]
    assert not list(workdir.iterdir()), "planted code ran (a PWNED file appeared)"
