"""Lint every file of the gateway corpus and print findings per rule; assert every finding is placed.

    python benchmarks/gateway_corpus_report.py [CORPUS_FOLDER]   (default: ../shared/corpus/gateway)

Runs the real CLI once over all files (JSON report). Unreadable inputs (exit 2 lines on stderr) are
listed; a traceback fails the run.
"""
from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus" / "gateway"
    if not corpus.is_dir():
        corpus = Path("/work/shared/corpus/gateway")
    files = sorted(str(p) for p in corpus.iterdir() if p.is_file())
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "apictl", "validate", *files, "-f", "json"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    assert "Traceback" not in result.stderr, result.stderr
    items = json.loads(result.stdout)["items"]
    assert all(i["line"] >= 1 and i["column"] >= 1 for i in items), "a finding without a position"
    counts = collections.Counter(i["id"] for i in items)
    per_file = collections.Counter(Path(i["file"]).name for i in items if i["id"].startswith("apigw-"))
    print(f"{len(files)} files, {len(items)} findings, {elapsed:.2f} s, exit code {result.returncode}")
    for line in result.stderr.strip().splitlines():
        print(f"  input error: {line}")
    print("\nfindings per rule:")
    for rule, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {count:5d}  {rule}")
    print("\nfiles with API Gateway findings:")
    for name, count in sorted(per_file.items()):
        print(f"  {count:5d}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
