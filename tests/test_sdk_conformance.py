"""Conformance suite (issue 16): every real spec of ../shared/corpus/sdk, in every language, is generated and
compiled with the real toolchain:

* Python: ``python -m compileall``, import the package and build every model's validator, ``mypy --strict``;
* JS: ``node --check`` on every module, import it and make a client, ``tsc --strict`` on the typings;
* Android: ``javac --release 8`` against Debian's OkHttp and Gson;
* iOS: ``swift build``. Big Swift packages take many minutes on two cores: they are in the long suite
  (``-m long``), which CI runs after the main suite when its 90 minutes allow (see ``SWIFT_MINUTES``).

Generation must print no note about a construct it could not type (an unresolved $ref, an operation without a
method); each build must finish with no error."""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import need_corpus, run_apictl

pytestmark = pytest.mark.e2e

SPECS = {  # name -> file under ../shared/corpus/sdk
    "discord": "discord-openapi.json", "adyen": "adyen-checkout-v71.json", "letta": "letta-openapi.json",
    "docker": "docker-engine-swagger.yaml", "slack": "slack-web-openapi-v2.json", "box": "box-openapi.json",
    "spotify": "spotify-web-api.yml", "elasticsearch": "elasticsearch-serverless-openapi.json",
    "okta": "okta-management-oneOfInheritance.yaml", "lob": "lob/lob-api-public.yml",
}
# Minutes `swift build` takes for each SDK on CI's two quiet cores, with a margin: measured as CPU time (user+sys,
# which load does not inflate) / 1.6 (swiftc keeps both cores busy). Builds up to FAST_SWIFT_MINUTES are part of the
# main suite; the others are the long suite, and CI skips one that would not fit in what is left of its time.
SWIFT_MINUTES = {"spotify": 1, "docker": 1, "lob": 1, "slack": 2, "adyen": 2, "box": 2, "letta": 4, "discord": 5,
                 "okta": 8, "elasticsearch": 10}
FAST_SWIFT_MINUTES = 2
TSC_FLAGS = ["--noEmit", "--strict", "--target", "es2022", "--module", "es2022", "--moduleResolution", "node",
             "--lib", "es2022,dom"]


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def generate(name: str, lang: str, tmp_path: Path) -> Path:
    spec = need_corpus() / "sdk" / SPECS[name]
    out = tmp_path / lang
    started, cpu = time.monotonic(), child_cpu()
    result = run_apictl("sdk", str(spec), "--lang", lang, "--out", str(out), timeout=600)
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-3000:]
    left_out = [line for line in result.stderr.splitlines() if "typed as any" in line or "has no SDK method" in line]
    assert not left_out, left_out
    print(f"\n{name} {lang}: generated in {seconds:.1f} s ({child_cpu() - cpu:.1f} s CPU)")
    return out


def run(cmd: list[str], cwd: Path, timeout: int, env: dict | None = None) -> subprocess.CompletedProcess:
    started, cpu = time.monotonic(), child_cpu()
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    label = " ".join([Path(cmd[0]).name, *(arg.split("\n")[0][:24] for arg in cmd[1:3])])
    print(f"{label}: {time.monotonic() - started:.1f} s ({child_cpu() - cpu:.1f} s CPU)")
    return result


@pytest.mark.parametrize("name", sorted(SPECS))
def test_python_sdk_compiles_imports_and_passes_mypy_strict(name, tmp_path):
    out = generate(name, "python", tmp_path)
    package = next(p.name for p in out.iterdir() if (p / "__init__.py").is_file())
    result = run([sys.executable, "-m", "compileall", "-q", package], out, 600)
    assert result.returncode == 0, result.stdout[-3000:]
    build_all = ("import sys, pydantic, " + package + " as pkg\n"
                 "models = [c for c in vars(pkg.models).values() if isinstance(c, type)\n"
                 "          and issubclass(c, pydantic.BaseModel) and c.__module__ == pkg.models.__name__]\n"
                 "for c in models:\n"
                 "    assert c.model_rebuild() is not False, c\n"
                 "pkg.Client('http://127.0.0.1:9').close()\n"
                 "print(len(models), 'models')\n")
    result = run([sys.executable, "-c", build_all], out, 900, {**os.environ, "PYTHONPATH": str(out)})
    assert result.returncode == 0, result.stderr[-3000:]
    if importlib_util_find("mypy"):
        result = run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
                      package], out, 900)
        assert result.returncode == 0, result.stdout[-4000:]


def importlib_util_find(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


@pytest.mark.parametrize("name", sorted(SPECS))
def test_js_sdk_loads_and_its_typings_pass_tsc_strict(name, tmp_path):
    node = shutil.which("node") or pytest.skip("node is not installed (scripts/install.sh installs it)")
    out = generate(name, "js", tmp_path)
    for module in sorted(out.glob("*.js")):
        result = run([node, "--check", str(module)], out, 120)
        assert result.returncode == 0, result.stderr
    code = (f"const m = await import({json.dumps((out / 'index.js').as_uri())});\n"
            "new m.Client({ baseUrl: 'http://127.0.0.1:9' });")
    result = run([node, "--input-type=module", "-e", code], out, 120)
    assert result.returncode == 0, result.stderr
    tsc = shutil.which("tsc") or pytest.skip("tsc is not installed (scripts/install.sh installs node-typescript)")
    result = run([tsc, *TSC_FLAGS, "index.d.ts"], out, 900)
    assert result.returncode == 0, result.stdout[-4000:]


@pytest.mark.parametrize("name", sorted(SPECS))
def test_android_sdk_compiles_with_javac_release_8(name, tmp_path):
    from tests.test_sdk_android_e2e import java_classpath

    classpath = java_classpath()
    out = generate(name, "android", tmp_path)
    listing = tmp_path / "sources.txt"
    listing.write_text("\n".join(str(p) for p in sorted((out / "src" / "main").rglob("*.java"))), encoding="utf-8")
    result = run(["javac", "-J-Xmx1g", "--release", "8", "-Xlint:-options", "-encoding", "UTF-8", "-d",
                  str(tmp_path / "classes"), "-cp", classpath, f"@{listing}"], out, 1800)
    assert result.returncode == 0, result.stderr[-6000:]


def swift_cases():
    for name in sorted(SPECS):
        minutes = SWIFT_MINUTES[name]
        marks = [] if minutes <= FAST_SWIFT_MINUTES else [pytest.mark.long(seconds=minutes * 60)]
        yield pytest.param(name, marks=marks, id=name)


@pytest.mark.parametrize("name", swift_cases())
def test_ios_sdk_builds_with_swift(name, tmp_path):
    from tests.test_sdk_ios_e2e import swift_executable

    swift = swift_executable() or pytest.skip("swift is not installed")
    out = generate(name, "ios", tmp_path)
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(swift).parent), os.environ.get("PATH", "")])}
    result = run([swift, "build", "--build-path", str(tmp_path / "build")], out, 3 * 3600, env)
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
