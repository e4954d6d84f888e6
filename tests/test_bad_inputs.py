"""Broken input never crashes, hangs or eats memory.

Every file in tests/bad_inputs/ (plus a few generated here, too big to commit) is validated in a child
process limited to 1.5 GB of address space and 20 s. The outcome must be one of:

* exit 2 with exactly one stderr line ``file:line:col: error: message`` naming the file, or
* exit 0/1 with a JSON report whose findings all carry a real position (line and column >= 1),
  and nothing on stderr.

Never a traceback. tests/bad_inputs/support/ holds the files that the broken specs ``$ref``.
"""
from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

BAD = Path(__file__).resolve().parent / "bad_inputs"
MEMORY_LIMIT = 1536 * 1024 * 1024
TIMEOUT = 20
ONE_LINE_ERROR = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): error: \S.*$")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def validate_bounded(path: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "apictl", "validate", "--format", "json", *extra, str(path)],
        cwd=BAD, capture_output=True, text=True, timeout=TIMEOUT, env=env, preexec_fn=_limit_memory,
    )


def assert_handled(result: subprocess.CompletedProcess, path: Path) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode == 2:
        lines = result.stderr.splitlines()
        assert len(lines) == 1, f"expected one error line, got:\n{result.stderr}"
        match = ONE_LINE_ERROR.match(lines[0])
        assert match, lines[0]
        assert match["file"] == str(path)
        assert int(match["line"]) >= 1 and int(match["col"]) >= 1
        return
    assert result.returncode in (0, 1), f"exit {result.returncode}\n{result.stderr}"
    assert result.stderr == "", result.stderr
    items = json.loads(result.stdout)["items"]
    for item in items:
        assert item["line"] >= 1 and item["column"] >= 1, item
        assert item["file"] and item["id"] and item["message"], item
    if result.returncode == 1:
        assert any(i["level"] == "error" for i in items)


CORPUS = sorted(p for p in BAD.iterdir() if p.is_file())


def test_corpus_is_big_enough():
    assert len(CORPUS) >= 40


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_bad_input_is_handled(path: Path):
    assert_handled(validate_bounded(path), path)


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    huge = tmp_path / "huge.yaml"
    with huge.open("w") as handle:
        handle.write("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\nx-pad: ")
        chunk = "a" * (1024 * 1024)
        for _ in range(70):
            handle.write(chunk)
        handle.write("\n")
    result = validate_bounded(huge)
    assert_handled(result, huge)
    assert result.returncode == 2 and "over the 67,108,864-byte limit" in result.stderr


def test_70_mb_file_parses_within_bounds_when_allowed(tmp_path):
    huge = tmp_path / "huge.yaml"
    with huge.open("w") as handle:
        handle.write("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n")
        block = "".join(f"    S{i}: {{type: string, description: {'d' * 900}}}\n" for i in range(1000))
        for n in range(80):
            handle.write(block.replace("    S", f"    S{n}_"))
    assert huge.stat().st_size > 70 * 1024 * 1024
    result = validate_bounded(huge, "--max-file-size", "100")
    assert_handled(result, huge)
    assert result.returncode == 0


def test_very_long_line(tmp_path):
    spec = tmp_path / "long.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n"
                    "components: {schemas: {A: {type: integer, description: " + "x" * 3_000_000 + ", default: a}}}\n")
    result = validate_bounded(spec)
    assert_handled(result, spec)
    items = json.loads(result.stdout)["items"]
    assert [(i["id"], i["line"]) for i in items] == [("default-invalid", 4)]
    assert items[0]["column"] > 3_000_000  # columns count characters on the long line


