"""Property-based robustness: mutated real specs and random bytes through validate, diff, plan, export and sdk
(all four languages, generation only). Whatever the input, apictl

* exits 0, 1 or 2, never with a traceback, within 20 s of CPU and 1.5 GB (and never hangs);
* on exit 2 prints exactly one line ``file:line:col: error: message`` (and writes no partial output);
* on exit 0/1 with ``-f json`` writes a report whose items all have a position; an SDK is whole or absent.

Seeds: ``specs/`` and, when ``../shared/corpus`` is present, its API Gateway files and excerpts of its SDK
corpus (a few operations of each spec with every schema they reach). Mutations work on the parsed data
(replace, delete, rename, add ``$ref``s and cycles, nasty strings and numbers, deep nesting) and on the
serialised text (truncate, insert or flip bytes); a share of the examples is random bytes.

Examples: ``APICTL_FUZZ_EXAMPLES`` (default 2,000: the CI profile, a few minutes on two cores). CI runs the same
examples every time (derandomized: a red build is about the change under test, never about luck); the nightly
profile explores new ones, ``APICTL_FUZZ_EXAMPLES=50000 APICTL_FUZZ_RANDOM=1`` (about an hour and a half), and
prints the seed of a failure: ``APICTL_FUZZ_SEED=N`` replays it.
Each example runs through two commands at once, each in a fork of the test process (tests/inprocess.py), so no
interpreter start-up is paid and both cores of a CI machine work.
"""
from __future__ import annotations

import copy
import json
import os
import re
import shutil
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, seed, settings, strategies as st  # noqa: E402

import inprocess  # noqa: E402
from conftest import CORPUS, ROOT  # noqa: E402

EXAMPLES = int(os.environ.get("APICTL_FUZZ_EXAMPLES", "2000"))
EXPLORE = os.environ.get("APICTL_FUZZ_RANDOM") == "1" or bool(os.environ.get("APICTL_FUZZ_SEED"))
CPU_LIMIT = 20  # seconds of CPU per command (wall clock varies with the load of a shared machine)
HANG_LIMIT = 60.0  # seconds of wall clock: a command that waits this long is hung
MEMORY_MB = 1536
ONE_LINE = re.compile(r"^(?P<file>[^\n]+):(?P<line>\d+):(?P<col>\d+): error: \S[^\n]*$")
SEED_LIMIT = 60_000  # bytes: bigger seeds make slow examples without finding more


# -- seeds ------------------------------------------------------------------------------------------------------
def _load(path: Path):
    from apictl.source.document import load_document
    from apictl.source.errors import InputError

    try:
        return load_document(path, path.name).data
    except InputError:
        return None


def _refs(node, out: set[str]) -> None:
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            ref = n.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/"):
                out.add(ref)
            stack.extend(n.values())
        elif isinstance(n, list):
            stack.extend(n)


def excerpt(spec: dict, paths: int = 3) -> dict:
    """A few operations of a big spec and everything they reach through local $refs."""
    out = {k: v for k, v in spec.items() if k not in ("paths", "components", "definitions")}
    out["paths"] = dict(list((spec.get("paths") or {}).items())[:paths])
    wanted: set[str] = set()
    _refs(out["paths"], wanted)
    done: set[str] = set()
    while wanted - done:
        ref = min(wanted - done)  # (not set.pop(): its order changes with PYTHONHASHSEED, and so would the seeds)
        done.add(ref)
        parts = ref[2:].split("/")
        node = spec
        for part in parts:
            node = node.get(part.replace("~1", "/").replace("~0", "~")) if isinstance(node, dict) else None
        if node is None:
            continue
        target = out
        for part in parts[:-1]:
            target = target.setdefault(part.replace("~1", "/").replace("~0", "~"), {})
        target[parts[-1].replace("~1", "/").replace("~0", "~")] = node
        _refs(node, wanted)
    return out


