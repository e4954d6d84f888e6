"""`apictl validate` on the Stripe spec next to openapi-spec-validator on the same file, interleaved.

    python benchmarks/stripe_validate.py [--runs 5] [--tree PATH] [--spec FILE]

apictl runs from a bytecode-compiled copy of --tree (as installed); both tools are fresh processes, run in
turn so that they see the same load. Reported: CPU (user + system) and wall medians, peak RSS, and the ratio
apictl / openapi-spec-validator (goal, issue 14: <= 0.05x). openapi-spec-validator only checks the structure;
apictl also runs every semantic and API Gateway rule.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402

STRIPE = measure.CORPUS / "stripe" / "spec3-2023-09-06.yaml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tree", type=Path, default=measure.ROOT)
    parser.add_argument("--spec", type=Path, default=STRIPE)
    args = parser.parse_args()
    osv = shutil.which("openapi-spec-validator")
    if osv is None:
        print("openapi-spec-validator is not installed (pip install 'openapi-spec-validator==0.9.0')")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        installed = measure.compiled_copy(args.tree, Path(tmp))
        commands = {"apictl validate": measure.apictl("validate", str(args.spec), "-f", "json",
                                                          *measure.no_cache(args.tree)),
                    "openapi-spec-validator": [osv, str(args.spec)]}
        print(f"# {measure.machine()} (start); {measure.relative(args.spec)}; tree {measure.relative(args.tree)}; "
              f"{args.runs} interleaved runs", flush=True)
        samples = measure.interleaved(commands, args.runs, env=measure.apictl_env(installed), cwd=tmp)
    print(f"# load average at the end {measure.load()}\n")
    print("| command | CPU median | wall median | peak RSS |\n| --- | ---: | ---: | ---: |")
    for name, runs in samples.items():
        print(f"| `{name}` | {measure.median(runs, 'cpu'):.2f} s | {measure.median(runs, 'wall'):.2f} s | "
              f"{measure.median(runs, 'rss_mb'):.0f} MB |")
    ours, theirs = samples["apictl validate"], samples["openapi-spec-validator"]
    cpu = measure.median(ours, "cpu") / measure.median(theirs, "cpu")
    wall = measure.median(ours, "wall") / measure.median(theirs, "wall")
    print(f"\n{'PASS' if cpu <= 0.05 else 'MISS'}: apictl / openapi-spec-validator CPU {cpu:.3f}x (wall {wall:.3f}x); "
          "goal <= 0.05x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
