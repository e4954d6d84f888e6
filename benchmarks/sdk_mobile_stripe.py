"""Generation time of `apictl sdk --lang ios|android` for the Stripe spec vs openapi-generator 7.26 (swift5, java),
medians of several runs, and (with --compile) whether the generated Stripe SDKs build.

    python benchmarks/sdk_mobile_stripe.py [--runs 3] [--spec PATH] [--compile]

openapi-generator comes from PyPI (`pip install openapi-generator-cli==7.26.0`, which bundles the jar and needs
`java`); when it cannot run, the issue's figures (6.3 s swift5, 8.8 s java) are printed as the reference.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sdk_stripe import DEFAULT_SPEC, apictl_run, openapi_generator_run, timed  # noqa: E402

ISSUE_FIGURES = {"swift5": 6.3, "java": 8.8}
JARS = [Path("/usr/share/java") / n for n in ("okhttp.jar", "okio.jar", "gson.jar")]


def compile_swift(package: Path, build: Path) -> str:
    swift = shutil.which("swift") or "/opt/swift/usr/bin/swift"
    seconds, result = timed([swift, "build", "--build-path", str(build)], cwd=package)
    return f"{'OK' if result.returncode == 0 else 'FAILED'} in {seconds:.0f} s" + \
        ("" if result.returncode == 0 else "\n" + (result.stdout + result.stderr)[-1500:])


def compile_java(module: Path, classes: Path) -> str:
    sources = module.parent / "sources.txt"
    sources.write_text("\n".join(str(p) for p in sorted((module / "src" / "main").rglob("*.java"))))
    seconds, result = timed(["javac", "--release", "8", "-Xlint:-options", "-J-Xmx3g", "-encoding", "UTF-8",
                             "-d", str(classes), "-cp", os.pathsep.join(map(str, JARS)), f"@{sources}"])
    return f"{'OK' if result.returncode == 0 else 'FAILED'} in {seconds:.0f} s" + \
        ("" if result.returncode == 0 else "\n" + result.stderr[-1500:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("--compile", action="store_true", help="also build the generated Stripe SDKs (minutes)")
    args = parser.parse_args()
    if not args.spec.is_file():
        raise SystemExit(f"spec not found: {args.spec}")
    print(f"spec: {args.spec} ({args.spec.stat().st_size / 1e6:.1f} MB); median wall time of {args.runs} runs")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for lang, generator in (("ios", "swift5"), ("android", "java")):
            ours = [apictl_run(args.spec, lang, base / lang) for _ in range(args.runs)]
            theirs = [t for t in (openapi_generator_run(args.spec, base / f"{generator}{i}", generator)
                                  for i in range(args.runs)) if t]
            reference = statistics.median(theirs) if theirs else ISSUE_FIGURES[generator]
            source = f"measured {['%.2f' % t for t in theirs]}" if theirs else "issue figure"
            print(f"apictl sdk --lang {lang}: {statistics.median(ours):.2f} s {['%.2f' % t for t in ours]} | "
                  f"openapi-generator 7.26 -g {generator}: {reference:.2f} s ({source}) | "
                  f"{reference / statistics.median(ours):.1f}x faster")
        if args.compile:
            print(f"swift build (Stripe, --lang ios): {compile_swift(base / 'ios', base / 'ios-build')}")
            print(f"javac --release 8 (Stripe, --lang android): {compile_java(base / 'android', base / 'classes')}")


if __name__ == "__main__":
    main()
