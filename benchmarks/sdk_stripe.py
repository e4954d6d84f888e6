"""Time `apictl sdk` for the Python and JS SDKs of the Stripe spec vs openapi-generator 7.26 (one language).

    python benchmarks/sdk_stripe.py [--runs 3] [--reference-runs 2] [--spec ../shared/corpus/stripe/spec3-2023-09-06.yaml]
                                    [--check]

Prints the machine load (``uptime``), the median wall time of each apictl target (every run into a fresh folder),
their sum, and openapi-generator's median for one language (``-g python``; the jar bundled with the PyPI package
``openapi-generator-cli``, run with ``java`` directly: the package's wrapper passes all of ``JAVA_OPTS`` as a single
argument, so the YAML size option swagger-parser needs for Stripe broke it). When Java or the jar is missing, the
issue's figure (6.3-8.8 s) is the reference. ``--check`` also imports the generated Python package (and builds
one model's validator), imports the JS package with node and type-checks its .d.ts with tsc.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = ROOT.parent / "shared" / "corpus" / "stripe" / "spec3-2023-09-06.yaml"


def timed(cmd: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    return time.perf_counter() - start, result


def apictl_run(spec: Path, lang: str, out: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    seconds, result = timed([sys.executable, "-m", "apictl", "sdk", str(spec), "--lang", lang, "--out", str(out)],
                            env=env, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"apictl sdk --lang {lang} failed: {result.stderr[-2000:]}")
    return seconds


def openapi_generator_jar() -> Path | None:
    spec = importlib.util.find_spec("openapi_generator_cli")
    if spec is None or not spec.submodule_search_locations:
        return None
    jar = Path(next(iter(spec.submodule_search_locations))) / "openapi-generator.jar"
    return jar if jar.is_file() else None


def openapi_generator_run(spec: Path, out: Path, generator: str = "python") -> float | None:
    java, jar = shutil.which("java"), openapi_generator_jar()
    if java is None or jar is None:
        return None
    # the Stripe YAML is over swagger-parser's default limit of 3 Mi code points
    seconds, result = timed([java, "-DmaxYamlCodePoints=99999999", "-jar", str(jar), "generate", "-g", generator,
                             "-i", str(spec), "-o", str(out), "--skip-validate-spec"])
    if result.returncode != 0:
        print(f"openapi-generator failed: {(result.stderr or result.stdout)[-1000:]}")
        return None
    return seconds


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip() if shutil.which("uptime") else "?"


def check(py_out: Path, js_out: Path) -> None:
    package = next(p.name for p in py_out.iterdir() if p.is_dir())
    code = (f"import time; start = time.perf_counter(); import {package} as pkg; imported = time.perf_counter()\n"
            "pkg.models.Customer.model_validate({'id': 'cus_1', 'object': 'customer', 'created': 1, "
            "'livemode': False})\n"
            "print(f'{imported - start:.2f} s, first Customer validation {time.perf_counter() - imported:.2f} s')")
    for attempt in ("first, compiling .pyc", "again"):
        seconds, result = timed([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(py_out)})
        status = "ok " + result.stdout.strip() if result.returncode == 0 else "FAILED " + result.stderr[-500:]
        print(f"python import ({attempt}): {status} (process {seconds:.1f} s)")
    if shutil.which("node"):
        seconds, result = timed(["node", "--input-type=module", "-e",
                                 f"const m = await import({str((js_out / 'index.js').as_uri())!r}); new m.Client({{}});"])
        print(f"node import: {'ok' if result.returncode == 0 else 'FAILED ' + result.stderr[-500:]} ({seconds:.1f} s)")
    if shutil.which("tsc"):
        seconds, result = timed(["tsc", "--noEmit", "--strict", "--lib", "es2022,dom", "index.d.ts"], cwd=js_out)
        print(f"tsc index.d.ts: {'ok' if result.returncode == 0 else 'FAILED ' + result.stdout[-500:]} "
              f"({seconds:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reference-runs", type=int, default=2, help="openapi-generator runs (slow)")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if not args.spec.is_file():
        raise SystemExit(f"spec not found: {args.spec}")
    print(f"load before: {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        times: dict[str, list[float]] = {"python": [], "js": []}
        for run in range(args.runs):
            for lang in times:
                times[lang].append(apictl_run(args.spec, lang, base / f"{lang}{run}"))
        medians = {lang: statistics.median(v) for lang, v in times.items()}
        for lang, value in medians.items():
            print(f"apictl sdk --lang {lang}: median {value:.2f} s over {args.runs} runs {['%.2f' % t for t in times[lang]]}")
        print(f"apictl python + js: {sum(medians.values()):.2f} s")
        print(f"load: {load()}")
        reference = [t for t in (openapi_generator_run(args.spec, base / f"oag{i}") for i in range(args.reference_runs))
                     if t]
        if reference:
            print(f"openapi-generator 7.26 -g python: median {statistics.median(reference):.2f} s over "
                  f"{len(reference)} runs {['%.2f' % t for t in reference]}")
        else:
            print("openapi-generator could not run here; reference: 6.3-8.8 s for one language (issue 5)")
        print(f"load after: {load()}")
        if args.check:
            check(base / "python0", base / "js0")


if __name__ == "__main__":
    main()
