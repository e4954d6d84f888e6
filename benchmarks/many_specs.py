"""`apictl validate` over a folder of many specs: one process vs the pool over every core, and the result
cache (first run vs an unchanged re-run), plus `--shard K/N`.

    python benchmarks/many_specs.py [--specs 500] [--runs 3] [--tree PATH] [--workdir DIR]

--workdir gets ``specs/`` (``--specs`` synthetic specs from benchmarks/synthetic_spec.py, 4 to 40 operations
each, an API Gateway integration on every operation; kept between runs). apictl runs from a bytecode-compiled
copy of --tree (as installed), in --workdir, with `-f json -o OUT -q`. Reported, medians of --runs:

- `--no-cache --jobs 1` (one process) and `--no-cache` (a worker per CPU): wall, CPU, and CPU / wall (the
  cores kept busy; goal: close to the CPU count);
- the cache: a first run into an empty ``.apictl_cache/`` and an unchanged re-run; goal (issue 14): the
  re-run costs <= 10% of the first (wall and CPU);
- `--shard K/4` for K = 1..4: the files each shard validated (each file in exactly one shard).
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402
import synthetic_spec  # noqa: E402


def make_specs(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    have = sorted(folder.glob("*.yaml"))
    if len(have) == count:
        return
    for old in have:
        old.unlink()
    for i in range(count):
        synthetic_spec.write(4 + (i * 7) % 37, folder / f"api-{i:04d}.yaml")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--specs", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tree", type=Path, default=measure.ROOT)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "apictl-bench-many")
    args = parser.parse_args()
    work = args.workdir
    make_specs(work / "specs", args.specs)
    size = sum(p.stat().st_size for p in (work / "specs").glob("*.yaml")) / 2**20
    cache = work / ".apictl_cache"
    with tempfile.TemporaryDirectory() as tmp:
        installed = measure.compiled_copy(args.tree, Path(tmp))
        env = measure.apictl_env(installed)
        print(f"# {measure.machine()} (start); tree {measure.relative(args.tree)}; {args.specs} specs, "
              f"{size:.1f} MB; {args.runs} runs each", flush=True)

        def validate(*extra: str, out: str = "report.json") -> measure.Sample:
            return measure.run(measure.apictl("validate", "specs", "-f", "json", "-o", str(Path(tmp) / out),
                                              "-q", *extra), env=env, cwd=work)

        rows: dict[str, list[measure.Sample]] = {"one process (`--no-cache --jobs 1`)": [],
                                                 "every CPU (`--no-cache`)": [],
                                                 "cache: first run (empty `.apictl_cache/`)": [],
                                                 "cache: unchanged re-run": []}
        names = list(rows)
        for _ in range(args.runs):
            rows[names[0]].append(validate("--no-cache", "--jobs", "1"))
            rows[names[1]].append(validate("--no-cache"))
            shutil.rmtree(cache, ignore_errors=True)
            rows[names[2]].append(validate())
            rows[names[3]].append(validate())
        shards = []
        for k in range(1, 5):
            validate("--shard", f"{k}/4", "--no-cache", out=f"shard{k}.json")
            report = json.loads((Path(tmp) / f"shard{k}.json").read_text(encoding="utf-8"))
            shards.append(report["files"])
        shutil.rmtree(cache, ignore_errors=True)
        print(f"# load average at the end {measure.load()}\n")
        print("| run | wall median | CPU median | CPU / wall | peak RSS (largest process) |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, samples in rows.items():
            wall, cpu = measure.median(samples, "wall"), measure.median(samples, "cpu")
            print(f"| {name} | {wall:.2f} s | {cpu:.2f} s | {cpu / wall:.2f} | "
                  f"{statistics.median(s.rss_mb for s in samples):.0f} MB |")
        first, again = rows[names[2]], rows[names[3]]
        for what in ("wall", "cpu"):
            ratio = measure.median(again, what) / measure.median(first, what)
            print(f"\n{'PASS' if ratio <= 0.10 else 'MISS'}: unchanged re-run {what} = {ratio:.3f}x the first run "
                  "(goal <= 0.10x)", end="")
        pool = measure.median(rows[names[0]], "wall") / measure.median(rows[names[1]], "wall")
        print(f"\npool speed-up (wall, one process / every CPU): {pool:.2f}x on {measure.machine()}")
        every = [name for files in shards for name in files]
        print("`--shard K/4`, files per shard: " + ", ".join(str(len(files)) for files in shards)
              + f"; {len(every)} in all, {len(set(every))} distinct, of {args.specs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
