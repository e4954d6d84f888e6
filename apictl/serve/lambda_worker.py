"""The process one Python Lambda handler runs in (``python -m apictl.serve.lambda_worker MODULE FUNCTION``).

It imports the handler once and answers invocations until its input closes: one JSON line in
(``{"event": ..., "context": {...}}``), one JSON line out (``{"result": ...}`` or ``{"error": {...}}``)
on a private copy of the original standard output; what the handler prints goes to standard error,
so it can never corrupt the protocol. Nothing here imports the rest of apictl (start-up stays short).
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
import time
import traceback


class LambdaContext:
    """The context object Lambda passes to Python handlers."""

    def __init__(self, info: dict):
        self.function_name = info.get("functionName", "")
        self.function_version = "$LATEST"
        self.invoked_function_arn = info.get("functionArn", "")
        self.memory_limit_in_mb = str(info.get("memoryLimitInMB", 128))
        self.aws_request_id = info.get("requestId", "")
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = info.get("logStream", "local")
        self.identity = None
        self.client_context = None
        self._deadline_ms = float(info.get("deadlineMs", time.time() * 1000 + 3000))

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int(self._deadline_ms - time.time() * 1000))


def error_object(exc: BaseException, kind: str | None = None) -> dict:
    return {"errorMessage": str(exc), "errorType": kind or type(exc).__name__,
            "stackTrace": [line.rstrip("\n") for line in traceback.format_tb(exc.__traceback__)]}


def load_handler(module: str, function: str):
    if module.endswith(".py"):
        name = "apictl_handler_" + os.path.splitext(os.path.basename(module))[0]
        spec = importlib.util.spec_from_file_location(name, module)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {module}")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    else:
        mod = importlib.import_module(module)
    handler = getattr(mod, function, None)
    if not callable(handler):
        raise AttributeError(f"module '{module}' has no function '{function}'")
    return handler


def main() -> None:
    module, function, folder = sys.argv[1], sys.argv[2], sys.argv[3]
    out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)  # the handler's print() and any stray writes go to standard error
    sys.stdout = sys.stderr
    paths = [folder, os.getcwd()] + ([os.path.dirname(module)] if module.endswith(".py") else [])
    for path in paths:
        if path and path not in sys.path:
            sys.path.insert(0, path)
    try:
        handler = load_handler(module, function)
    except BaseException as exc:  # noqa: BLE001 - an init error is the function's answer, not ours
        out.write(json.dumps({"init_error": error_object(exc, "Runtime.ImportModuleError")}) + "\n")
        handler = None
    else:
        out.write('{"ready": true}\n')
    for line in sys.stdin:
        if not line.strip():
            continue
        message = json.loads(line)
        if handler is None:
            out.write(json.dumps({"error": {"errorMessage": "handler failed to initialise",
                                            "errorType": "Runtime.ImportModuleError"}}) + "\n")
            continue
        try:
            result = handler(message["event"], LambdaContext(message.get("context") or {}))
            try:
                text = json.dumps({"result": result})
            except (TypeError, ValueError) as exc:
                text = json.dumps({"error": error_object(exc, "Runtime.MarshalError")})
        except BaseException as exc:  # noqa: BLE001 - a raising handler answers a function error
            traceback.print_exc()
            text = json.dumps({"error": error_object(exc)})
        out.write(text + "\n")


if __name__ == "__main__":
    main()