def _seeds() -> list[tuple[str, dict]]:
    seeds = []
    for path in sorted((ROOT / "specs").glob("*.yaml")):
        data = _load(path)
        if isinstance(data, dict):
            seeds.append((path.name, data))
    if CORPUS.is_dir():
        for path in sorted((CORPUS / "gateway").glob("*")):
            if path.stat().st_size <= SEED_LIMIT:
                data = _load(path)
                if isinstance(data, dict):
                    seeds.append((path.name, data))
        for path in sorted((CORPUS / "sdk").glob("*.*")):
            if path.suffix in (".json", ".yaml", ".yml"):
                data = _load(path)
                if isinstance(data, dict) and isinstance(data.get("paths"), dict):
                    small = excerpt(data)
                    if len(json.dumps(small, default=str)) <= SEED_LIMIT:
                        seeds.append((path.stem + "-excerpt.json", small))
    return seeds


SEEDS = _seeds()

# -- mutations --------------------------------------------------------------------------------------------------
NASTY_TEXT = st.sampled_from([
    "", " ", "\x00", "\u202e", "\ud800", "\x1b[2J", "\u2028", "\ud7ff", "😀", "日本", "é", "%s", "{{x}}", "${x}", "\\", '"', "'",
    "\n", "\r\n", "\t", "../../etc/passwd", "/", "~", "~1", "#", "#/", "#/components", "a" * 300, "1", "true",
    "null", "<<", "$ref", "x-amazon-apigateway-integration", "{id}", "/{id}", "{", "}", "GET", "get", "200",
    "default", "application/json", "*/*", "multipart/form-data", "object", "array", "string", "integer",
    "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/x/invocations", "$request.body.x",
    "method.request.path.id", "context.requestId", "stageVariables.x", "#set($x = 1)", "$input.json('$')",
])
NUMBERS = st.one_of(st.integers(-2**70, 2**70), st.sampled_from([0, -1, 1, 2**31, 2**63, 10**30]),
                    st.floats(allow_nan=False, allow_infinity=False))
SCALARS = st.one_of(NASTY_TEXT, st.text(max_size=12), NUMBERS, st.booleans(), st.none())


def _pointer_strings(data) -> list[str]:
    out, stack = ["#", "#/"], [((), data)]
    while stack and len(out) < 200:
        path, node = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                p = path + (str(k),)
                out.append("#/" + "/".join(s.replace("~", "~0").replace("/", "~1") for s in p))
                stack.append((p, v))
    return out


def values(data) -> st.SearchStrategy:
    refs = st.sampled_from(_pointer_strings(data) + ["other.yaml#/x", "http://127.0.0.1:9/x.yaml", "#/nope",
                                                       "nope.yaml", "/etc/passwd", "#/components/schemas/A/x"])
    leaf = st.one_of(SCALARS, refs.map(lambda r: {"$ref": r}))
    return st.recursive(leaf, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(st.one_of(NASTY_TEXT, st.text(max_size=6)),
                                                                      inner, max_size=4)), max_leaves=12)


def _containers(data) -> list:
    out, stack = [], [data]
    while stack and len(out) < 4000:
        node = stack.pop()
        if isinstance(node, (dict, list)) and node:
            out.append(node)
            stack.extend(node.values() if isinstance(node, dict) else node)
    return out


