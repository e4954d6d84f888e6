"""The cross-language round trip (issue 16): operations cut from the real corpus specs (tests/sdk_roundtrip/cases.py;
plus tests/sdk_roundtrip/styles.yaml for the parameter styles no corpus spec uses) go through the Python, JS, Swift
and Java SDKs against one recording server on 127.0.0.1. For each construct (path,
query and header styles, form and multipart bodies with arrays and files, discriminated unions with and without a
mapping, unknown enum values and tags, explicit null vs missing, problem+json errors, binary responses) all four
SDKs must send the same request bytes, the bytes the spec asks for, and decode the same values."""
from __future__ import annotations

import datetime
import email.parser
import email.policy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import need_corpus, run_apictl
from tests.sdk_roundtrip.cases import EXPECTED, MULTIPART, RESPONSES, VARIANTS, write_spec
from tests.sdk_roundtrip.server import Recorded, RecordingServer

pytestmark = pytest.mark.e2e
HERE = Path(__file__).resolve().parent / "sdk_roundtrip"
NAMES = {"python": "rt_sdk", "js": "rt-sdk", "ios": "RtSdk", "android": "com.example.rt"}
JARS = Path("/usr/share/java")
# Headers the SDKs add on their own (transport, identification): not part of what the spec asks for.
TRANSPORT_HEADERS = {"host", "user-agent", "accept", "accept-encoding", "accept-language", "connection",
                     "content-length", "x-apictl-case", "transfer-encoding", "sec-fetch-mode",
                     "cache-control", "pragma"}  # fetch adds the last two to conditional requests (If-None-Match)


@pytest.fixture(scope="module")
def roundtrip(tmp_path_factory):
    corpus = need_corpus()
    base = tmp_path_factory.mktemp("roundtrip")
    spec = write_spec(corpus / "sdk", base / "roundtrip.json")
    sdks = {}
    for lang, name in NAMES.items():
        out = base / lang
        result = run_apictl("sdk", str(spec), "--lang", lang, "--out", str(out), "--name", name)
        assert result.returncode == 0, result.stderr
        sdks[lang] = out
    return base, sdks


def run_driver(lang: str, base: Path, sdk: Path, url: str) -> dict:
    out = base / f"{lang}-results.json"
    if lang == "python":
        proc = subprocess.run([sys.executable, str(HERE / "driver.py"), url, str(out)], capture_output=True,
                              text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(sdk)})
    elif lang == "js":
        node = shutil.which("node") or pytest.skip("node is not installed")
        proc = subprocess.run([node, str(HERE / "driver.mjs"), str(sdk / "index.js"), url, str(out)],
                              capture_output=True, text=True, timeout=300)
    elif lang == "android":
        proc = run_java(base, sdk, url, out)
    else:
        proc = run_swift(base, sdk, url, out)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-6000:]
    return json.loads(out.read_text(encoding="utf-8"))


def run_java(base: Path, sdk: Path, url: str, out: Path) -> subprocess.CompletedProcess:
    from tests.test_sdk_android_e2e import java_classpath

    classpath = java_classpath()
    classes = base / "java-classes"
    sources = [str(p) for p in sorted((sdk / "src" / "main").rglob("*.java"))] + [str(HERE / "RoundTrip.java")]
    compiled = subprocess.run(["javac", "--release", "8", "-Xlint:-options", "-encoding", "UTF-8", "-d", str(classes),
                               "-cp", classpath, *sources], capture_output=True, text=True, timeout=900)
    assert compiled.returncode == 0, compiled.stderr[-6000:]
    return subprocess.run(["java", "-cp", os.pathsep.join([str(classes), classpath]), "RoundTrip", url, str(out)],
                          capture_output=True, text=True, timeout=300)


def run_swift(base: Path, sdk: Path, url: str, out: Path) -> subprocess.CompletedProcess:
    from tests.test_sdk_ios_e2e import swift_executable

    swift = swift_executable() or pytest.skip("swift is not installed")
    tests = sdk / "Tests" / f"{NAMES['ios']}Tests"
    shutil.copy(HERE / "RoundTrip.swift", tests / "RoundTrip.swift")
    env = {**os.environ, "RT_URL": url, "RT_OUT": str(out),
           "PATH": os.pathsep.join([str(Path(swift).parent), os.environ.get("PATH", "")])}
    return subprocess.run([swift, "test", "--build-path", str(base / "swift-build"), "--filter", "RoundTrip/testRoundTrip"],
                          cwd=sdk, capture_output=True, text=True, timeout=1800, env=env)


