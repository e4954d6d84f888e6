"""Time `apictl diff` on the two Stripe specs: median wall time and peak RSS of 5 runs.

    python benchmarks/diff_stripe.py [runs]

Goal (issue 4): under 2 s and 400 MB. Each run is `/usr/bin/time -f '%e %M %U %S' python -m apictl diff
spec3-2022-06-01.yaml spec3-2023-09-06.yaml -f json -o OUT`; the change counts per level come from OUT.
The CPU time (user + system) is printed too: on a shared machine it varies much less than wall time.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRIPE = ROOT.parent / "shared" / "corpus" / "stripe"


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    base, rev = STRIPE / "spec3-2022-06-01.yaml", STRIPE / "spec3-2023-09-06.yaml"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    walls, rss, cpu = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "changes.json"
        for _ in range(runs):
            proc = subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S", sys.executable, "-m", "apictl", "diff", str(base),
                                   str(rev), "-f", "json", "-o", str(out)], cwd=ROOT, env=env, capture_output=True,
                                  text=True)
            wall, kb, user, system = proc.stderr.strip().splitlines()[-1].split()
            walls.append(float(wall))
            rss.append(int(kb) / 1024)
            cpu.append(float(user) + float(system))
        report = json.loads(out.read_text())
    levels: dict[str, int] = {}
    for item in report["items"]:
        levels[item["extra"]["level_name"]] = levels.get(item["extra"]["level_name"], 0) + 1
    print(f"apictl diff stripe 2022-06-01 -> 2023-09-06: median {statistics.median(walls):.2f} s "
          f"(CPU {statistics.median(cpu):.2f} s), {statistics.median(rss):.0f} MB peak RSS over {runs} runs "
          f"(exit {proc.returncode}; load average {os.getloadavg()[0]:.1f})")
    print("changes: " + ", ".join(f"{levels.get(k, 0)} {k}" for k in ("ERR", "WARN", "INFO")))


if __name__ == "__main__":
    main()
