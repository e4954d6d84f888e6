"""Time `apictl sdk` for the Python and JS SDKs of the Stripe spec vs openapi-generator 7.26 (one language).

    python benchmarks/sdk_stripe.py [--runs 3] [--spec ../shared/corpus/stripe/spec3-2023-09-06.yaml] [--check]

Prints the median wall time of each apictl target, their sum, and openapi-generator's median for one language
(``openapi-generator-cli`` from PyPI, which needs Java); when that cannot run, the issue's figure (6.3-8.8 s)
is the reference. ``--check`` also imports the generated Python package, imports the JS package with node and
type-checks its .d.ts with tsc.
"""
from __future__ import annotations

import argparse
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
    seconds, result = timed([sys.executable, "-m", "apictl", "sdk", str(spec), "--lang", lang, "--out", str(out),
                             "--force"], env=env, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"apictl sdk --lang {lang} failed: {result.stderr[-2000:]}")
    return seconds


def openapi_generator_run(spec: Path, out: Path, generator: str = "python") -> float | None:
    exe = shutil.which("openapi-generator-cli")
    if exe is None or shutil.which("java") is None:
        return None
    # the Stripe YAML is over swagger-parser's default 3 Mi code-point limit
    # (no leading space: the PyPI wrapper passes JAVA_OPTS to java as one argument)
    env = {**os.environ, "JAVA_OPTS": " ".join(filter(None, [os.environ.get("JAVA_OPTS"),
                                                              "-DmaxYamlCodePoints=99999999"]))}
    seconds, result = timed([exe, "generate", "-g", generator, "-i", str(spec), "-o", str(out),
                             "--skip-validate-spec"], env=env)
    return seconds if result.returncode == 0 else None


def check(py_out: Path, js_out: Path) -> None:
    package = next(p.name for p in py_out.iterdir() if p.is_dir())
    seconds, result = timed([sys.executable, "-c", f"import {package}"], env={**os.environ, "PYTHONPATH": str(py_out)})
    print(f"python import: {'ok' if result.returncode == 0 else 'FAILED ' + result.stderr[-500:]} ({seconds:.1f} s)")
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
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if not args.spec.is_file():
        raise SystemExit(f"spec not found: {args.spec}")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        times: dict[str, list[float]] = {"python": [], "js": []}
        for _ in range(args.runs):
            for lang in times:
                times[lang].append(apictl_run(args.spec, lang, base / lang))
        medians = {lang: statistics.median(v) for lang, v in times.items()}
        for lang, value in medians.items():
            print(f"apictl sdk --lang {lang}: median {value:.2f} s over {args.runs} runs {['%.2f' % t for t in times[lang]]}")
        print(f"apictl python + js: {sum(medians.values()):.2f} s")
        reference = [t for t in (openapi_generator_run(args.spec, base / f"oag{i}") for i in range(args.runs)) if t]
        if reference:
            print(f"openapi-generator 7.26 -g python: median {statistics.median(reference):.2f} s")
        else:
            print("openapi-generator-cli could not run here; reference: 6.3-8.8 s for one language (issue 5)")
        if args.check:
            check(base / "python", base / "js")


if __name__ == "__main__":
    main()
