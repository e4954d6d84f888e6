"""Time `apictl sdk` on the ten real specs of ../shared/corpus/sdk in every language (the issue-16 matrix).

    python benchmarks/sdk_corpus.py [--langs python,js,ios,android] [--specs discord,box] [--build]

Prints, per spec and language, the wall time and the CPU time (user+sys of the child, which a loaded machine does
not inflate) of the generation; with ``--build`` also of the compile step the conformance suite runs
(mypy --strict / tsc --strict / javac --release 8 / swift build; slow: Swift alone takes ~25 min for all ten on
two cores). Everything is written to a temporary folder that is removed afterwards.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "sdk"
sys.path.insert(0, str(ROOT))
from tests.test_sdk_conformance import SPECS, TSC_FLAGS  # noqa: E402  (one list of specs for tests and benchmark)


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    started, cpu = time.monotonic(), child_cpu()
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT) if "apictl" in cmd else str(cwd)})
    return time.monotonic() - started, child_cpu() - cpu, result.returncode


def build_command(lang: str, out: Path) -> list[str] | None:
    if lang == "python":
        package = next(p.name for p in out.iterdir() if (p / "__init__.py").is_file())
        return [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull, package]
    if lang == "js":
        return [shutil.which("tsc") or "tsc", *TSC_FLAGS, "index.d.ts"]
    if lang == "android":
        jars = ":".join(str(p) for p in Path("/usr/share/java").glob("*.jar")
                        if p.name in ("okhttp.jar", "okio.jar", "gson.jar"))
        return ["javac", "--release", "8", "-Xlint:-options", "-d", str(out / "classes"), "-cp", jars,
                *(str(p) for p in (out / "src" / "main").rglob("*.java"))]
    return [shutil.which("swift") or "/opt/swift/usr/bin/swift", "build", "--build-path", str(out / ".build")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--langs", default="python,js,ios,android")
    parser.add_argument("--specs", default=",".join(SPECS))
    parser.add_argument("--build", action="store_true", help="also time the compile step of each SDK")
    args = parser.parse_args()
    print("load:", os.getloadavg())
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.specs.split(","):
            cells = []
            for lang in args.langs.split(","):
                out = Path(tmp) / name / lang
                wall, cpu, code = timed([sys.executable, "-m", "apictl", "sdk", str(CORPUS / SPECS[name]), "--lang",
                                         lang, "--out", str(out)], ROOT)
                cell = f"{lang} gen {wall:.1f} s ({cpu:.1f} CPU)" + ("" if code == 0 else " FAILED")
                if args.build and code == 0:
                    wall, cpu, code = timed(build_command(lang, out), out)
                    cell += f", build {wall:.1f} s ({cpu:.1f} CPU)" + ("" if code == 0 else " FAILED")
                cells.append(cell)
                shutil.rmtree(out, ignore_errors=True)
            print(f"{name:14} " + " | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
