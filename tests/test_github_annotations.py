"""`-f github` workflow annotations: a diff change names the operation it affects in the title."""
from __future__ import annotations

from apictl.report import Report, ReportItem, render
from conftest import ECOMMERCE, run_apictl


def _annotations(stdout: str) -> list[tuple[str, dict[str, str], str]]:
    out = []
    for line in stdout.splitlines():
        assert line.startswith("::"), line
        command, _, rest = line[2:].partition(" ")
        props, _, message = rest.partition("::")
        out.append((command, dict(p.split("=", 1) for p in props.split(",")), message))
    return out


def test_diff_annotation_titles_name_method_and_path(write):
    text = ECOMMERCE.read_text()
    assert "  /orders/{orderId}:" in text and "operationId: clearCart" in text
    changed = write("changed.yaml", text.replace("  /orders/{orderId}:", "  /orders/{orderId}/old:")
                    .replace("operationId: clearCart", "operationId: emptyCart"))
    result = run_apictl("diff", str(ECOMMERCE), str(changed), "-f", "github")
    assert result.returncode == 1, result.stderr
    titles = {props["title"] for _, props, _ in _annotations(result.stdout)}
    assert "api-path-removed-without-deprecation (GET /orders/{orderId})" in titles
    assert "endpoint-added (GET /orders/{orderId}/old)" in titles
    assert "api-operation-id-removed (DELETE /cart)" in titles


def test_title_escapes_operation_text_and_lists_several_operations():
    item = ReportItem(id="response-property-removed", level="error", message="m", file="api.yaml",
                      extra={"operations": ["GET /a,b", "POST /c:d", "PUT /e", "PATCH /f", "DELETE /g"]})
    (command, props, message), = _annotations(render(Report(tool="diff", items=[item]), "github"))
    # the title names the first three; the message lists every affected operation (a shared schema's change)
    assert command == "error" and message == "GET /a,b, POST /c:d, PUT /e, PATCH /f, DELETE /g: m"
    # ':' and ',' are escaped inside properties, so the annotation keeps its shape
    assert props["title"] == "response-property-removed (GET /a%2Cb%2C POST /c%3Ad%2C PUT /e and 2 more)"


def test_lint_annotation_title_is_the_rule_id(write):
    spec = write("api.yaml", """\
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths:
          /pets/{petId}:
            get:
              responses:
                '200': {description: ok}
        """)
    result = run_apictl("validate", str(spec), "-f", "github")
    titles = {props["title"] for _, props, _ in _annotations(result.stdout)}
    assert "path-param-undeclared" in titles
