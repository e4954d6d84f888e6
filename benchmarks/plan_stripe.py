"""Time `apictl plan` plus the three exports on the Stripe spec (4 MB YAML, ~470 operations).

    python benchmarks/plan_stripe.py [--runs 5]

A temporary apictl.yaml gives the spec a stage (variables, method settings, a usage plan and key).
Three ways are timed, each the median of --runs runs:
  separate  `apictl plan`, then `apictl export` once per format: 4 processes, the spec parsed 4 times
  combined  `apictl plan`, then one `apictl export -f cloudformation -f sam -f terraform --out-dir`
  pipeline  in one process: load + plan + the three exports (the spec parsed once)
The goal (issue 6) is under 2 s for plan + all three exports. Wall times are printed with the CPU time
(user + system) of the processes, which varies much less on a shared machine.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRIPE = ROOT.parent / "shared" / "corpus" / "stripe" / "spec3-2023-09-06.yaml"
CONFIG = """stages:
  bench:
    spec: {spec}
    variables: {{env: bench}}
    methodSettings:
      "*/*": {{throttlingBurstLimit: 100, throttlingRateLimit: 50, metricsEnabled: true}}
    usagePlans:
      - {{name: bench, throttle: {{burstLimit: 10, rateLimit: 5}}, apiKeys: [bench-key]}}
"""
FORMATS = ("cloudformation", "sam", "terraform")


def cli(folder: Path, *args: str) -> tuple[float, float]:
    """Run apictl once: (wall seconds, CPU seconds of the process)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "apictl", *args], cwd=folder, env=env, capture_output=True,
                            text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"apictl {' '.join(args)} failed: {result.stderr}")
    return elapsed, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def in_process(folder: Path) -> float:
    sys.path.insert(0, str(ROOT))
    from apictl.plan.pipeline import load_desired
    from apictl.plan.plan import make_plan
    from apictl.plan.run import export_text, format_plan

    cwd = Path.cwd()
    os.chdir(folder)
    try:
        start = time.perf_counter()
        desired = load_desired("bench")
        format_plan(make_plan(desired.graph, None), desired, None, "text")
        for fmt in FORMATS:
            export_text(desired, fmt)
        return time.perf_counter() - start
    finally:
        os.chdir(cwd)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not STRIPE.is_file():
        raise SystemExit(f"Stripe spec not found at {STRIPE}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "apictl.yaml").write_text(CONFIG.format(spec=STRIPE), encoding="utf-8")
        out = folder / "out"
        out.mkdir()

        def median(fn) -> tuple[float, float]:
            runs = [fn() for _ in range(args.runs)]
            return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)

        plan = median(lambda: cli(folder, "plan", "--stage", "bench"))
        exports = {fmt: median(lambda fmt=fmt: cli(folder, "export", "--format", fmt, "--stage", "bench",
                                                   "--out", str(out / fmt), "--force")) for fmt in FORMATS}
        combined = median(lambda: cli(folder, "export", *[a for f in FORMATS for a in ("-f", f)], "--stage", "bench",
                                      "--out-dir", str(out), "--force"))
        pipeline = statistics.median(in_process(folder) for _ in range(args.runs))
    print(f"Stripe spec {STRIPE.name} ({STRIPE.stat().st_size / 1e6:.1f} MB), medians of {args.runs} runs "
          f"(load average {os.getloadavg()[0]:.1f}); wall time (CPU time)")
    print(f"  apictl plan                              {plan[0]:6.2f} s ({plan[1]:.2f} s)")
    for fmt, (wall, cpu) in exports.items():
        print(f"  apictl export --format {fmt:<16}  {wall:6.2f} s ({cpu:.2f} s)")
    print(f"  apictl export -f (all three) --out-dir   {combined[0]:6.2f} s ({combined[1]:.2f} s)")
    separate = [plan[i] + sum(e[i] for e in exports.values()) for i in (0, 1)]
    print(f"separate (plan + 3 exports, 4 processes)   {separate[0]:6.2f} s ({separate[1]:.2f} s)")
    print(f"combined (plan + one 3-format export)      {plan[0] + combined[0]:6.2f} s "
          f"({plan[1] + combined[1]:.2f} s)   goal: < 2 s")
    print(f"pipeline (one process, spec parsed once)   {pipeline:6.2f} s")

if __name__ == "__main__":
    main()
