"""How fast `apictl lsp` re-lints a 1,000-line spec after an edit, as an editor sees it (goal: < 150 ms warm).

    python benchmarks/lsp_relint.py [--edits 40] [--lines 1000]

Starts `python -m apictl lsp` from this checkout, speaks JSON-RPC to it over stdio with pygls' client
(debounce set to 0 so only the work is timed; editors get a 300 ms debounce on top), opens a generated
spec of about --lines lines (operations with Lambda integrations, request validators, parameters and
shared schemas, so every rule family runs), then makes --edits one-line edits, each of which changes the
findings (an operationId is made a duplicate, then unique again), and times each from sending
`textDocument/didChange` to receiving `textDocument/publishDiagnostics`. Also times the same lint in
this process (`apictl.lsp.analysis.lint_api`, warm), which is what the server does per edit.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def generate_spec(target_lines: int) -> str:
    head = ["openapi: 3.0.3", "info: {title: Bench API, version: '1.0'}",
            "x-amazon-apigateway-request-validators:", "  all: {validateRequestBody: true, validateRequestParameters: true}",
            "x-amazon-apigateway-request-validator: all", "paths:"]
    body: list[str] = []
    schemas = ["components:", "  schemas:"]
    n = 0
    while len(head) + len(body) + len(schemas) < target_lines:
        body += [
            f"  /things{n}/{{thingId}}:",
            "    parameters:",
            "      - {name: thingId, in: path, required: true, schema: {type: string, maxLength: 64}}",
            "    get:",
            f"      operationId: getThing{n}",
            f"      summary: Read thing {n}",
            "      parameters:",
            "        - {name: expand, in: query, schema: {type: boolean}}",
            "      responses:",
            "        '200':",
            "          description: the thing",
            "          content:",
            f"            application/json: {{schema: {{$ref: '#/components/schemas/Thing{n}'}}}}",
            "        '404': {description: not found}",
            "      x-amazon-apigateway-integration:",
            "        type: aws_proxy",
            "        httpMethod: POST",
            f"        uri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:"
            f"123456789012:function:thing{n}/invocations",
            "        timeoutInMillis: 10000",
        ]
        schemas += [
            f"    Thing{n}:",
            "      type: object",
            "      required: [id]",
            "      properties:",
            "        id: {type: string}",
            "        name: {type: string, maxLength: 100}",
            "        tags: {type: array, items: {type: string}}",
        ]
        n += 1
    return "\n".join(head + body + schemas) + "\n"


async def measure_server(spec: Path, text: str, edits: int) -> dict:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("apictl-bench", "1")
    published: asyncio.Queue = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
        published.put_nowait((time.perf_counter(), params))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    await client.start_io(sys.executable, "-m", "apictl", "lsp", env=env, cwd=str(spec.parent))
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities(),
                                                         root_uri=spec.parent.as_uri(),
                                                         initialization_options={"debounceMs": 0}))
    client.initialized(types.InitializedParams())
    uri = spec.as_uri()
    start = time.perf_counter()
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "yaml", 1, text)))
    first_at, first = await asyncio.wait_for(published.get(), 60)
    cold = first_at - start
    lines = text.split("\n")
    line = next(i for i, l in enumerate(lines) if l.strip() == "operationId: getThing1")
    samples = []
    for version in range(2, edits + 2):
        new = "      operationId: getThing0" if version % 2 == 0 else "      operationId: getThing1"
        sent = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=version, uri=uri),
            [types.TextDocumentContentChangePartial(
                range=types.Range(types.Position(line, 0), types.Position(line, len(lines[line]))), text=new)]))
        while True:
            got_at, params = await asyncio.wait_for(published.get(), 60)
            if params.uri == uri:
                break
        duplicate = any(d.code == "operation-id-duplicate" for d in params.diagnostics)
        assert duplicate == (version % 2 == 0), "the diagnostics do not follow the edit"
        samples.append(got_at - sent)
        lines[line] = new
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return {"cold": cold, "samples": samples, "findings": len(first.diagnostics)}


def measure_in_process(spec: Path, text: str, runs: int) -> list[float]:
    from apictl.lsp.analysis import ConfigCache, lint_api

    configs = ConfigCache()
    texts = {str(spec): text}
    lint_api(spec, texts, configs)  # warm: rules imported, schemas compiled
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        lint_api(spec, texts, configs)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--lines", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder) / "bench.yaml"
        text = generate_spec(args.lines)
        spec.write_text(text)
        (Path(folder) / ".git").mkdir()  # no apictl.yaml from above the temporary folder
        server = asyncio.run(measure_server(spec, text, args.edits))
        local = measure_in_process(spec, text, args.edits)
    samples = sorted(server["samples"])
    ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    p90 = samples[min(len(samples) - 1, int(len(samples) * 0.9))]
    print(f"apictl lsp re-lint after an edit; spec of {text.count(chr(10))} lines, {server['findings']} findings "
          f"at open; Python {platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    print("| what | median | p90 | max |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| didChange -> publishDiagnostics, warm ({len(samples)} edits, debounce 0) | "
          f"{ms(statistics.median(samples))} | {ms(p90)} | {ms(samples[-1])} |")
    print(f"| lint_api in process, warm ({len(local)} runs) | {ms(statistics.median(local))} | "
          f"{ms(sorted(local)[min(len(local) - 1, int(len(local) * 0.9))])} | {ms(max(local))} |")
    print(f"| didOpen -> first diagnostics (cold: imports, schemas) | {ms(server['cold'])} | | |")
    goal = statistics.median(samples) < 0.150
    print(f"\n{'PASS' if goal else 'MISS'}: warm re-lint median < 150 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