def mutate(draw, data):
    """One structural change to ``data`` (in place)."""
    containers = _containers(data)
    if not containers:
        return
    node = draw(st.sampled_from(containers))
    keys = list(node) if isinstance(node, dict) else list(range(len(node)))
    key = draw(st.sampled_from(keys))
    op = draw(st.sampled_from(["replace", "replace", "delete", "rename", "ref", "deep", "share", "type"]))
    if op == "replace":
        node[key] = draw(values(data))
    elif op == "delete":
        del node[key]
    elif op == "rename" and isinstance(node, dict):
        node[draw(st.one_of(NASTY_TEXT, st.text(max_size=8)))] = node.pop(key)
    elif op == "ref":
        target = draw(st.sampled_from(_pointer_strings(data)))
        if isinstance(node[key], dict):
            node[key]["$ref"] = target  # siblings next to a $ref, and cycles through it
        else:
            node[key] = {"$ref": target}
    elif op == "deep":
        depth = draw(st.integers(1, 300))
        value = {"type": "object"}
        for _ in range(depth):
            value = draw(st.sampled_from([{"items": value}, {"properties": {"a": value}}, {"allOf": [value]}, [value]]))
        node[key] = value
    elif op == "share":
        node[key] = draw(st.sampled_from(containers))  # one object twice: an alias (cycles are caught below)
    elif op == "type":
        node[key] = draw(st.sampled_from([[], {}, "", 0, None, True, [node[key]], {"x": node[key]}]))


def to_text(draw, data) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["json", "yaml", "yaml"]))
    try:
        text = json.dumps(data, ensure_ascii=draw(st.booleans()), default=str)  # also refuses a cycle
    except (ValueError, RecursionError):  # a cycle made by "share": no text can hold it
        text, kind = json.dumps({"openapi": "3.0.3", "cycle": True}), "json"
    if kind == "yaml":
        text = _yaml(data)
    raw = text.encode("utf-8", "surrogatepass")
    for _ in range(draw(st.integers(0, 2))):
        edit = draw(st.sampled_from(["truncate", "insert", "flip", "dupline"]))
        at = draw(st.integers(0, max(0, len(raw) - 1)))
        if edit == "truncate":
            raw = raw[:at]
        elif edit == "insert":
            raw = raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]
        elif edit == "flip" and raw:
            raw = raw[:at] + bytes([raw[at] ^ draw(st.integers(1, 255))]) + raw[at + 1:]
        elif edit == "dupline":
            lines = raw.split(b"\n")
            i = at % len(lines)
            raw = b"\n".join(lines[:i + 1] + lines[i:])
    return ("spec.json" if kind == "json" else "spec.yaml"), raw


def _yaml(data) -> str:
    """Block YAML: yaml_rs (fast), else PyYAML's C dumper (data yaml_rs refuses to write), else JSON (YAML too)."""
    import yaml_rs

    try:
        return yaml_rs.dumps(data)
    except Exception:  # noqa: BLE001 - e.g. a value it cannot represent
        pass
    try:
        import yaml

        return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), width=4096, allow_unicode=True)
    except Exception:  # noqa: BLE001
        return json.dumps(data, default=str)


@st.composite
def inputs(draw):
    """(file name, bytes, the seed's text) for one example."""
    if not SEEDS or draw(st.integers(0, 9)) == 0:
        raw = draw(st.binary(max_size=3000))
        return draw(st.sampled_from(["spec.yaml", "spec.json"])), raw, None
    name, original = draw(st.sampled_from(SEEDS))
    data = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 4))):
        mutate(draw, data)
    file, raw = to_text(draw, data)
    return file, raw, json.dumps(original, default=str)


# -- commands ---------------------------------------------------------------------------------------------------
COMMANDS = st.sampled_from(
    [("validate", fmt) for fmt in ("json", "json", "text", "sarif", "github", "junit", "markdown")] * 3
    + [("diff", fmt) for fmt in ("json", "json", "text", "sarif")] * 3
    + [("plan", "json")] * 3 + [("plan", "text")] * 2
    + [("export", fmt) for fmt in ("cloudformation", "sam", "terraform")] * 2
    + [("sdk", "js")] * 3 + [("sdk", "ios")] * 2 + [("sdk", "android")] * 3 + [("sdk", "python")]
)


