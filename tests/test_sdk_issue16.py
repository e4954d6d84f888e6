"""Regression tests for the SDK defects of issue 16, on tests/sdk_hostile/issue16_regressions.yaml (one construct per
defect). The Python SDK runs in-process against httpx.MockTransport; the JS SDK runs under node with a fetch stub;
the Java SDK is compiled and run with javac/java; the Swift package is built by tests/test_sdk_mobile_hostile.py and
exercised by the round trip (tests/test_sdk_roundtrip.py)."""
from __future__ import annotations

import email.parser
import email.policy
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_apictl

SPEC = ROOT / "tests" / "sdk_hostile" / "issue16_regressions.yaml"
PACKAGE = "issue_sixteen_client"


@pytest.fixture(scope="module")
def sdks(tmp_path_factory):
    base = tmp_path_factory.mktemp("issue16")
    out = {}
    for lang in ("python", "js", "ios", "android"):
        result = run_apictl("sdk", str(SPEC), "--lang", lang, "--out", str(base / lang))
        assert result.returncode == 0, result.stderr
        out[lang] = base / lang
    out["notes"] = result.stderr
    return out


@pytest.fixture(scope="module")
def sdk(sdks):
    httpx = pytest.importorskip("httpx")
    sys.path.insert(0, str(sdks["python"]))
    try:
        module = importlib.import_module(PACKAGE)
        yield module, httpx
    finally:
        sys.path.remove(str(sdks["python"]))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def mock_client(sdk, answer=(200, {"status": "active"}), content_type="application/json"):
    module, httpx = sdk
    seen = []

    def handler(request):
        seen.append(request)
        status, body = answer
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return httpx.Response(status, content=data, headers={"content-type": content_type})

    client = module.Client("https://api.test", http_client=httpx.Client(transport=httpx.MockTransport(handler)),
                           max_retries=0)
    return client, seen


# -- 1, 3: union path, query and header values are sent as their plain value ------------------------------------------
def test_union_parameters_are_sent_as_plain_values(sdk):
    client, seen = mock_client(sdk)
    client.get_key("3b:16", filter=["a", "b"], x_trace=7)
    client.get_key(42, filter="one")
    assert seen[0].url.raw_path == b"/keys/3b%3A16?filter=a&filter=b" and seen[0].headers["x-trace"] == "7"
    assert seen[1].url.raw_path == b"/keys/42?filter=one"
    module = sdk[0]
    client.get_key(module.models.GetKeyKey("3b:16"))  # the typed union wrapper the signature offers
    assert seen[2].url.raw_path == b"/keys/3b%3A16"


def test_swift_never_puts_try_inside_an_expression_and_java_sends_plain_values(sdks):
    swift = (sdks["ios"] / "Sources").rglob("Client.swift").__next__().read_text()
    assert not re.search(r"[+=(,]\s*try ", swift.replace("= try await", "")), "a `try` right of an operator"
    assert "appendPathParam(\"key\", key, style: \"simple\", explode: false)" in swift
    java = next(sdks["android"].rglob("ApiClient.java")).read_text()
    assert '.pathParam("key", key, "simple", false)' in java


# -- 4, 8: discriminator tags without a mapping come from the variants' const/enum ------------------------------------
def test_discriminator_tags_come_from_the_variants_own_values(sdks):
    from apictl.model.api import build_api
    from apictl.sdk.model import build_sdk_model
    from apictl.source import open_spec

    api = build_api(open_spec(str(SPEC))[0].workspace)
    output = next(m for m in build_sdk_model(api).models if m.raw_name == "Output")
    assert [(tag, t.model.raw_name) for tag, t in output.discriminator.mapping] == \
        [("message", "MessageOutput"), ("reasoning", "ReasoningOutput")]
    swift = next(sdks["ios"].rglob("Output.swift")).read_text()
    assert 'case "message": self = .messageOutput' in swift and 'case "reasoning":' in swift
    java = next(sdks["android"].rglob("Output.java")).read_text()
    assert '"message".equals(tag)' in java and '"reasoning".equals(tag)' in java
    dts = (sdks["js"] / "index.d.ts").read_text()
    assert re.search(r'interface MessageOutput \{\s*"type": "message";', dts)


