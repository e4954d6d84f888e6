"""Nothing a user owns is overwritten, truncated or half-written: -o onto an input, full disks, read-only
folders, Ctrl-C and SIGTERM, and `sdk --force` (staging folder + manifest) -- issue 11, "Data loss".

The full-disk and read-only cases mount a small tmpfs, which needs root: elsewhere they skip with the reason.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import ECOMMERCE, ROOT, run_apictl

SPEC_TEXT = ECOMMERCE.read_text(encoding="utf-8")
STAGING = ".apictl-staging-"


def leftovers(folder: Path) -> list[str]:
    """apictl's temporary files and staging folders under ``folder`` (there must never be any after a run)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.name.startswith(STAGING) or p.name.endswith(".apictl-tmp"))


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def one_error_line(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def project(tmp_path):
    """A copy of the example project: apictl.yaml with dev/prod stages and specs/ecommerce.yaml."""
    shutil.copy(ROOT / "apictl.yaml", tmp_path / "apictl.yaml")
    (tmp_path / "specs").mkdir()
    shutil.copy(ECOMMERCE, tmp_path / "specs" / "ecommerce.yaml")
    return tmp_path


# -- an output that is one of the inputs ------------------------------------------------------------------------------
@pytest.mark.parametrize("command", [
    ["validate", "specs/ecommerce.yaml", "-o", "specs/ecommerce.yaml"],
    ["validate", "specs/ecommerce.yaml", "-f", "json", "-o", "./specs/../specs/ecommerce.yaml"],
    ["validate", "specs/ecommerce.yaml", "-o", "apictl.yaml"],
    ["diff", "specs/ecommerce.yaml", "specs/ecommerce.yaml", "-o", "specs/ecommerce.yaml"],
    ["diff", "specs/old.yaml", "specs/ecommerce.yaml", "-f", "markdown", "-o", "specs/old.yaml"],
    ["plan", "--stage", "dev", "-o", "specs/ecommerce.yaml"],
    ["plan", "--stage", "dev", "-f", "json", "-o", "apictl.yaml"],
    ["export", "-f", "sam", "--stage", "dev", "--force", "-o", "specs/ecommerce.yaml"],
    ["export", "-f", "terraform", "--stage", "dev", "--force", "-o", "apictl.yaml"],
], ids=lambda c: " ".join(c))
def test_output_over_an_input_is_refused_and_the_input_kept(project, command):
    shutil.copy(project / "specs" / "ecommerce.yaml", project / "specs" / "old.yaml")
    before = tree(project)
    result = run_apictl(*command, cwd=project)
    assert result.returncode == 2
    assert "is one of the input files; refusing to overwrite it" in one_error_line(result)
    assert tree(project) == before
    assert leftovers(project) == []


def test_output_over_a_referenced_file_is_refused(tmp_path):
    """The spec's $ref'd files are inputs too (a link to one as well)."""
    (tmp_path / "api.yaml").write_text(textwrap.dedent("""\
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths:
          /a:
            get:
              operationId: getA
              responses: {'200': {description: ok, content: {application/json: {schema: {$ref: 'models.yaml#/M'}}}}}
        """))
    models = "M: {type: object, properties: {a: {type: string}}}\n"
    (tmp_path / "models.yaml").write_text(models)
    os.link(tmp_path / "models.yaml", tmp_path / "hardlink.yaml")
    for target in ("models.yaml", "hardlink.yaml"):
        result = run_apictl("validate", "api.yaml", "-f", "json", "-o", target, cwd=tmp_path)
        assert result.returncode == 2 and "is one of the input files" in one_error_line(result)
    assert (tmp_path / "models.yaml").read_text() == models
    result = run_apictl("diff", "api.yaml", "api.yaml", "-o", "models.yaml", cwd=tmp_path)
    assert result.returncode == 2 and (tmp_path / "models.yaml").read_text() == models


def test_state_and_baseline_files_are_inputs(project):
    state = project / "state.json"
    result = run_apictl("plan", "--stage", "dev", "--state", "state.json", "--write-state", cwd=project)
    assert result.returncode == 0, result.stderr
    good = state.read_bytes()
    result = run_apictl("plan", "--stage", "dev", "--state", "state.json", "-f", "json", "-o", "state.json",
                        cwd=project)
    assert result.returncode == 2 and state.read_bytes() == good
    result = run_apictl("plan", "--stage", "dev", "--state", "new.json", "--write-state", "-o", "new.json",
                        cwd=project)
    assert result.returncode == 2 and "--state name the same file" in one_error_line(result)
    assert not (project / "new.json").exists()
    result = run_apictl("validate", "specs/ecommerce.yaml", "--write-baseline", "--baseline", "specs/ecommerce.yaml",
                        cwd=project)
    assert result.returncode == 2 and (project / "specs" / "ecommerce.yaml").read_text() == SPEC_TEXT


def test_a_symlinked_output_is_written_through(project):
    """-o report.json where report.json links elsewhere: the link stays, the file it names gets the report."""
    (project / "reports").mkdir()
    (project / "reports" / "real.json").write_text("old")
    (project / "report.json").symlink_to("reports/real.json")
    result = run_apictl("validate", "specs/ecommerce.yaml", "-f", "json", "-o", "report.json", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "report.json").is_symlink()
    assert json.loads((project / "reports" / "real.json").read_text())["kind"] == "lint"


def test_a_dangling_symlinked_output_is_written_through(project):
    """-o report.json where report.json links to a file not made yet: the link stays and its target is created."""
    (project / "report.json").symlink_to("reports/new.json")
    result = run_apictl("validate", "specs/ecommerce.yaml", "-f", "json", "-o", "report.json", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "report.json").is_symlink()
    assert json.loads((project / "reports" / "new.json").read_text())["kind"] == "lint"


# -- full disk, read-only folder ---------------------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB tmpfs (root only), and a function that fills it up to ``free`` bytes left."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs to fill up needs root (and mount); run as root in CI")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0777", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")

    def fill(free: int = 0) -> None:
        stat = os.statvfs(mount)
        size = stat.f_bavail * stat.f_frsize - free
        if size > 0:
            with open(mount / "filler", "ab") as handle:
                handle.write(b"\0" * size)

    try:
        yield mount, fill
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_export_on_a_full_disk_keeps_the_old_template(project, small_disk):
    disk, fill = small_disk
    template = disk / "template.json"
    result = run_apictl("export", "-f", "cloudformation", "--stage", "dev", "-o", str(template), cwd=project)
    assert result.returncode == 0, result.stderr
    good = template.read_bytes()
    json.loads(good)
    fill(free=0)
    result = run_apictl("export", "-f", "cloudformation", "--stage", "prod", "-o", str(template), "--force",
                        cwd=project)
    assert result.returncode == 2
    assert one_error_line(result) == f"{template}: error: cannot write cloudformation export: no space left on the device"
    assert template.read_bytes() == good
    assert leftovers(disk) == []
    # without --force, and with -o: no partial or empty file is left to block the next run
    for command in (["export", "-f", "sam", "--stage", "dev", "-o", str(disk / "sam.json")],
                    ["validate", "specs/ecommerce.yaml", "-f", "sarif", "-o", str(disk / "report.sarif")],
                    ["diff", "specs/ecommerce.yaml", "specs/ecommerce.yaml", "-f", "json", "-o", str(disk / "d.json")],
                    ["plan", "--stage", "dev", "-o", str(disk / "plan.txt")]):
        result = run_apictl(*command, cwd=project)
        assert result.returncode == 2 and "no space left on the device" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert sorted(p.name for p in disk.iterdir()) == ["filler", "template.json"]


def test_sdk_on_a_full_disk_leaves_the_old_sdk_whole(project, small_disk):
    disk, fill = small_disk
    out = disk / "sdk"
    assert run_apictl("sdk", "specs/ecommerce.yaml", "--lang", "js", "--out", str(out), cwd=project).returncode == 0
    before = tree(out)
    fill(free=8192)
    for lang in ("ios", "js"):
        result = run_apictl("sdk", "specs/ecommerce.yaml", "--lang", lang, "--out", str(out), "--force", cwd=project)
        assert result.returncode == 2
        assert one_error_line(result) == f"{out}: error: cannot write SDK: no space left on the device"
        assert tree(out) == before
        assert leftovers(disk) == []
    fresh = disk / "fresh"
    result = run_apictl("sdk", "specs/ecommerce.yaml", "--lang", "android", "--out", str(fresh), cwd=project)
    assert result.returncode == 2 and not fresh.exists() and leftovers(disk) == []


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux) to stand for a full disk")
@pytest.mark.parametrize("command", [
    ["validate", "specs/ecommerce.yaml", "-f", "sarif"],
    ["diff", "specs/ecommerce.yaml", "specs/ecommerce.yaml", "-f", "json"],
    ["plan", "--stage", "dev"],
    ["export", "-f", "sam", "--stage", "dev"],
    ["sdk", "specs/ecommerce.yaml", "--lang", "js", "--out", "sdk"],
    ["rules"],
], ids=lambda c: c[0])
def test_standard_output_on_a_full_disk_is_one_line(project, command):
    """`apictl ... > report` on a full disk (here /dev/full): the run fails with one line, never a traceback."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "apictl", *command], cwd=project, env=env, stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode == 2
    assert one_error_line(result) in ("apictl: error: cannot write the report to standard output: no space left on "
                                      "the device", "apictl: error: cannot write output: no space left on the device")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux) to stand for a full disk")
def test_exit_code_holds_when_even_standard_error_is_full(project):
    """The error line cannot be written: the exit code (2, input error) must still say what happened."""
    (project / "bad.yaml").write_text("openapi: 3.0.3\ninfo: {title: x\n")
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    for command in (["validate", "bad.yaml"], ["validate", "missing.yaml", "-f", "json"], ["plan", "--stage", "nope"]):
        with open("/dev/full", "w") as full:
            code = subprocess.run([sys.executable, "-m", "apictl", *command], cwd=project, env=env, stdout=full,
                                  stderr=full, timeout=120).returncode
        assert code == 2, command


def test_read_only_folders_give_one_line(project, tmp_path):
    """sdk --out / export -o in a read-only folder: one line, exit 2 (a read-only tmpfs as root, chmod otherwise)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    mounted = False
    if os.geteuid() == 0:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)],
                                 capture_output=True).returncode == 0
        if not mounted:
            pytest.skip("root cannot be kept out of a folder by its mode, and mounting a read-only tmpfs failed")
    else:
        folder.chmod(0o555)
    try:
        result = run_apictl("sdk", "specs/ecommerce.yaml", "--lang", "python", "--out", str(folder / "sdk"),
                            cwd=project)
        assert result.returncode == 2
        assert one_error_line(result) in (f"{folder / 'sdk'}: error: cannot write SDK: the file system is read-only",
                                          f"{folder / 'sdk'}: error: cannot write SDK: permission denied")
        result = run_apictl("export", "-f", "sam", "--stage", "dev", "-o", str(folder / "t.json"), cwd=project)
        assert result.returncode == 2 and "cannot write sam export" in one_error_line(result)
        assert list(folder.iterdir()) == []
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)
        else:
            folder.chmod(0o755)


