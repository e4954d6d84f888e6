"""Invoking local Lambda handlers: a worker process per Python function (reused across requests,
isolated from the other functions), or a process per call for ``-- command`` handlers.

``invoke`` returns a :class:`LambdaResult`; a handler that raises gives a function error (as Lambda
does), one that times out or dies gives ``timed_out`` / ``crashed``. The server never goes down
with a handler.
"""
from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from .handlers import HandlerSpec

MAX_WORKERS_PER_FUNCTION = 4
MAX_RESULT_BYTES = 6 * 1024 * 1024 + 1024  # Lambda's synchronous response limit (6 MB)


@dataclass
class LambdaResult:
    payload: Any = None  # the function's result (JSON value)
    error: dict | None = None  # Lambda's error object {errorMessage, errorType, stackTrace}
    timed_out: bool = False
    crashed: str = ""  # why the worker died, when it did
    latency_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None and not self.timed_out and not self.crashed


class _Worker:
    def __init__(self, process: asyncio.subprocess.Process):
        self.process = process
        self.init_error: dict | None = None

    def kill(self) -> None:
        if self.process.returncode is None:
            try:
                self.process.kill()
            except ProcessLookupError:
                pass


@dataclass
class _Pool:
    spec: HandlerSpec
    idle: list[_Worker] = field(default_factory=list)
    count: int = 0
    waiters: list[asyncio.Future] = field(default_factory=list)


