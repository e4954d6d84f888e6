"""What every benchmark script shares: run a command as a fresh process and read its wall time, CPU time
(user + system) and peak RSS from the kernel (``os.wait4``), and say how loaded the machine was.

On a machine shared with other jobs the wall time moves 2-4x with the load; the CPU time of the measured
process moves much less, so the scripts report both, with the load average, and compare apictl with its
reference (``python -c pass``, openapi-spec-validator...) in the same run, interleaved.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


@dataclass
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and the children it waited for
    rss_mb: float  # peak resident set size (MiB) of the biggest process of the tree
    code: int


def run(command: list[str], *, env: dict | None = None, cwd: str | Path | None = None,
        stdin: bytes | None = None, check: bool = True) -> Sample:
    """Run ``command`` once; its output is discarded (errors are shown when it fails and ``check`` is set)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL)
    if stdin is not None:
        proc.stdin.write(stdin)
        proc.stdin.close()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if check and proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(map(str, command))} failed ({proc.returncode}):\n{err.decode(errors='replace')[-3000:]}")
    return Sample(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mb=usage.ru_maxrss / 1024,
                  code=proc.returncode)


def interleaved(commands: dict[str, list[str]], runs: int, **kwargs) -> dict[str, list[Sample]]:
    """``runs`` rounds, each running every command once in turn, so that all see the same load."""
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(run(command, **kwargs))
    return samples


def median(samples: list[Sample], what: str) -> float:
    return statistics.median(getattr(s, what) for s in samples)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def apictl_env(tree: Path = ROOT) -> dict:
    """Environment that runs apictl from ``tree`` (``python -m apictl``) without colours."""
    return {**os.environ, "PYTHONPATH": str(tree), "NO_COLOR": "1"}


def no_cache(tree: Path) -> list[str]:
    """``--no-cache`` for trees that have the result cache (issue 14): a benchmark re-running the same file
    would otherwise measure cache hits."""
    return ["--no-cache"] if (Path(tree) / "apictl" / "cache.py").exists() else []


def apictl(*args: str) -> list[str]:
    return [sys.executable, "-m", "apictl", *args]


def relative(path: Path | str) -> str:
    """A path as results show it: relative to the repository (or its parent, for the shared corpus)."""
    path = Path(path).resolve()
    for base, prefix in ((ROOT, ""), (ROOT.parent, "../")):
        try:
            return prefix + str(path.relative_to(base))
        except ValueError:
            continue
    return path.name


def compiled_copy(tree: Path, into: Path) -> Path:
    """``tree``'s apictl package copied into ``into`` and compiled to bytecode, as an install leaves it (this
    environment sets PYTHONDONTWRITEBYTECODE=1, so a checkout recompiles every module it imports on every run)."""
    import shutil

    shutil.copytree(tree / "apictl", into / "apictl", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(into / "apictl")], check=True)
    return into


def machine() -> str:
    import platform

    return (f"{platform.machine()} Linux, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"load average {load()}")
