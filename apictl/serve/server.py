"""Running the gateway: load the definition, list what cannot run (exit 2), start aiohttp on
127.0.0.1, and with ``--watch`` reload the definition and the handlers when a file changes."""
from __future__ import annotations

import asyncio
import importlib.util
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..source.errors import InputError
from .app import Gateway, read_request
from .definition import Definition

WATCH_INTERVAL = 0.5


@dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 3000
    watch: bool = False
    access_log: bool = True
    load: Callable[[], Definition] | None = None  # builds the definition (again, on reload)
    ready_file: str | None = None


class DefinitionProblems(InputError):
    def __init__(self, lines: list[str]):
        super().__init__(lines[0] if lines else "definition problems")
        self.lines = lines

    def one_line(self) -> str:
        return "\n".join(self.lines)


def check(definition: Definition) -> None:
    if definition.problems:
        lines = [p.one_line() for p in definition.problems]
        lines.append(f"apictl serve: error: {len(lines)} part(s) of the definition cannot run; nothing was started")
        raise DefinitionProblems(lines)


def watched_files(definition: Definition, config_path: Path | None) -> list[Path]:
    files = [Path(doc.path) for doc in definition.api.workspace.documents.values() if Path(doc.path).is_file()]
    if config_path is not None:
        files.append(config_path)
    for spec in definition.settings.handlers.specs.values():
        if spec.is_command:
            continue
        if spec.module.endswith(".py"):
            files.append(Path(spec.module))
            continue
        sys.path[:0] = [spec.folder]
        try:
            found = importlib.util.find_spec(spec.module)
        except (ImportError, ValueError):
            found = None
        finally:
            del sys.path[0]
        if found is not None and found.origin and Path(found.origin).is_file():
            files.append(Path(found.origin))
            files.extend(p for p in Path(found.origin).parent.glob("*.py"))
    return sorted(set(files))


def _stamp(files: list[Path]) -> dict[Path, float]:
    out = {}
    for f in files:
        try:
            out[f] = f.stat().st_mtime_ns
        except OSError:
            out[f] = -1
    return out


class Server:
    def __init__(self, options: ServeOptions, config_path: Path | None):
        self.options = options
        self.config_path = config_path
        self.gateway: Gateway | None = None
        self.port = options.port

    def _access(self, line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def _make_gateway(self, definition: Definition) -> Gateway:
        return Gateway(definition, port=self.port, access_log=self._access if self.options.access_log else None)

    async def handler(self, request: Any) -> Any:
        from aiohttp import web
        from multidict import CIMultiDict

        req = await read_request(request)
        gateway = self.gateway
        assert gateway is not None
        resp = await gateway.handle(req)
        headers = CIMultiDict()
        for name, value in resp.headers:
            headers.add(name, value)
        return web.Response(status=resp.status, headers=headers, body=resp.body)

    async def run(self) -> None:
        from aiohttp import web

        assert self.options.load is not None
        definition = self.options.load()
        check(definition)
        self.gateway = self._make_gateway(definition)
        server = web.Server(self.handler, access_log=None, handler_cancellation=True)
        loop = asyncio.get_running_loop()
        tcp = await loop.create_server(server, self.options.host, self.options.port, reuse_address=True)
        self.port = tcp.sockets[0].getsockname()[1]
        self.gateway.port = self.port
        for note in await self.gateway.warm():
            self.gateway.log(note)
        self._announce(definition)
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, stop.set)
            except (NotImplementedError, RuntimeError):
                pass
        watcher = asyncio.ensure_future(self._watch(definition)) if self.options.watch else None
        try:
            await stop.wait()
        finally:
            if watcher is not None:
                watcher.cancel()
            tcp.close()
            await tcp.wait_closed()
            await server.shutdown(2)
            await self.gateway.close()

    def _announce(self, definition: Definition) -> None:
        kind = "REST" if definition.is_rest else "HTTP"
        prefix = "" if (not definition.is_rest and definition.stage == "$default") else f"/{definition.stage}"
        url = f"http://{self.options.host}:{self.port}{prefix}/"
        sys.stderr.write(f"apictl serve: {definition.api.title or 'API'} ({kind} API), stage {definition.stage}, "
                         f"{len(definition.methods)} routes\n")
        for method in definition.methods:
            target = method.lambda_target.name if method.lambda_target else method.type.upper()
            sys.stderr.write(f"  {method.http_method:7} {method.resource_path}  ->  {target}\n")
        sys.stderr.flush()
        sys.stdout.write(f"Serving on {url}\n")
        sys.stdout.flush()
        if self.options.ready_file:
            from ..output import write_file

            write_file(self.options.ready_file, url, what="ready file", option="--ready-file")

    async def _watch(self, definition: Definition) -> None:
        assert self.options.load is not None
        files = watched_files(definition, self.config_path)
        stamps = _stamp(files)
        while True:
            await asyncio.sleep(WATCH_INTERVAL)
            current = _stamp(files)
            if current == stamps:
                continue
            stamps = current
            try:
                new_definition = self.options.load()
                check(new_definition)
            except InputError as exc:
                sys.stderr.write(exc.one_line() + "\napictl serve: reload failed; still serving the previous "
                                                  "definition\n")
                sys.stderr.flush()
                continue
            old = self.gateway
            self.gateway = self._make_gateway(new_definition)
            self.gateway.port = self.port
            if old is not None:
                await old.close()
            for note in await self.gateway.warm():
                self.gateway.log(note)
            files = watched_files(new_definition, self.config_path)
            stamps = _stamp(files)
            sys.stderr.write(f"apictl serve: reloaded ({len(new_definition.methods)} routes)\n")
            sys.stderr.flush()


def serve(options: ServeOptions, config_path: Path | None) -> int:
    server = Server(options, config_path)
    try:
        try:
            import uvloop  # optional: a faster event loop where it is installed
        except ImportError:
            asyncio.run(server.run())
        else:
            uvloop.run(server.run())
    except OSError as exc:
        raise InputError(f"cannot listen on {options.host}:{options.port}: {exc.strerror or exc}") from None
    return 0
