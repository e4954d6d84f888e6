"""The real-world regression suite's data: every finding `apictl validate` gives on ../shared/corpus/gateway and
on the files of ../shared/corpus/sdk that carry API Gateway extensions, pinned in corpus_expected_findings.json
with a review note per rule and file (why the findings are right).

    python tests/corpus_findings.py           # show what differs from the pinned findings
    python tests/corpus_findings.py --write   # pin the current findings (new rule/file pairs need a review)

tests/test_gateway_corpus.py fails on any difference: a new false positive, or a lost true positive.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = Path(__file__).resolve().parent / "corpus_expected_findings.json"
TODO = "TODO: review"


def corpus_folder() -> Path:
    return Path(os.environ.get("APICTL_CORPUS") or ROOT.parent / "shared" / "corpus")


def sdk_files_with_extensions(corpus: Path) -> list[str]:
    return sorted(str(p.relative_to(corpus)) for p in (corpus / "sdk").rglob("*")
                  if p.suffix in (".yaml", ".yml", ".json") and b"x-amazon-apigateway-" in p.read_bytes())


def runs(corpus: Path) -> list[list[str]]:
    """The command lines, run in the corpus folder: the gateway files, and the SDK files with their folder as
    the root (their $refs reach shared files beside them)."""
    gateway = sorted(str(p.relative_to(corpus)) for p in (corpus / "gateway").iterdir() if p.is_file())
    return [["validate", *gateway], ["validate", "--root", "sdk", *sdk_files_with_extensions(corpus)]]


def collect(corpus: Path) -> tuple[list[list], list[str]]:
    """(findings as [file, line, rule, pointer, message], input error lines)."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                                                      os.environ.get("PYTHONPATH")]))}
    findings, errors = [], []
    for args in runs(corpus):
        result = subprocess.run([sys.executable, "-m", "apictl", *args, "-f", "json"], cwd=corpus, env=env,
                                capture_output=True, text=True, timeout=600)
        if "Traceback" in result.stderr or not result.stdout:
            raise AssertionError(f"apictl {' '.join(args[:3])} ... failed:\n{result.stderr}")
        findings += [[i["file"], i["line"], i["id"], i["pointer"], i["message"]]
                     for i in json.loads(result.stdout)["items"]]
        errors += result.stderr.strip().splitlines()
    return sorted(findings), sorted(errors)


def load_expected() -> dict:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def review_keys(findings: list[list]) -> set[tuple[str, str]]:
    return {(rule, Path(file).name) for file, _, rule, _, _ in findings}


def write(findings: list[list], errors: list[str]) -> None:
    old = load_expected() if EXPECTED.exists() else {"reviews": {}}
    reviews: dict[str, dict[str, str]] = {}
    for rule, name in sorted(review_keys(findings)):
        reviews.setdefault(rule, {})[name] = old["reviews"].get(rule, {}).get(name, TODO)
    data = {
        "$comment": "Pinned by tests/corpus_findings.py --write; every rule/file pair is reviewed (why the findings "
                    "are right). tests/test_gateway_corpus.py fails on any difference.",
        "input_errors": errors,
        "reviews": reviews,
        "findings": findings,
    }
    text = json.dumps(data, indent=1, ensure_ascii=False)
    EXPECTED.write_text(text + "\n", encoding="utf-8")


def main() -> int:
    findings, errors = collect(corpus_folder())
    if "--write" in sys.argv:
        write(findings, errors)
        todo = [f"{rule} {name}" for rule, names in load_expected()["reviews"].items() for name, note in names.items()
                if note == TODO]
        print(f"pinned {len(findings)} findings; {len(todo)} rule/file pair(s) to review", *todo, sep="\n  ")
        return 0
    expected = load_expected()
    pinned = {tuple(f) for f in expected["findings"]}
    now = {tuple(f) for f in findings}
    for f in sorted(now - pinned):
        print("new:  ", *f)
    for f in sorted(pinned - now):
        print("lost: ", *f)
    if errors != expected["input_errors"]:
        print("input errors differ:", errors)
    return 1 if now != pinned or errors != expected["input_errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