def test_names_too_long_are_one_line(project):
    long = "x" * 300
    result = run_apictl("validate", long + ".yaml", cwd=project)
    assert result.returncode == 2 and "file name too long" in one_error_line(result)
    for command in (["sdk", "specs/ecommerce.yaml", "--lang", "js", "--out", long],
                    ["export", "-f", "sam", "--stage", "dev", "-o", long + ".json"],
                    ["validate", "specs/ecommerce.yaml", "-o", long + ".txt"]):
        result = run_apictl(*command, cwd=project)
        assert result.returncode == 2 and "file name too long" in one_error_line(result), result.stderr
    assert sorted(p.name for p in project.iterdir() if p.name != ".apictl_cache") == ["apictl.yaml", "specs"]


# -- sdk --out: staging folder, manifest, --force ----------------------------------------------------------------------
def sdk(out: Path, *extra: str, lang: str = "js", spec: Path = ECOMMERCE) -> subprocess.CompletedProcess:
    return run_apictl("sdk", str(spec), "--lang", lang, "--out", str(out), *extra)


def test_force_replaces_what_apictl_generated_and_keeps_the_rest(tmp_path):
    out = tmp_path / "sdk"
    assert sdk(out, lang="python").returncode == 0
    manifest = json.loads((out / ".apictl-manifest.json").read_text())
    assert manifest["tool"] == "apictl" and set(manifest["files"]) == set(tree(out)) - {".apictl-manifest.json"}
    (out / "NOTES.md").write_text("mine")
    (out / "tests").mkdir()
    (out / "tests" / "test_mine.py").write_text("mine")
    (out / ".git").mkdir()
    (out / "empty").mkdir()
    # another language: every Python file is stale and goes; the user's files stay, untouched
    result = sdk(out, "--force", lang="js")
    assert result.returncode == 0, result.stderr
    files = tree(out)
    assert files["NOTES.md"] == b"mine" and files["tests/test_mine.py"] == b"mine"
    assert (out / ".git").is_dir() and (out / "empty").is_dir()
    assert not [f for f in files if f.endswith((".py", ".toml")) and not f.startswith("tests/")], sorted(files)
    assert "index.js" in files and "README.md" in files
    assert set(json.loads((out / ".apictl-manifest.json").read_text())["files"]) == \
        {f for f in files if f not in ("NOTES.md", "tests/test_mine.py", ".apictl-manifest.json")}
    assert leftovers(tmp_path) == []