def test_python_decodes_variants_by_tag_and_keeps_unknown_tags(sdk):
    client, _ = mock_client(sdk, (200, [{"type": "message", "content": "hi"}, {"type": "reasoning", "summary": "s"},
                                        {"type": "web_search", "query": "q"}]))
    items = client.list_outputs()
    module = sdk[0]
    assert isinstance(items[0].root, module.models.MessageOutput) and items[0].root.content == "hi"
    assert isinstance(items[1].root, module.models.ReasoningOutput)
    assert items[2].root == {"type": "web_search", "query": "q"}, "an unknown tag is kept, not an error"


def test_typescript_narrows_discriminated_unions(sdks):
    tsc = shutil.which("tsc") or pytest.skip("tsc is not installed")
    usage = sdks["js"] / "usage.ts"
    usage.write_text('import type { Output, Combined } from "./index.js";\n'
                     'export function text(o: Output): string {\n'
                     '  if (o.type === "message") return o.content;\n'
                     '  return o.summary;\n}\n'
                     'export const c: Combined = { type: "message", content: "x", seen: true };\n')
    result = subprocess.run([tsc, "--noEmit", "--strict", "--target", "es2022", "--module", "es2022",
                             "--moduleResolution", "node", "--lib", "es2022,dom", "usage.ts", "index.d.ts"],
                            cwd=sdks["js"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout


# -- 5: form and multipart bodies honour the Encoding Object; files are file parts -------------------------------------
def test_form_arrays_follow_the_encoding_defaults(sdk):
    client, seen = mock_client(sdk, (200, {"type": "message", "content": "ok"}))
    client.send_message(body={"To": "+1", "MediaUrl": ["a", "b"], "Tags": ["x", "y"]})
    assert seen[0].content == b"MediaUrl=a&MediaUrl=b&Tags=x%2Cy&To=%2B1"
    assert seen[0].headers["content-type"] == "application/x-www-form-urlencoded"


def test_multipart_sends_files_as_file_parts(sdk):
    module, _ = sdk
    client, seen = mock_client(sdk, (204, b""))
    client.upload(body=module.models.UploadRequest(file=b"\x89PNG", labels=["a", "b"],
                                                   meta=module.models.UploadRequestMeta(owner="me")))
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + seen[0].headers["content-type"].encode() + b"\r\n\r\n" + seen[0].content)
    parts = [(p["Content-Disposition"], p.get("Content-Type"), p.get_payload(decode=True)) for p in message.iter_parts()]
    assert parts == [('form-data; name="file"; filename="file"', "image/png", b"\x89PNG"),
                     ('form-data; name="labels"', None, b"a"), ('form-data; name="labels"', None, b"b"),
                     ('form-data; name="meta"', "application/json", b'{"owner":"me"}')]


def test_a_media_type_with_its_own_schema_gets_its_own_method(sdk, sdks):
    client, seen = mock_client(sdk, (204, b""))
    client.create_attachment(body={"title": "t"})
    client.create_attachment_multipart(body={"title": "t", "files": [("a.txt", b"A"), b"B"]})
    assert seen[0].content == b'{"title":"t"}'
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + seen[1].headers["content-type"].encode() + b"\r\n\r\n" + seen[1].content)
    assert [(p["Content-Disposition"], p.get_payload(decode=True)) for p in message.iter_parts()] == [
        ('form-data; name="files"; filename="a.txt"', b"A"), ('form-data; name="files"; filename="files"', b"B"),
        ('form-data; name="title"', b"t")]
    assert "createAttachmentMultipart(" in (sdks["js"] / "index.d.ts").read_text()
    assert "func createAttachmentMultipart(" in next(sdks["ios"].rglob("Client.swift")).read_text()
    assert " createAttachmentMultipart(" in next(sdks["android"].rglob("ApiClient.java")).read_text()


# -- 6, 10: open enums, typed decoding errors, problem+json messages ---------------------------------------------------
def test_python_enums_keep_unknown_values(sdk):
    client, _ = mock_client(sdk, (200, {"status": "deleted", "ttl": 7}))
    record = client.get_key("k")
    assert record.status == "deleted" and record.status.is_known is False and record.ttl == 7
    module = sdk[0]
    assert module.models.RecordStatus("active").is_known
    assert json.loads(record.model_dump_json(exclude_unset=True)) == {"status": "deleted", "ttl": 7}


