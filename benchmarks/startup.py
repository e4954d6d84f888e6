"""apictl's start-up next to the interpreter's: `python -c pass`, `apictl --version`, `apictl --help` and
`apictl validate` of two tiny specs, interleaved, CPU and wall medians, and the ratio to `python -c pass`.

    python benchmarks/startup.py [--runs 21] [--tree PATH] [--uncompiled]

apictl runs from a copy of --tree's ``apictl/`` package compiled to bytecode (``python -m compileall``, what
``pip install`` and scripts/install.sh do), because this environment sets PYTHONDONTWRITEBYTECODE=1: an
uncompiled checkout recompiles every module it imports on every run. ``--uncompiled`` adds the same
commands run from the checkout itself, to show that cost. Goal (issue 14): the tiny spec validates in
<= 2.0x the CPU time of `python -c pass`.

The tiny specs: ``tiny-openapi.yaml`` (OpenAPI only, 0.5 KB) and ``tiny-gateway.yaml`` (one operation with a
Lambda integration, authorizer and request validator: benchmarks/synthetic_spec.py 1, 3 KB).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402
import synthetic_spec  # noqa: E402

TINY_OPENAPI = """openapi: 3.0.3
info: {title: Tiny, version: '1'}
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The item
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
components:
  schemas:
    Item:
      type: object
      properties:
        id: {type: string}
        name: {type: string}
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--tree", type=Path, default=measure.ROOT)
    parser.add_argument("--uncompiled", action="store_true", help="also run the checkout without bytecode")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        tiny = work / "tiny-openapi.yaml"
        tiny.write_text(TINY_OPENAPI, encoding="utf-8")
        gateway = synthetic_spec.write(1, work / "tiny-gateway.yaml")
        installed = measure.compiled_copy(args.tree, work / "installed")
        commands = {"python -c pass": [sys.executable, "-c", "pass"]}
        trees = {"": installed} | ({" (uncompiled)": args.tree} if args.uncompiled else {})
        fresh = measure.no_cache(args.tree)  # every run validates (a re-run would otherwise be a cache hit)
        for label, tree in trees.items():
            prefix = [sys.executable, "-m", "apictl"]
            commands[f"apictl --version{label}"] = [*prefix, "--version"]
            commands[f"apictl --help{label}"] = [*prefix, "--help"]
            commands[f"apictl validate tiny-openapi.yaml{label}"] = [*prefix, "validate", tiny.name, *fresh]
            commands[f"apictl validate tiny-gateway.yaml{label}"] = [*prefix, "validate", gateway.name, *fresh]
        envs = {name: measure.apictl_env(installed if "uncompiled" not in name else args.tree) for name in commands}
        samples: dict[str, list] = {name: [] for name in commands}
        print(f"# {measure.machine()} (start); tree {measure.relative(args.tree)}; {args.runs} interleaved runs",
              flush=True)
        for _ in range(args.runs):
            for name, command in commands.items():
                samples[name].append(measure.run(command, env=envs[name], cwd=work))
        floor_cpu = measure.median(samples["python -c pass"], "cpu")
        floor_wall = measure.median(samples["python -c pass"], "wall")
        print(f"# load average at the end {measure.load()}\n")
        print("| command | CPU median | x `python -c pass` CPU | wall median | x wall | peak RSS |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for name, runs in samples.items():
            cpu, wall = measure.median(runs, "cpu"), measure.median(runs, "wall")
            print(f"| `{name}` | {cpu * 1000:.0f} ms | {cpu / floor_cpu:.2f}x | {wall * 1000:.0f} ms | "
                  f"{wall / floor_wall:.2f}x | {measure.median(runs, 'rss_mb'):.0f} MB |")
        for name in ("apictl validate tiny-openapi.yaml", "apictl validate tiny-gateway.yaml"):
            ratio = measure.median(samples[name], "cpu") / floor_cpu
            print(f"\n{'PASS' if ratio <= 2.0 else 'MISS'}: `{name}` CPU {ratio:.2f}x `python -c pass` (goal <= 2.0x)",
                  end="")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
