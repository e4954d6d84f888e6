"""Lint the real-world API Gateway definitions and print findings per rule; assert every finding is placed.

    python benchmarks/gateway_corpus_report.py [CORPUS_FOLDER]   (default: ../shared/corpus)

Runs the real CLI the way tests/corpus_findings.py does: every file of gateway/, and the files of sdk/ that
carry x-amazon-apigateway-* extensions (with sdk/ as the root, so their $refs to shared files resolve). Unreadable
inputs (exit 2 lines on stderr) are listed; a traceback fails the run. File names are relative to the corpus.
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


def runs(corpus: Path) -> list[list[str]]:
    gateway = sorted(str(p.relative_to(corpus)) for p in (corpus / "gateway").iterdir() if p.is_file())
    sdk = sorted(str(p.relative_to(corpus)) for p in (corpus / "sdk").rglob("*")
                 if p.suffix in (".yaml", ".yml", ".json") and b"x-amazon-apigateway-" in p.read_bytes())
    return [["validate", *gateway]] + ([["validate", "--root", "sdk", *sdk]] if sdk else [])


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus"
    if (corpus / "gateway").is_dir() is False and corpus.name == "gateway":
        corpus = corpus.parent  # the old argument: the gateway folder itself
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    items, stderr, codes, files = [], [], [], 0
    start = time.perf_counter()
    for args in runs(corpus):
        files += len(args) - 1 - (2 if "--root" in args else 0)
        result = subprocess.run([sys.executable, "-m", "apictl", *args, "-f", "json"], cwd=corpus, env=env,
                                capture_output=True, text=True)
        assert "Traceback" not in result.stderr, result.stderr
        items += json.loads(result.stdout)["items"]
        stderr += result.stderr.strip().splitlines()
        codes.append(result.returncode)
    elapsed = time.perf_counter() - start
    assert all(i["line"] >= 1 and i["column"] >= 1 for i in items), "a finding without a position"
    counts = collections.Counter(i["id"] for i in items)
    per_file = collections.Counter(i["file"] for i in items if i["id"].startswith("apigw-"))
    print(f"{files} files, {len(items)} findings, {elapsed:.2f} s, exit codes {codes}")
    for line in stderr:
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
