"""Generation time of `apictl sdk --lang ios|android` for the Stripe spec vs openapi-generator 7.26 (swift5, java),
medians of several runs, and (with --compile) whether the generated Stripe SDKs build.

    python benchmarks/sdk_mobile_stripe.py [--runs 3] [--spec PATH] [--compile]

openapi-generator comes from PyPI (`pip install openapi-generator-cli==7.26.0`, which bundles the jar and needs
`java`); without it the issue's figures (6.3 s swift5, 8.8 s java) are printed as the reference instead.
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
ISSUE_FIGURES = {"swift5": 6.3, "java": 8.8}
JARS = [Path("/usr/share/java") / n for n in ("okhttp.jar", "okio.jar", "gson.jar", "junit4.jar", "hamcrest-core.jar")]


def timed(command: list[str], out: Path, env: dict[str, str] | None = None) -> float:
    if out.exists():
        shutil.rmtree(out)
    started = time.perf_counter()
    result = subprocess.run(command + [str(out)], capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return elapsed


def median_of(runs: int, command: list[str], out: Path, env: dict[str, str] | None = None) -> tuple[float, list[float]]:
    times = [timed(command, out, env) for _ in range(runs)]
    return statistics.median(times), times


def compile_swift(package: Path, build: Path) -> tuple[bool, float, str]:
    swift = shutil.which("swift") or "/opt/swift/usr/bin/swift"
    started = time.perf_counter()
    result = subprocess.run([swift, "build", "--build-path", str(build)], cwd=package, capture_output=True, text=True)
    return result.returncode == 0, time.perf_counter() - started, (result.stdout + result.stderr)[-1500:]


def compile_java(module: Path, classes: Path) -> tuple[bool, float, str]:
    sources = module / "sources.txt"
    sources.write_text("\n".join(str(p) for p in sorted((module / "src" / "main").rglob("*.java"))))
    started = time.perf_counter()
    result = subprocess.run(["javac", "--release", "8", "-Xlint:-options", "-J-Xmx3g", "-encoding", "UTF-8",
                             "-d", str(classes), "-cp", os.pathsep.join(map(str, JARS)), f"@{sources}"],
                            capture_output=True, text=True)
    return result.returncode == 0, time.perf_counter() - started, result.stderr[-1500:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("--compile", action="store_true", help="also build the generated Stripe SDKs (minutes)")
    args = parser.parse_args()
    if not args.spec.is_file():
        raise SystemExit(f"spec not found: {args.spec}")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    oag = shutil.which("openapi-generator-cli") if shutil.which("java") else None
    work = Path(tempfile.mkdtemp(prefix="sdk-mobile-bench-"))
    print(f"spec: {args.spec} ({args.spec.stat().st_size / 1e6:.1f} MB), runs: {args.runs}, median wall time")
    rows = []
    for lang, generator in (("ios", "swift5"), ("android", "java")):
        ours, times = median_of(args.runs, [sys.executable, "-m", "apictl", "sdk", str(args.spec), "--lang", lang,
                                            "--force", "--out"], work / lang, env)
        if oag:
            theirs, their_times = median_of(args.runs, [oag, "generate", "-g", generator, "-i", str(args.spec),
                                                        "--skip-validate-spec", "-o"], work / generator)
            source = "measured"
        else:
            theirs, their_times, source = ISSUE_FIGURES[generator], [], "issue figure"
        rows.append((lang, ours, times, generator, theirs, their_times, source))
        print(f"apictl --lang {lang:8} {ours:6.2f} s  {['%.2f' % t for t in times]}   |   openapi-generator "
              f"{generator:7} {theirs:6.2f} s ({source}) {['%.2f' % t for t in their_times]}   ->  "
              f"{theirs / ours:.1f}x")
    if args.compile:
        ok, seconds, tail = compile_swift(work / "ios", work / "ios-build")
        print(f"swift build (apictl ios, Stripe): {'OK' if ok else 'FAILED'} in {seconds:.0f} s")
        if not ok:
            print(tail)
        ok, seconds, tail = compile_java(work / "android", work / "android-classes")
        print(f"javac --release 8 (apictl android, Stripe): {'OK' if ok else 'FAILED'} in {seconds:.0f} s")
        if not ok:
            print(tail)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