@pytest.fixture(scope="module")
def runs(roundtrip):
    """{lang: (decoded results, recorded requests by case)} for every language whose toolchain is present."""
    base, sdks = roundtrip
    found = {}
    with RecordingServer(RESPONSES) as server:
        for lang in NAMES:
            try:
                results = run_driver(lang, base, sdks[lang], server.url)
            except pytest.skip.Exception as skipped:
                found[lang] = skipped
                server.take()
                continue
            found[lang] = (results, server.take())
    return found


def present(runs) -> dict:
    done = {lang: run for lang, run in runs.items() if isinstance(run, tuple)}
    if "python" not in done:
        pytest.fail("the Python SDK did not run")
    return done


def request_facts(seen: Recorded, case: str) -> dict:
    """What must be the same in every SDK: method, target, body, and the headers the spec asks for."""
    headers = {k: v for k, v in seen.headers.items() if k not in TRANSPORT_HEADERS}
    return {"method": seen.method, "target": seen.target, "body": seen.body, "headers": headers}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_every_sdk_sends_the_same_request_bytes(runs, case):
    done = present(runs)
    facts = {}
    for lang, (_, log) in done.items():
        assert len(log.get(case, [])) == 1, f"{lang}: expected one request for {case}, got {log.get(case)}"
        facts[lang] = request_facts(log[case][0], case)
    reference = facts["python"]
    for lang, fact in facts.items():
        assert fact == reference, f"{lang} sent another request than python for {case}"
    method, target, body, headers = EXPECTED[case]
    assert (reference["method"], reference["target"]) == (method, target)
    if body is not None:
        assert reference["body"] == body
    for name, value in headers.items():
        assert reference["headers"].get(name) == value, name
    if case in MULTIPART:
        assert multipart_parts(reference["headers"]["content-type"], reference["body"]) == MULTIPART[case]


def multipart_parts(content_type: str, body: bytes) -> list[tuple]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    assert message.is_multipart(), content_type
    parts = []
    for part in message.iter_parts():
        disposition = part.get("Content-Disposition", "")
        name = re.search(r'name="([^"]*)"', disposition).group(1)
        filename = re.search(r'filename="([^"]*)"', disposition)
        parts.append((name, filename.group(1) if filename else None, part.get("Content-Type") if
                      "Content-Type" in part else None, part.get_payload(decode=True)))
    return parts


_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})\Z")


def normalised(value):
    """Date-times as instants (each SDK writes them in its own precision), everything else as it is."""
    if isinstance(value, dict):
        return {k: normalised(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalised(v) for v in value]
    if isinstance(value, str) and _DATE_TIME.match(value):
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    return value


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_every_sdk_decodes_the_same_values(runs, case):
    done = present(runs)
    decoded = {lang: normalised(results[case]) for lang, (results, _) in done.items()}
    reference = decoded["python"]
    shared = ("value", "error", "bytes")  # the facts every language reports (JS has no variant classes or enums)
    for lang, value in decoded.items():
        assert {k: value.get(k) for k in shared} == {k: reference.get(k) for k in shared}, \
            f"{lang} decoded {case} differently"
        if case in VARIANTS and lang != "js":
            assert value["variants"] == VARIANTS[case], lang
    canned = RESPONSES[case]
    if case == "box_problem":
        assert reference == {"error": {"status": 404, "message": "File 999 does not exist"}}
    elif case == "box_content":
        assert reference["bytes"] == "AAH+/1BLAwQ="
    else:
        expected = normalised(json.loads(canned.body)) if canned.body else None
        assert reference["value"] == expected, "decoded and encoded again, unchanged"
    if case == "box_file":
        assert all(results[case]["item_status_known"] is False for lang, (results, _) in done.items() if lang != "js")


def test_all_four_languages_took_part(runs):
    missing = {lang: str(run) for lang, run in runs.items() if not isinstance(run, tuple)}
    if missing:
        pytest.skip(f"toolchains missing: {missing}")
