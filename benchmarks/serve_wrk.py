"""Requests/s and latency of `apictl serve` under wrk (Debian package `wrk`) on 127.0.0.1.

    python benchmarks/serve_wrk.py [--duration 10] [--connections 16]

Three routes of one REST API: a MOCK integration (static response template), a VTL-templated MOCK
(request and response templates that read $input, $util and $context) and a Lambda proxy route whose
Python handler does nothing (a worker process, as serve runs handlers). Each is loaded twice:
`--connections` connections for throughput, then 1 connection for latency without queueing. The same
no-op handler called directly in this process is timed too; "added p50" is the Lambda route's p50 at
1 connection minus that direct call. Goal (issue 17): >= 1,500 requests/s on MOCK, < 2 ms added p50.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAMBDA = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:noop/invocations"
HANDLER = "def handler(event, context):\n    return {'statusCode': 200, 'body': 'ok'}\n"
VTL_REQUEST = '#set($id = $input.params("id"))\n{"statusCode": 200, "id": "$util.escapeJavaScript($id)"}'
VTL_RESPONSE = ('#set($root = $input.path("$"))\n{"id": "$input.params(\'id\')", "stage": "$context.stage", '
                '"request": "$context.requestId", "items": [#foreach($i in [1..5])"$util.urlEncode("item $i")"'
                '#if($foreach.hasNext),#end#end]}')


def spec() -> dict:
    def route(integration: dict) -> dict:
        return {"get": {"responses": {"200": {"description": "ok"}}, "x-amazon-apigateway-integration": integration}}

    mock = {"type": "mock", "requestTemplates": {"application/json": '{"statusCode": 200}'},
            "responses": {"default": {"statusCode": "200", "responseTemplates": {"application/json": '{"ok": true}'}}}}
    vtl = {"type": "mock", "requestTemplates": {"application/json": VTL_REQUEST},
           "responses": {"default": {"statusCode": "200", "responseTemplates": {"application/json": VTL_RESPONSE}}}}
    return {"openapi": "3.0.1", "info": {"title": "bench", "version": "1"}, "paths": {
        "/mock": route(mock), "/vtl/{id}": route(vtl),
        "/lambda": route({"type": "aws_proxy", "httpMethod": "POST", "uri": LAMBDA})}}


def wrk(url: str, duration: int, connections: int) -> dict:
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p: str) -> float:
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {"rps": rps, "p50": pct("50"), "p99": pct("99"), "errors": int(non2xx.group(1)) if non2xx else 0}


def direct_call_ms(folder: Path, calls: int = 20000) -> float:
    sys.path.insert(0, str(folder))
    from noop import handler  # type: ignore[import-not-found]

    event = {"httpMethod": "GET", "path": "/lambda"}
    started = time.perf_counter()
    for _ in range(calls):
        handler(event, None)
    return (time.perf_counter() - started) / calls * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "api.json").write_text(json.dumps(spec()))
        (folder / "noop.py").write_text(HANDLER)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        server = subprocess.Popen([sys.executable, "-m", "apictl", "serve", "api.json", "--port", "0",
                                   "--no-access-log", "--lambda", "noop=noop:handler"], cwd=folder, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            url = server.stdout.readline().split()[2]
            routes = {"MOCK": url + "mock", "VTL (MOCK + templates)": url + "vtl/abc", "Lambda proxy (no-op)": url + "lambda"}
            for target in routes.values():  # warm up: workers started, templates compiled
                wrk(target, 2, 4)
            rows = []
            for name, target in routes.items():
                loaded = wrk(target, args.duration, args.connections)
                single = wrk(target, args.duration, 1)
                rows.append((name, loaded, single))
            direct = direct_call_ms(folder)
        finally:
            server.terminate()
            server.wait(10)
    load = os.getloadavg()[0]
    print(f"wrk -t1 -c{args.connections} -d{args.duration}s (throughput) and -c1 (latency); load average {load:.1f}\n")
    print(f"| route | req/s ({args.connections} conn.) | p50 | p99 | req/s (1 conn.) | p50 | p99 | non-2xx |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, loaded, single in rows:
        print(f"| {name} | {loaded['rps']:,.0f} | {loaded['p50']:.2f} ms | {loaded['p99']:.2f} ms | {single['rps']:,.0f} | "
              f"{single['p50']:.2f} ms | {single['p99']:.2f} ms | {loaded['errors'] + single['errors']} |")
    print(f"| same no-op handler called directly | | | | {1000 / direct:,.0f} | {direct * 1000:.1f} µs | | |")
    mock_rps = rows[0][1]["rps"]
    added = rows[2][2]["p50"] - direct
    print(f"\n- {'PASS' if mock_rps >= 1500 else 'MISS'}: MOCK route >= 1,500 req/s ({mock_rps:,.0f})")
    print(f"- {'PASS' if added < 2 else 'MISS'}: Lambda proxy adds < 2 ms at p50 ({added:.2f} ms over the direct call)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
