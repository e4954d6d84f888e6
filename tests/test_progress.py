"""Progress bars on long work: drawn on standard error when it is a terminal (a real pty here), and
never when it is piped or with --quiet; standard output (the report, the deploy log) is the same
either way."""
from __future__ import annotations

import fcntl
import os
import pty
import select
import shutil
import socket
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from conftest import ECOMMERCE, ROOT, run_apictl
from plan_project import make_project

BAR = "\u2501"  # the heavy horizontal line rich draws bars with


def run_on_terminal(*args: str, cwd: Path | None = None, env: dict | None = None,
                    stdout_on_terminal: bool = False, timeout: float = 120) -> tuple[int, str, str]:
    """Run apictl with standard error on a pseudo-terminal (and standard output too, if asked).
    Returns (exit code, what went to the piped stdout, what the terminal received)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color", **(env or {})}
    full_env.pop("NO_COLOR", None)
    process = subprocess.Popen([sys.executable, "-m", "apictl", *args], cwd=cwd or ROOT, env=full_env,
                               stdin=subprocess.DEVNULL, stderr=slave,
                               stdout=slave if stdout_on_terminal else subprocess.PIPE)
    os.close(slave)
    received = bytearray()
    deadline = time.monotonic() + timeout
    stdout = b""
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: every writer closed the terminal
                    break
                if not chunk:
                    break
                received += chunk
            elif process.poll() is not None:
                break
        if process.stdout is not None:
            stdout = process.stdout.read()
        code = process.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
            process.wait()
    return code, stdout.decode("utf-8"), received.decode("utf-8", "replace")


def _visible(line: str) -> str:
    """What a terminal line shows at the end: the text after the last carriage return or erase-line, without
    colour codes."""
    import re

    last = re.split(r"\r|\x1b\[2K", line)[-1]
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", last)


@pytest.fixture(scope="module")
def many_specs(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("many")
    files = []
    for n in range(12):
        path = folder / f"spec{n:02d}.yaml"
        shutil.copy(ECOMMERCE, path)
        files.append(str(path))
    return files


def test_validate_many_files_shows_a_bar_on_a_terminal(many_specs):
    code, stdout, terminal = run_on_terminal("validate", "--format", "json", *many_specs)
    assert code == 0, terminal
    assert "Validating" in terminal and BAR in terminal and "12/12" in terminal
    assert "spec11.yaml" in terminal  # the file in hand
    assert terminal.rstrip().endswith("\x1b[2K")  # transient: the bar is erased at the end
    piped = run_apictl("validate", "--format", "json", *many_specs)
    assert stdout == piped.stdout  # the report itself is untouched


def test_validate_piped_or_quiet_or_small_shows_nothing(many_specs):
    piped = run_apictl("validate", *many_specs)
    assert piped.returncode == 0
    assert "Validating" not in piped.stderr and BAR not in piped.stderr and "\x1b" not in piped.stderr
    code, _, terminal = run_on_terminal("validate", "--quiet", *many_specs)
    assert code == 0 and terminal == ""
    code, _, terminal = run_on_terminal("validate", "-q", *many_specs)
    assert code == 0 and terminal == ""
    code, _, terminal = run_on_terminal("validate", *many_specs[:3])  # little work: no bar
    assert code == 0 and terminal == ""
    code, _, terminal = run_on_terminal("validate", *many_specs, env={"TERM": "dumb"})
    assert code == 0 and terminal == ""


def _big_spec(folder: Path, operations: int) -> Path:
    lines = ["openapi: 3.0.3", "info: {title: Big, version: '1'}", "paths:"]
    for n in range(operations):
        lines += [f"  /items{n}:", "    get:", f"      operationId: getItem{n}", "      responses:",
                  "        '200':", "          description: ok", "          content:",
                  "            application/json:", "              schema: {type: object, properties: "
                  "{id: {type: string}}}"]
    path = folder / "big.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.slow
def test_sdk_generation_of_a_large_api_shows_a_bar_only_on_a_terminal(tmp_path):
    spec = _big_spec(tmp_path, 220)
    code, stdout, terminal = run_on_terminal("sdk", str(spec), "--lang", "js", "--out", str(tmp_path / "a"))
    assert code == 0, terminal
    assert "wrote" in stdout
    assert "Rendering" in terminal and "Writing" in terminal and BAR in terminal
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*")
                   if p.is_file() and p.name != ".apictl-manifest.json")
    assert f"/{len(files)}" in terminal  # counts the files it generates (not the manifest of them)

    quiet = run_on_terminal("sdk", str(spec), "--lang", "js", "--out", str(tmp_path / "b"), "--quiet")
    assert quiet[0] == 0 and quiet[2] == ""
    piped = run_apictl("sdk", str(spec), "--lang", "js", "--out", str(tmp_path / "c"))
    assert piped.returncode == 0 and piped.stderr == ""
    # the same SDK whichever way it was made
    for folder in ("b", "c"):
        other = sorted(p.relative_to(tmp_path / folder) for p in (tmp_path / folder).rglob("*")
                       if p.is_file() and p.name != ".apictl-manifest.json")
        assert other == files
        assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / folder / f).read_bytes() for f in files)


def test_small_sdk_shows_no_bar(tmp_path):
    code, _, terminal = run_on_terminal("sdk", str(ECOMMERCE), "--lang", "js", "--out", str(tmp_path / "sdk"))
    assert code == 0 and all(": note: " in line for line in terminal.splitlines())  # notes only (CORS left out)


CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "eu-west-1"}


@pytest.fixture(scope="module")
def moto_endpoint():
    pytest.importorskip("boto3", reason="boto3 is not installed (pip install 'apictl[deploy]')")
    pytest.importorskip("moto.server", reason="moto[server] is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    shim = Path(__file__).with_name("moto_server_shim.py")
    server = subprocess.Popen([sys.executable, str(shim), "127.0.0.1", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("moto_server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.e2e
def test_deploy_shows_a_bar_and_keeps_its_log_on_stdout(tmp_path, moto_endpoint):
    project = make_project(tmp_path / "project")
    args = ("deploy", "--stage", "dev", "--endpoint-url", moto_endpoint)
    code, stdout, terminal = run_on_terminal(*args, "--state", "one.json", cwd=project, env=CREDENTIALS)
    assert code == 0, stdout + terminal
    assert "Deploying dev" in terminal and BAR in terminal
    assert "+ RestApi (AWS::ApiGateway::RestApi): created" in stdout and "Deployed stage 'dev'" in stdout
    assert "RestApi (AWS::ApiGateway" not in terminal  # the log went to its pipe, not to the terminal

    # both streams on the terminal: the log lines are printed above the bar, each one whole
    code, _, terminal = run_on_terminal(*args, "--state", "two.json", cwd=project, env=CREDENTIALS,
                                        stdout_on_terminal=True)
    assert code == 0, terminal
    assert "Deploying dev" in terminal
    screen = [_visible(line) for line in terminal.replace("\r\n", "\n").split("\n")]
    # (the same stage deployed again into this account: the API is adopted by its identity tags, not made twice)
    log = [line for line in screen if "(AWS::ApiGateway::RestApi): " in line]
    assert len(log) == 1 and log[0].startswith("  + RestApi (AWS::ApiGateway::RestApi): adopted "), screen
    assert "Deployed stage 'dev'" in terminal

    code, stdout, terminal = run_on_terminal(*args, "--state", "three.json", "--quiet", cwd=project, env=CREDENTIALS)
    assert code == 0 and terminal == "" and "Deployed stage 'dev'" in stdout