def test_force_refuses_to_touch_files_it_did_not_generate(tmp_path):
    out = tmp_path / "sdk"
    assert sdk(out).returncode == 0
    (out / "client.js").write_text("// my fix\n" + (out / "client.js").read_text())
    before = tree(out)
    result = sdk(out, "--force")
    assert result.returncode == 2
    assert "client.js changed since apictl generated it" in one_error_line(result)
    assert tree(out) == before
    # a file apictl did not write, where a generated file goes (e.g. an SDK from before manifests)
    other = tmp_path / "other"
    other.mkdir()
    (other / "README.md").write_text("my readme")
    result = sdk(other, "--force")
    assert result.returncode == 2 and "--force would replace README.md" in one_error_line(result)
    assert tree(other) == {"README.md": b"my readme"}
    # a stale generated file that was edited is not deleted either
    assert sdk(tmp_path / "py", lang="python").returncode == 0
    (tmp_path / "py" / "pyproject.toml").write_text("edited")
    result = sdk(tmp_path / "py", "--force", lang="js")
    assert result.returncode == 2 and "pyproject.toml changed since" in one_error_line(result)
    assert leftovers(tmp_path) == []


def test_generating_twice_is_byte_identical_and_refused_without_force(tmp_path):
    out = tmp_path / "sdk"
    assert sdk(out, lang="ios").returncode == 0
    first = tree(out)
    result = sdk(out, lang="ios")
    assert result.returncode == 2 and "not empty" in one_error_line(result)
    assert sdk(out, "--force", lang="ios").returncode == 0
    assert tree(out) == first