class LambdaRuntime:
    def __init__(self, handlers: Any, env: dict[str, str], region: str, account_id: str):
        self.handlers = handlers
        self.env = env
        self.region = region
        self.account_id = account_id
        self.pools: dict[str, _Pool] = {}
        self.closed = False

    def _env(self, spec: HandlerSpec, name: str) -> dict[str, str]:
        folder_paths = [spec.folder, os.getcwd()]
        python_path = os.pathsep.join(filter(None, [*folder_paths, os.environ.get("PYTHONPATH", "")]))
        return {**os.environ, **self.env, "AWS_LAMBDA_FUNCTION_NAME": name, "AWS_REGION": self.region,
                "AWS_DEFAULT_REGION": self.region, "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
                "PYTHONPATH": python_path, "PYTHONUNBUFFERED": "1"}

    async def _spawn(self, key: str, spec: HandlerSpec) -> _Worker:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "apictl.serve.lambda_worker", spec.module, spec.function, spec.folder,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=None,
            env=self._env(spec, key), cwd=spec.folder or None, limit=MAX_RESULT_BYTES)
        worker = _Worker(process)
        assert process.stdout is not None
        line = await process.stdout.readline()
        if not line:
            worker.init_error = {"errorMessage": "the handler process exited while starting",
                                 "errorType": "Runtime.ExitError"}
        else:
            first = json.loads(line)
            worker.init_error = first.get("init_error")
        return worker

    async def warm(self, key: str) -> dict | None:
        """Start one worker for a Python function now; returns its init error, if any."""
        spec = self.handlers[key]
        if spec.is_command:
            return None
        pool = self.pools.setdefault(key, _Pool(spec))
        if pool.count:
            return None
        pool.count += 1
        try:
            worker = await self._spawn(key, spec)
        except Exception:
            pool.count -= 1
            raise
        self._release(pool, worker)
        return worker.init_error

    async def _acquire(self, key: str) -> tuple[_Pool, _Worker]:
        spec = self.handlers[key]
        pool = self.pools.setdefault(key, _Pool(spec))
        while True:
            while pool.idle:
                worker = pool.idle.pop()
                if worker.process.returncode is None:
                    return pool, worker
                pool.count -= 1
            if pool.count < MAX_WORKERS_PER_FUNCTION:
                pool.count += 1
                try:
                    return pool, await self._spawn(key, spec)
                except BaseException:
                    pool.count -= 1
                    raise
            waiter = asyncio.get_running_loop().create_future()
            pool.waiters.append(waiter)
            await waiter

    def _release(self, pool: _Pool, worker: _Worker) -> None:
        if self.closed or worker.process.returncode is not None:
            pool.count -= 1
            worker.kill()
        else:
            pool.idle.append(worker)
        while pool.waiters:
            waiter = pool.waiters.pop(0)
            if not waiter.done():
                waiter.set_result(None)
                break

    def _discard(self, pool: _Pool, worker: _Worker) -> None:
        worker.kill()
        pool.count -= 1
        while pool.waiters:
            waiter = pool.waiters.pop(0)
            if not waiter.done():
                waiter.set_result(None)
                break

    async def invoke(self, key: str, event: Any, *, request_id: str, timeout_ms: int, function_arn: str = "") -> LambdaResult:
        spec = self.handlers[key]
        started = time.monotonic()
        deadline_ms = time.time() * 1000 + timeout_ms
        context = {"functionName": key, "functionArn": function_arn or
                   f"arn:aws:lambda:{self.region}:{self.account_id}:function:{key}",
                   "requestId": request_id, "deadlineMs": deadline_ms}
        if spec.is_command:
            result = await self._invoke_command(key, spec, event, context, timeout_ms)
        else:
            result = await self._invoke_worker(key, event, context, timeout_ms)
        result.latency_ms = int((time.monotonic() - started) * 1000)
        return result

    async def _invoke_worker(self, key: str, event: Any, context: dict, timeout_ms: int) -> LambdaResult:
        pool, worker = await self._acquire(key)
        if worker.init_error is not None:
            self._release(pool, worker)
            return LambdaResult(error=worker.init_error)
        process = worker.process
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(json.dumps({"event": event, "context": context}).encode() + b"\n")
            await asyncio.wait_for(process.stdin.drain(), timeout_ms / 1000)
            line = await asyncio.wait_for(process.stdout.readline(), timeout_ms / 1000)
        except asyncio.TimeoutError:
            self._discard(pool, worker)
            return LambdaResult(timed_out=True)
        except (ConnectionError, BrokenPipeError, ValueError, asyncio.LimitOverrunError) as exc:
            self._discard(pool, worker)
            return LambdaResult(crashed=f"{type(exc).__name__}: {exc}")
        except BaseException:
            self._discard(pool, worker)  # a cancelled request must not leave a half-read worker behind
            raise
        if not line:
            code = await process.wait()
            self._discard(pool, worker)
            return LambdaResult(crashed=f"the handler process exited (code {code})")
        self._release(pool, worker)
        message = json.loads(line)
        if "error" in message:
            return LambdaResult(error=message["error"])
        return LambdaResult(payload=message.get("result"))

    async def _invoke_command(self, key: str, spec: HandlerSpec, event: Any, context: dict,
                              timeout_ms: int) -> LambdaResult:
        env = {**self._env(spec, key), "AWS_LAMBDA_REQUEST_ID": context["requestId"],
               "AWS_LAMBDA_DEADLINE_MS": str(int(context["deadlineMs"]))}
        try:
            process = await asyncio.create_subprocess_exec(
                *spec.command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE, env=env, cwd=spec.folder or None)
        except OSError as exc:
            return LambdaResult(error={"errorMessage": f"cannot start {spec.command[0]}: {exc.strerror}",
                                       "errorType": "Runtime.InvalidEntrypoint"})
        try:
            out, err = await asyncio.wait_for(process.communicate(json.dumps(event).encode()), timeout_ms / 1000)
        except asyncio.TimeoutError:
            process.kill()
            await process.wait()
            return LambdaResult(timed_out=True)
        except BaseException:
            process.kill()
            raise
        if err:
            sys.stderr.write(err.decode("utf-8", errors="replace"))
        text = out.decode("utf-8", errors="replace").strip()
        parsed: Any = None
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = ValueError
        if process.returncode != 0:
            if isinstance(parsed, dict) and "errorMessage" in parsed:
                return LambdaResult(error=parsed)
            last = err.decode("utf-8", errors="replace").strip().splitlines()[-1:] or [f"exit code {process.returncode}"]
            return LambdaResult(error={"errorMessage": last[0], "errorType": "Runtime.ExitError"})
        if parsed is ValueError:
            return LambdaResult(error={"errorMessage": "the handler's output is not JSON",
                                       "errorType": "Runtime.MarshalError"})
        return LambdaResult(payload=parsed)

    async def close(self) -> None:
        self.closed = True
        for pool in self.pools.values():
            for worker in pool.idle:
                if worker.process.stdin is not None:
                    worker.process.stdin.close()
                worker.kill()
                try:
                    await asyncio.wait_for(worker.process.wait(), 2)
                except asyncio.TimeoutError:
                    pass
            pool.idle.clear()
        self.pools.clear()
