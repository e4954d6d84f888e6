"""CPU time of two SDK steps on the Stripe spec: the Android self-check (`AndroidTarget.check`) and writing the
files (`write_files`), for one or more apictl trees, interleaved.

    python benchmarks/sdk_write_check.py [--runs 3] [--tree PATH ...] [--spec FILE]

Each run is a fresh `apictl sdk SPEC --lang android` process from a tree, with both functions wrapped to record
their CPU time (time.process_time) and the number of files written. Issue 14: the check spent 0.84 s of 3.1 s in
its escape regex (0.03 s when testing for a backslash-u first); write_files 0.78 s for 5,764 files with a mkdir
and a resolve per file (0.28 s per folder).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402

PROBE = r"""
import json, sys, time
import apictl.sdk.generate as generate
from apictl.sdk.targets.android import AndroidTarget
spent = {"check": 0.0, "write_files": 0.0, "files": 0}
def timed(name, fn):
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            result = fn(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - start
        if name == "write_files":
            spent["files"] = len(result)
        return result
    return wrapper
generate.write_files = timed("write_files", generate.write_files)
AndroidTarget.check = timed("check", AndroidTarget.check)
import os
from apictl.__main__ import main
real_exit = os._exit
def report(code):
    sys.stderr.write("SPENT " + json.dumps(spent) + "\n")
    sys.stderr.flush()
    real_exit(code)
os._exit = report
sys.argv = ["apictl", "sdk", sys.argv[1], "--lang", "android", "--out", sys.argv[2], "-q", "--force"]
try:
    main()
finally:
    report(0)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tree", type=Path, nargs="+", default=[measure.ROOT])
    parser.add_argument("--spec", type=Path, default=measure.CORPUS / "stripe" / "spec3-2023-09-06.yaml")
    args = parser.parse_args()
    print(f"# {measure.machine()} (start); {measure.relative(args.spec)}; {args.runs} interleaved runs", flush=True)
    spent: dict[Path, list[dict]] = {tree: [] for tree in args.tree}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            for index, tree in enumerate(args.tree):  # each run writes into a new folder, as a first run does
                env = {**measure.apictl_env(tree), "PYTHONDONTWRITEBYTECODE": "1"}
                result = subprocess.run([sys.executable, "-c", PROBE, str(args.spec),
                                         os.path.join(tmp, f"out-{run}-{index}")],
                                        env=env, capture_output=True, text=True, check=False)
                line = [x for x in result.stderr.splitlines() if x.startswith("SPENT ")]
                if result.returncode != 0 or not line:
                    raise SystemExit(f"{tree}: failed ({result.returncode}):\n{result.stderr[-2000:]}")
                spent[tree].append(json.loads(line[-1][6:]))
    print(f"# load average at the end {measure.load()}\n")
    print("| tree | Android check CPU | write_files CPU | files |\n| --- | ---: | ---: | ---: |")
    for tree, runs in spent.items():
        print(f"| {measure.relative(tree)} | {statistics.median(r['check'] for r in runs):.3f} s | "
              f"{statistics.median(r['write_files'] for r in runs):.3f} s | {runs[0]['files']:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
