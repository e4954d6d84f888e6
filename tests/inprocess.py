"""Run the apictl CLI many times, fast: fork a process that has imported apictl once.

A new interpreter costs ~0.3 s before apictl does anything (imports of the rules, checks, exporters,
SDK targets, Jinja and datamodel-code-generator); a fork of this process costs a few milliseconds and
runs exactly what a user runs (``apictl.__main__.main``: typer, signal handlers, the exit code through
``os._exit``), with stdout and stderr on files, in its own working folder, its own memory limit and a
wall-clock limit. The robustness suite (tests/test_robustness_fuzz.py) runs thousands of examples
this way within its CI budget.
"""
from __future__ import annotations

import os
import resource
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

_PRELOADED = False


def preload() -> None:
    """Import everything a command may import, once, in this (the parent) process."""
    global _PRELOADED
    if _PRELOADED:
        return
    import importlib

    import apictl.__main__  # noqa: F401
    import apictl.cli  # noqa: F401
    from apictl.diff.checks import load_all_checks
    from apictl.lint.registry import load_all_rules

    load_all_rules()
    load_all_checks()
    for module in ("apictl.lint.run", "apictl.diff.run", "apictl.plan.run", "apictl.plan.plan", "apictl.plan.render",
                   "apictl.plan.state", "apictl.plan.export.cloudformation", "apictl.plan.export.sam",
                   "apictl.plan.export.terraform", "apictl.sdk.generate", "apictl.sdk.targets.python",
                   "apictl.sdk.targets.js", "apictl.sdk.targets.ios", "apictl.sdk.targets.android",
                   "apictl.report.text_format", "apictl.report.json_format", "apictl.report.sarif_format",
                   "apictl.report.github_format", "apictl.report.junit_format", "apictl.report.markdown_format",
                   "datamodel_code_generator", "ruamel.yaml", "jsonschema_rs", "yaml_rs", "ryml"):
        try:
            importlib.import_module(module)
        except ImportError:
            pass
    _PRELOADED = True


@dataclass
class Outcome:
    code: int  # exit code; -N when killed by signal N
    stdout: str
    stderr: str
    seconds: float  # wall clock
    max_rss_mb: float  # peak resident memory above what the child shared with this process when it was forked
    timed_out: bool = False  # killed at the wall-clock limit (its stack is at the end of stderr)
    cpu_seconds: float = 0.0


def run(args: list[str], cwd: Path, *, timeout: float = 60.0, cpu_seconds: int = 20, memory_mb: int = 1536,
        env: dict[str, str] | None = None) -> Outcome:
    """``apictl ARGS`` in a forked child. The child may use ``memory_mb`` more address space than this process has
    now and ``cpu_seconds`` of CPU (then the kernel stops it); it is killed after ``timeout`` seconds of wall clock
    (a hang: CPU time is what measures the work on a busy machine, the wall clock catches a process that waits)."""
    return run_together([(args, cwd)], timeout=timeout, cpu_seconds=cpu_seconds, memory_mb=memory_mb, env=env)[0]


def run_together(runs: list[tuple[list[str], Path]], *, timeout: float = 60.0, cpu_seconds: int = 20,
                 memory_mb: int = 1536, env: dict[str, str] | None = None) -> list[Outcome]:
    """Several ``(ARGS, folder)`` runs at once (one child each: a second core is not left idle)."""
    preload()
    files = [(tempfile.TemporaryFile(), tempfile.TemporaryFile()) for _ in runs]
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        inherited_kb = _resident_kb()  # a forked child starts with this process's pages counted as its own
        start = time.monotonic()
        pids = []
        for (args, cwd), (out, err) in zip(runs, files):
            pid = os.fork()
            if pid == 0:  # the child: never returns
                _child(args, cwd, out.fileno(), err.fileno(), memory_mb, cpu_seconds, env or {})
            pids.append(pid)
        waited = _wait_all(pids, start + timeout)
        outcomes = []
        for (out, err), (status, usage, timed_out, seconds) in zip(files, waited):
            out.seek(0)
            err.seek(0)
            outcomes.append(Outcome(os.waitstatus_to_exitcode(status), out.read().decode("utf-8", "replace"),
                                    err.read().decode("utf-8", "replace"), seconds - start,
                                    max(0, usage.ru_maxrss - inherited_kb) / 1024 if usage else 0.0, timed_out,
                                    usage.ru_utime + usage.ru_stime if usage else 0.0))
        return outcomes
    finally:
        for out, err in files:
            out.close()
            err.close()


def _child(args: list[str], cwd: Path, out_fd: int, err_fd: int, memory_mb: int, cpu_seconds: int,
           env: dict[str, str]) -> None:
    try:
        import faulthandler

        os.dup2(out_fd, 1)
        os.dup2(err_fd, 2)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
        os.chdir(cwd)
        os.environ.update({"NO_COLOR": "1", **env})
        current = _address_space()
        limit = current + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        faulthandler.register(signal.SIGUSR1, file=sys.stderr, all_threads=True)  # the stack of a hang
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        sys.argv = ["apictl", *args]
        from apictl.__main__ import main

        main()  # ends the process with os._exit once the output is flushed
        os._exit(0)
    except SystemExit as exc:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(exc.code if isinstance(exc.code, int) else 1)
    except BaseException:  # noqa: BLE001 - a traceback is what the caller looks for
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
        os._exit(70)


def _resident_kb() -> int:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return 0


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _wait_all(pids: list[int], deadline: float) -> list[tuple[int, object, bool, float]]:
    """(status, rusage, timed out, end time) per child; a child still running at ``deadline`` is killed."""
    results: dict[int, tuple[int, object, bool, float]] = {}
    delay = 0.001
    while len(results) < len(pids):
        for pid in pids:
            if pid in results:
                continue
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                results[pid] = (status, usage, False, time.monotonic())
            elif time.monotonic() > deadline:
                os.kill(pid, signal.SIGUSR1)  # faulthandler writes where it hangs
                time.sleep(1)
                os.kill(pid, signal.SIGKILL)
                _, status, usage = os.wait4(pid, 0)
                results[pid] = (status, usage, True, time.monotonic())
        if len(results) < len(pids):
            time.sleep(delay)
            delay = min(delay * 2, 0.01)
    return [results[pid] for pid in pids]