# Regressions found with this corpus: what the user sees for each (exit code, text in the one error line or
# the rule ids reported, in report order, leaving out operation-id-missing).
EXPECTED = {
    "utf16-le.yaml": (0, []),  # UTF-16 with a BOM is decoded (YAML 1.2 and JSON allow it)
    "utf16-be-no-bom.json": (0, []),  # ... and detected by its NUL pattern without one
    "yaml-multi-document.yaml": (2, "4:1: error: the file holds more than one YAML document"),
    "json-nan.json": (2, "1:137: error: invalid JSON: NaN is not a JSON value"),
    "json-duplicate-keys.json": (2, "1:75: error: invalid JSON: duplicate key 'paths'"),
    "json-huge-integer.json": (2, "1:84: error: invalid JSON: integer with more than 4,300 digits"),
    "yaml-huge-integer.yaml": (2, "4:1: error: invalid YAML: integer with more than 4,300 digits"),
    "yaml-huge-integer-title.yaml": (2, "2:8: error: invalid YAML: integer with more than 4,300 digits"),
    "json-deep-arrays.json": (2, "1:257: error: nesting deeper than 256 levels"),
    "yaml-deep-block-mappings.yaml": (2, "257:257: error: nesting deeper than 256 levels"),
    "yaml-billion-laughs.yaml": (2, "aliases expand to more than 1,000,000 nodes"),
    "yaml-billion-laughs-tagged.yaml": (2, "aliases expand to more than 1,000,000 nodes"),  # ruamel path
    "yaml-python-tag.yaml": (2, "could not determine a constructor"),  # never executed
    "cfn-double-tag.yaml": (2, "4:19: error: invalid YAML"),
    "binary-junk.yaml": (2, "1:1: error: file is binary"),
    "invalid-utf8.yaml": (2, "4:12: error: file is not valid UTF-8"),
    "empty.yaml": (2, "1:1: error: file is empty"),
    "yaml-only-comments.yaml": (2, "1:1: error: expected a mapping at the top level, found nothing"),
    "ref-long-chain.yaml": (1, ["oas-schema"]),  # 100 chained $refs are not a cycle
    "ref-array-index.yaml": (1, ["parameter-duplicate", "ref-unresolved", "ref-unresolved"]),  # '01' is no index
    "ref-self.yaml": (1, ["ref-cycle", "ref-cycle", "ref-cycle"]),
    "ref-to-directory.yaml": (1, ["ref-target-unreadable"] * 3),
    "ref-to-dev-zero.yaml": (1, ["ref-outside-root"] * 2),
    "ref-url.yaml": (1, ["ref-remote-not-fetched", "ref-remote-not-fetched", "ref-outside-root"]),
    "yaml-complex-keys.yaml": (1, ["oas-schema"]),  # and no rapidyaml noise on stderr
    "cfn-tags-odd-places.yaml": (1, ["oas-version"]),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_outcome(name: str):
    path = BAD / name
    code, expected = EXPECTED[name]
    result = validate_bounded(path)
    assert_handled(result, path)
    assert result.returncode == code, result.stderr
    if code == 2:
        assert expected in result.stderr
    else:
        ids = [i["id"] for i in json.loads(result.stdout)["items"] if i["id"] != "operation-id-missing"]
        assert ids == expected


def test_non_json_numbers_are_named_in_messages():
    result = validate_bounded(BAD / "yaml-nan-values.yaml")
    messages = [i["message"] for i in json.loads(result.stdout)["items"]]
    assert messages == ['NaN (not a JSON number) is not of type "number"',
                        'infinity (not a JSON number) is not of type "number"',
                        'NaN (not a JSON number) is not of type "number"']


def test_device_files_are_refused_not_read(tmp_path):
    """/dev/zero never ends: as a spec or as a $ref target (with --root / so that the ref may leave)."""
    direct = validate_bounded(Path("/dev/zero"))
    assert direct.returncode == 2 and "/dev/zero:1:1: error: is not a regular file" in direct.stderr
    spec = tmp_path / "api.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n"
                    "      operationId: a\n      responses:\n        '200': {$ref: '/dev/zero#/x'}\n")
    result = validate_bounded(spec, "--root", "/")
    assert_handled(result, spec)
    items = json.loads(result.stdout)["items"]
    assert [(i["id"], i["line"], i["message"]) for i in items] == [
        ("ref-target-unreadable", 8, "$ref '/dev/zero': is not a regular file (a device, pipe or socket)")]
