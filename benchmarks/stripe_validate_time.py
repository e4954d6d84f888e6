"""Median wall time of `apictl validate` on the big Stripe spec (target: under 0.9 s).

    python benchmarks/stripe_validate_time.py [RUNS] [SPEC]
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    spec = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT.parent / "shared" / "corpus" / "stripe" / "spec3-2023-09-06.yaml"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "apictl", "validate", str(spec), "-f", "json", "--no-cache"], cwd=ROOT, env=env,
                       capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    print(f"apictl validate {spec.name}: median {statistics.median(times):.3f} s over {runs} runs "
          f"(min {min(times):.3f}, max {max(times):.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