def test_concurrent_sdk_runs_leave_one_whole_sdk(tmp_path):
    out = tmp_path / "sdk"
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    runs = [subprocess.Popen([sys.executable, "-m", "apictl", "sdk", str(ECOMMERCE), "--lang", lang, "--out",
                              str(out), "--force"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for lang in ("js", "python", "js", "python")]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in runs]
    assert all(code == 0 for code, _ in results), results
    manifest = json.loads((out / ".apictl-manifest.json").read_text())
    assert set(manifest["files"]) == set(tree(out)) - {".apictl-manifest.json"}, "exactly one run's files"
    assert leftovers(tmp_path) == []


# -- signals -----------------------------------------------------------------------------------------------------------
INTERRUPT_AFTER = """
import os, signal, sys
import apictl.output as output
real, count = output._write_new, [0]
def write_then_signal(*args):
    real(*args)
    count[0] += 1
    if count[0] == int(os.environ["APICTL_TEST_AFTER"]):
        os.kill(os.getpid(), getattr(signal, os.environ["APICTL_TEST_SIGNAL"]))
output._write_new = write_then_signal
sys.argv = ["apictl", *sys.argv[1:]]
from apictl.__main__ import main
main()
"""


def interrupted_sdk(out: Path, signame: str, *extra: str, after: int = 3) -> subprocess.CompletedProcess:
    """`apictl sdk` that receives a real signal after writing its ``after``-th file."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT), "APICTL_TEST_AFTER": str(after),
           "APICTL_TEST_SIGNAL": signame}
    return subprocess.run([sys.executable, "-c", INTERRUPT_AFTER, "sdk", str(ECOMMERCE), "--lang", "ios", "--out",
                           str(out), *extra], env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("signame, code, line", [("SIGINT", 130, "apictl: interrupted (SIGINT)"),
                                                  ("SIGTERM", 143, "apictl: terminated (SIGTERM)")])
def test_a_signal_while_the_sdk_is_written_leaves_nothing(tmp_path, signame, code, line):
    out = tmp_path / "sdk"
    result = interrupted_sdk(out, signame)
    assert (result.returncode, one_error_line(result)) == (code, line)
    assert not out.exists() and leftovers(tmp_path) == []
    assert sdk(out, lang="ios").returncode == 0, "the next run needs no --force"
    before = tree(out)
    result = interrupted_sdk(out, signame, "--force", after=10)
    assert result.returncode == code and tree(out) == before and leftovers(tmp_path) == []


STARTED_THEN_MAIN = """
import sys
sys.stdout.write("+")
sys.stdout.flush()
sys.argv = ["apictl", *sys.argv[1:]]
from apictl.__main__ import main
main()
"""


def test_ctrl_c_from_the_terminal(tmp_path):
    """A real SIGINT at a random moment of a real run: exit 130 and nothing, or exit 0 and a whole SDK."""
    out = tmp_path / "sdk"
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    for delay in (0.1, 0.4, 0.8):
        shutil.rmtree(out, ignore_errors=True)
        process = subprocess.Popen([sys.executable, "-c", STARTED_THEN_MAIN, "sdk", str(ECOMMERCE), "--lang",
                                    "android", "--out", str(out)], env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        assert process.stdout.read(1) == "+"  # past the interpreter's own start-up (a signal there is Python's)
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
        assert "Traceback" not in stderr, stderr
        if process.returncode == 130:
            assert stderr.strip().splitlines()[-1] == "apictl: interrupted (SIGINT)"
            assert not out.exists()
        else:
            assert process.returncode == 0, stderr
            assert (out / ".apictl-manifest.json").is_file()
            manifest = json.loads((out / ".apictl-manifest.json").read_text())
            assert set(manifest["files"]) == set(tree(out)) - {".apictl-manifest.json"}
        assert leftovers(tmp_path) == []


def test_sigterm_during_validate_is_one_line(tmp_path):
    spec = tmp_path / "big.yaml"
    schemas = "".join(f"    S{i}: {{type: object, properties: {{a: {{type: string, maxLength: {i}}}}}}}\n"
                      for i in range(40000))
    spec.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n" + schemas)
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "apictl", "validate", str(spec), "-f", "json", "-o",
                                str(tmp_path / "r.json")], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    time.sleep(0.8)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    if process.returncode == 143:
        assert stderr == "apictl: terminated (SIGTERM)\n"
        assert not (tmp_path / "r.json").exists()
    else:  # the machine was fast enough to finish first
        assert process.returncode == 0 and json.loads((tmp_path / "r.json").read_text())["kind"] == "lint"
    assert leftovers(tmp_path) == []