@pytest.mark.parametrize("body", [b"<html>gateway timeout</html>", b'{"status": 5}'])
def test_a_body_that_does_not_decode_is_a_typed_error_with_the_raw_response(sdk, body):
    module, _ = sdk
    client, _ = mock_client(sdk, (200, body))
    with pytest.raises(module.ResponseValidationError) as info:
        client.get_key("k")
    assert isinstance(info.value, module.SdkError) and info.value.body == body and info.value.status == 200


def test_problem_json_errors_have_a_message(sdk):
    module, _ = sdk
    client, _ = mock_client(sdk, (404, {"type": "about:blank", "title": "Not Found", "detail": "no key k"}),
                            "application/problem+json")
    with pytest.raises(module.ClientError) as info:
        client.get_key("k")
    assert info.value.message == "no key k" and "no key k" in str(info.value)
    assert info.value.parsed.title == "Not Found"
    client, _ = mock_client(sdk, (404, {"title": "Not Found"}), "application/problem+json")
    with pytest.raises(module.ClientError) as info:
        client.get_key("k")
    assert info.value.message == "Not Found"


# -- 7: mypy --strict ---------------------------------------------------------------------------------------------------
def test_python_sdk_passes_mypy_strict(sdks):
    pytest.importorskip("mypy")
    models = (sdks["python"] / PACKAGE / "models.py").read_text()
    assert "ttl: RecordTtl | None = 3600" not in models
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
                             PACKAGE], cwd=sdks["python"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


# -- 9: Java: no model package without models; no method of java.lang.Object is overridden ---------------------------
def test_java_client_never_overrides_object_methods(sdks):
    java = next(sdks["android"].rglob("ApiClient.java")).read_text()
    for name in ("toString", "hashCode", "getClass", "wait", "notify", "clone", "finalize", "equals"):
        assert not re.search(rf"public \w+ {name}\(", java), name
        assert re.search(rf"public void {name}_\(\) throws ApiException", java), name


def test_android_sdk_of_a_spec_without_schemas_compiles(write, tmp_path):
    from tests.test_sdk_android_e2e import java_classpath

    classpath = java_classpath()
    spec = write("plain.yaml", """
        openapi: 3.0.3
        info: {title: Plain, version: 1.0.0}
        paths:
          /ping:
            get: {operationId: ping, responses: {'204': {description: ok}}}
    """)
    out = tmp_path / "android"
    assert run_apictl("sdk", str(spec), "--lang", "android", "--out", str(out)).returncode == 0
    assert "model.*" not in next(out.rglob("ApiClient.java")).read_text()
    sources = [str(p) for p in out.rglob("src/main/**/*.java")]
    compiled = subprocess.run(["javac", "--release", "8", "-Xlint:-options", "-d", str(tmp_path / "classes"), "-cp",
                               classpath, *sources], capture_output=True, text=True, timeout=300)
    assert compiled.returncode == 0, compiled.stderr[-3000:]


JAVA_NULLS = r'''
import com.example.issuesixteen.Json;
import com.example.issuesixteen.model.RecordModel;
import com.example.issuesixteen.model.RecordStatus;

public class Nulls {
    public static void main(String[] args) {
        String text = "{\"status\":\"active\",\"note\":null,\"container\":\"c\",\"free\":\"form\"}";
        RecordModel record = Json.gson().fromJson(text, RecordModel.class);  // Record is a Java keyword
        check(record.getStatus() == RecordStatus.ACTIVE && record.getNote() == null, "decoded");
        check(record.getExplicitNulls().contains("note"), "explicit null recorded");
        check("form".equals(record.getAdditionalProperties().get("free")), "additional property kept");
        check(Json.canonical(record).equals("{\"container\":\"c\",\"free\":\"form\",\"note\":null,\"status\":\"active\"}"),
              Json.canonical(record));
        check(Json.canonical(new RecordModel().setStatus(RecordStatus.of("new"))).equals("{\"status\":\"new\"}"),
              "missing stays missing");
        check(Json.canonical(new RecordModel().setNote(null)).equals("{\"note\":null}"), "a setter called with null sends null");
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
'''


# -- 12: Java explicit nulls and additionalProperties --------------------------------------------------------------------
def test_java_keeps_explicit_nulls_and_additional_properties(sdks, tmp_path):
    from tests.test_sdk_android_e2e import java_classpath

    classpath = java_classpath()
    (tmp_path / "Nulls.java").write_text(JAVA_NULLS)
    sources = [str(p) for p in sdks["android"].rglob("src/main/**/*.java")] + [str(tmp_path / "Nulls.java")]
    classes = tmp_path / "classes"
    compiled = subprocess.run(["javac", "--release", "8", "-Xlint:-options", "-d", str(classes), "-cp", classpath,
                               *sources], capture_output=True, text=True, timeout=300)
    assert compiled.returncode == 0, compiled.stderr[-3000:]
    run = subprocess.run(["java", "-ea", "-cp", os.pathsep.join([str(classes), classpath]), "Nulls"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]


# -- 11, 12: CORS preflights and server variables -------------------------------------------------------------------------
def test_cors_preflights_are_left_out_unless_asked(sdks, tmp_path):
    assert "1 CORS preflight operation (OPTIONS with a mock integration) left out" in sdks["notes"]
    client = (sdks["python"] / PACKAGE / "client.py").read_text()
    assert '"OPTIONS"' not in client
    out = tmp_path / "cors"
    result = run_apictl("sdk", str(SPEC), "--lang", "python", "--out", str(out), "--include-cors")
    assert result.returncode == 0 and "CORS" not in result.stderr
    assert "'OPTIONS', '/keys/{key}'" in (out / PACKAGE / "client.py").read_text()


def test_server_variables_are_set_at_run_time(sdk, sdks):
    module, _ = sdk
    assert module.Client().base_url == "https://eu-west-1.api.example.com/prod"
    assert module.Client(server_variables={"region": "us-east-1"}).base_url == "https://us-east-1.api.example.com/prod"
    node = shutil.which("node") or pytest.skip("node is not installed")
    code = (f"const m = await import({json.dumps((sdks['js'] / 'index.js').as_uri())});\n"
            "const c = new m.Client({ serverVariables: { stage: 'dev' } });\n"
            "if (c.baseUrl !== 'https://eu-west-1.api.example.com/dev') { console.log(c.baseUrl); process.exit(3); }")
    result = subprocess.run([node, "--input-type=module", "-e", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    swift = next(sdks["ios"].rglob("Transport.swift")).read_text()
    assert 'serverURLTemplate: String = "https://{region}.api.example.com/{stage}"' in swift
    java = next(sdks["android"].rglob("Configuration.java")).read_text()
    assert "public Configuration serverVariables(Map<String, String> variables)" in java


JS_FORM = r'''
const m = await import(process.argv[1]);
const seen = [];
const fetch = async (url, init) => { seen.push({ url, init }); return new Response(
  JSON.stringify({ type: "message", content: "ok" }), { status: 200, headers: { "content-type": "application/json" } }); };
const c = new m.Client({ baseUrl: "https://api.test", fetch });
await c.sendMessage({ body: { To: "+1", MediaUrl: ["a", "b"], Tags: ["x", "y"] } });
await c.getKey({ key: "3b:16", filter: ["a", "b"], xTrace: 7 });
const problem = async () => new Response(JSON.stringify({ title: "Not Found", detail: "no key k" }),
  { status: 404, headers: { "content-type": "application/problem+json" } });
let message;
try { await new m.Client({ baseUrl: "https://api.test", fetch: problem }).getKey({ key: "k" }); }
catch (e) { message = e.errorMessage; }
console.log(JSON.stringify({ form: new TextDecoder().decode(seen[0].init.body), url: seen[1].url,
  trace: seen[1].init.headers["X-Trace"], message }));
'''


def test_js_sends_the_same_form_and_plain_union_values(sdks):
    node = shutil.which("node") or pytest.skip("node is not installed")
    result = subprocess.run([node, "--input-type=module", "-e", JS_FORM, (sdks["js"] / "index.js").as_uri()],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"form": "MediaUrl=a&MediaUrl=b&Tags=x%2Cy&To=%2B1",
                                         "url": "https://api.test/keys/3b%3A16?filter=a&filter=b", "trace": "7",
                                         "message": "no key k"}
