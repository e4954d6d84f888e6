"""Peak RSS (and time) of every command on synthetic specs of growing size, and how it grows.

    python benchmarks/memory_scaling.py [--sizes 10000 20000 50000] [--commands validate diff ...]
                                        [--tree PATH] [--workdir DIR] [--markdown]

For each size, benchmarks/synthetic_spec.py writes the spec (and its ``--revision`` for diff) into
--workdir (kept between runs: generating 50,000 operations takes a while), then each command runs once as
a fresh process from --tree (default: this checkout), in a folder whose apictl.yaml gives the spec a stage
``bench``. Reported per command and size: peak RSS, RSS / file size (goal: <= 20x, Python SDK <= 40x), CPU
and wall time; per command, the log-log slope of peak RSS against operations (least squares over the sizes;
goal <= 1.05: memory grows linearly). ``--max-file-size 1024`` is passed to every command (the 50,000-operation
spec is over the 64 MiB default in YAML with long descriptions; here it is 56 MB).
"""
from __future__ import annotations

import argparse
import math
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402
import synthetic_spec  # noqa: E402

CONFIG = """stages:
  bench:
    spec: {spec}
    variables: {{env: bench}}
"""

# command name -> (arguments after `apictl`, goal as RSS / file size)
COMMANDS = {
    "validate": (["validate", "{spec}", "-f", "json", "-o", "{out}/report.json"], 20),
    "diff": (["diff", "{spec}", "{revision}", "-f", "json", "-o", "{out}/diff.json"], 20),
    "plan": (["plan", "--stage", "bench", "-f", "json", "-o", "{out}/plan.json"], 20),
    "export": (["export", "-f", "cloudformation", "--stage", "bench", "--out", "{out}/template.json", "--force"], 20),
    "sdk-js": (["sdk", "{spec}", "--lang", "js", "--out", "{out}/sdk-js", "--force", "-q"], 20),
    "sdk-python": (["sdk", "{spec}", "--lang", "python", "--out", "{out}/sdk-python", "--force", "-q"], 40),
}
MAX_FILE_SIZE = ["--max-file-size", "1024"]


def spec_files(workdir: Path, size: int) -> tuple[Path, Path]:
    spec = workdir / f"synthetic-{size}.yaml"
    revision = workdir / f"synthetic-{size}-revision.yaml"
    if not spec.exists():
        synthetic_spec.write(size, spec)
    if not revision.exists():
        synthetic_spec.write(size, revision, revision=True)
    return spec, revision


def slope(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(y) against log(x)."""
    if len(points) < 2:
        return None
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 20_000, 50_000])
    parser.add_argument("--commands", nargs="+", choices=list(COMMANDS), default=list(COMMANDS))
    parser.add_argument("--tree", type=Path, default=measure.ROOT, help="the apictl checkout to run")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "apictl-bench-specs")
    parser.add_argument("--no-max-file-size", action="store_true",
                        help="do not pass --max-file-size (for trees whose commands lack it)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args()
    env = measure.apictl_env(args.tree)
    print(f"# {measure.machine()}; tree {measure.relative(args.tree)}", flush=True)
    rows = []
    growth: dict[str, list[tuple[float, float]]] = {}
    for size in args.sizes:
        spec, revision = spec_files(args.workdir, size)
        file_mb = spec.stat().st_size / 2**20
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "apictl.yaml").write_text(CONFIG.format(spec=spec), encoding="utf-8")
            for name in args.commands:
                template, goal = COMMANDS[name]
                argv = [a.format(spec=spec, revision=revision, out=folder) for a in template]
                if not args.no_max_file_size or name in ("validate", "diff"):
                    argv += MAX_FILE_SIZE
                sample = measure.run(measure.apictl(*argv), env=env, cwd=folder)
                ratio = sample.rss_mb / file_mb
                rows.append((name, size, file_mb, sample, ratio, goal))
                growth.setdefault(name, []).append((size, sample.rss_mb))
                print(f"{name:<11} {size:>7,} ops {file_mb:6.1f} MB  peak {sample.rss_mb:7.0f} MB  {ratio:5.1f}x "
                      f"(goal {goal}x) {'PASS' if ratio <= goal else 'MISS'}  CPU {sample.cpu:7.2f} s  wall "
                      f"{sample.wall:7.2f} s  exit {sample.code}  load {measure.load()}", flush=True)
                for leftover in ("sdk-js", "sdk-python"):
                    shutil.rmtree(Path(folder) / leftover, ignore_errors=True)
    print()
    slopes = {name: slope(points) for name, points in growth.items()}
    for name, value in slopes.items():
        if value is not None:
            print(f"{name:<11} log-log slope of peak RSS vs operations: {value:.3f} "
                  f"({'PASS' if value <= 1.05 else 'MISS'} <= 1.05)")
    if args.markdown:
        print("\n| command | operations | file | peak RSS | RSS / file | goal | CPU | wall |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, size, file_mb, s, ratio, goal in rows:
            print(f"| {name} | {size:,} | {file_mb:.1f} MB | {s.rss_mb:,.0f} MB | {ratio:.1f}x | {goal}x | "
                  f"{s.cpu:.1f} s | {s.wall:.1f} s |")
        print("\n| command | log-log slope (goal <= 1.05) |\n| --- | ---: |")
        for name, value in slopes.items():
            if value is not None:
                print(f"| {name} | {value:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
