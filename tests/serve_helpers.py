"""Start `apictl serve` (and moto_server) for tests: real processes on 127.0.0.1, random ports."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    def __init__(self, process: subprocess.Popen, url: str):
        self.process = process
        self.url = url  # http://127.0.0.1:PORT/STAGE/
        self.origin = url.split("/", 3)[0] + "//" + url.split("/", 3)[2]
        self.lines: list[str] = []  # standard output after the first line (access log)
        self.errors: list[str] = []  # standard error
        self._threads = [threading.Thread(target=self._pump, args=(process.stdout, self.lines), daemon=True),
                         threading.Thread(target=self._pump, args=(process.stderr, self.errors), daemon=True)]
        for t in self._threads:
            t.start()

    @staticmethod
    def _pump(stream, sink: list[str]) -> None:
        for line in stream:
            sink.append(line.rstrip("\n"))

    def client(self, **kwargs) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)

    def wait_for_log(self, needle: str, timeout: float = 10, stream: str = "errors") -> str:
        sink = self.errors if stream == "errors" else self.lines
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(sink):
                if needle in line:
                    return line
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} not in {stream}: {sink[-20:]}")


def _env(extra: dict | None) -> dict:
    python_path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "NO_COLOR": "1", "PYTHONPATH": python_path, "PYTHONUNBUFFERED": "1", **(extra or {})}


@contextmanager
def serve(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 30) -> Iterator[Served]:
    """`apictl serve ARGS --port 0`; yields once it prints its URL, stops it (by its pid) afterwards."""
    process = subprocess.Popen([sys.executable, "-m", "apictl", "serve", *args, "--port", "0"], cwd=cwd or ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(env))
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + timeout
        first = ""
        while time.monotonic() < deadline:
            first = process.stdout.readline()
            if first or process.poll() is not None:
                break
        if not first.startswith("Serving on "):
            err = process.stderr.read() if process.poll() is not None else ""
            raise AssertionError(f"apictl serve did not start: {first!r} {err}")
        served = Served(process, first.split()[2])
        yield served
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def moto_server() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(None))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(url + "/moto-api/", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise AssertionError("moto_server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(10)


def write_files(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