def command_line(command: str, option: str, file: str) -> list[str]:
    if command == "validate":
        return ["validate", file, "-f", option, "-o", "report.out"]
    if command == "diff":
        return ["diff", "seed.json", file, "-f", option, "-o", "report.out"]
    if command == "plan":
        return ["plan", "--stage", "dev", "-f", option, "-o", "report.out"]
    if command == "export":
        return ["export", "-f", option, "--stage", "dev", "-o", "export.out"]
    return ["sdk", file, "--lang", option, "--out", "sdk"]


def check(outcome: inprocess.Outcome, command: str, option: str, folder: Path) -> None:
    where = f"{command} {option}: exit {outcome.code}, {outcome.seconds:.1f} s\n{outcome.stderr[-3000:]}"
    assert not outcome.timed_out, f"hung (no exit after {HANG_LIMIT} s): " + where
    assert outcome.cpu_seconds < CPU_LIMIT and outcome.code != -24, f"over {CPU_LIMIT} s of CPU: " + where
    assert "Traceback" not in outcome.stderr, where
    assert outcome.code in (0, 1, 2), where
    assert outcome.max_rss_mb < MEMORY_MB, f"{outcome.max_rss_mb:.0f} MB: " + where
    leftovers = [p.name for p in folder.rglob("*") if ".apictl-" in p.name and p.name != ".apictl-manifest.json"]
    assert not leftovers, f"temporary files left: {leftovers}\n{where}"
    if outcome.code == 2:
        lines = outcome.stderr.splitlines()
        assert len(lines) == 1 and ONE_LINE.match(lines[0]), where
        if command == "sdk":
            assert not (folder / "sdk").exists(), "a failed run leaves no SDK behind"
        if command == "export":
            assert not (folder / "export.out").exists(), "a failed export leaves no file behind"
        return
    if command == "sdk":
        manifest = json.loads((folder / "sdk" / ".apictl-manifest.json").read_text())
        written = {p.relative_to(folder / "sdk").as_posix() for p in (folder / "sdk").rglob("*") if p.is_file()}
        assert set(manifest["files"]) == written - {".apictl-manifest.json"}, where
    if option == "json" and command in ("validate", "diff", "plan"):
        report = json.loads((folder / "report.out").read_text())
        for item in report["items"]:
            assert item["line"] >= 1 and item["column"] >= 1, item
    if command in ("validate", "diff") and option in ("json", "sarif"):
        assert outcome.stderr == "", where


def replayable(test):
    """``APICTL_FUZZ_SEED=N`` runs the examples of seed N again (hypothesis prints the seed of a failing run)."""
    value = os.environ.get("APICTL_FUZZ_SEED")
    return seed(int(value))(test) if value else test


@pytest.mark.slow
@replayable
@settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True, derandomize=not EXPLORE,
          suppress_health_check=list(HealthCheck))
@given(example=inputs(), commands=st.lists(COMMANDS, min_size=2, max_size=2))
def test_any_input_gives_exit_0_1_or_2_and_one_positioned_line(example, commands, tmp_path_factory):
    """Each example goes through two commands at once (one child process each, on the two cores of CI)."""
    file, raw, original = example
    base = tmp_path_factory.mktemp("fuzz", numbered=True)
    try:
        folders = []
        for n in range(len(commands)):
            folder = base / str(n)
            folder.mkdir()
            (folder / file).write_bytes(raw)
            (folder / "seed.json").write_text(original or json.dumps({"openapi": "3.0.3", "info": {
                "title": "s", "version": "1"}, "paths": {}}))
            (folder / "apictl.yaml").write_text(f"stages:\n  dev: {{spec: {file}}}\n")
            folders.append(folder)
        runs = [(command_line(name, option, file), folder) for (name, option), folder in zip(commands, folders)]
        outcomes = inprocess.run_together(runs, timeout=HANG_LIMIT, cpu_seconds=CPU_LIMIT, memory_mb=MEMORY_MB)
        for (name, option), folder, outcome in zip(commands, folders, outcomes):
            check(outcome, name, option, folder)
    finally:
        shutil.rmtree(base, ignore_errors=True)
