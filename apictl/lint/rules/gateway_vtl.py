"""Mapping templates (VTL, section 3.9): balanced directives, known $context/$input/$util members,
the 300 KB size limit. Gateway response templates are plain substitution: only their variables are
checked."""
from __future__ import annotations

import re
from typing import Iterator

from ...lazy_re import lazy_compile
from ..gateway import rationale, static_text
from ..gateway_names import INPUT, UTIL, context_problem
from ..registry import Rule, check, declare

declare(
    Rule("apigw-vtl-unbalanced", "error", "A mapping template's #if/#foreach/#macro/#define blocks are not balanced",
         "Close every block with #end, and use #else/#elseif only inside #if.", "gateway",
         example="requestTemplates:\n  application/json: '#if($input.params(\"id\")) {\"id\": 1}'   # no #end",
         rationale=rationale("3.9", "the template fails to render and every request gets a 500")),
    Rule("apigw-vtl-unknown-variable", "warning", "A template uses a $context, $input or $util member that does "
         "not exist", "Use a documented member (e.g. $context.requestId, $input.json('$'), "
         "$util.escapeJavaScript()).", "gateway",
         example="requestTemplates:\n  application/json: '{\"ip\": \"$context.sourceIp\"}'   # $context.identity.sourceIp",
         rationale=rationale("3.9", "an unknown variable renders as empty or as its own text, silently")),
    Rule("apigw-template-too-large", "error", "A mapping template is larger than 300 KB",
         "Move logic to the backend or split the template.", "gateway", example="# a 400 KB requestTemplates value",
         rationale=rationale("2.1, 7.2", "API Gateway rejects templates over 300 KB")),
)

MAX_TEMPLATE_BYTES = 300 * 1024
COMMENTS = lazy_compile(r"#\*.*?\*#|##[^\n]*", re.S)
DIRECTIVE = lazy_compile(r"(?<!\\)#\{?(if|foreach|macro|define|elseif|else|end)\b\}?")
OPENERS = ("if", "foreach", "macro", "define")
MEMBER = lazy_compile(r"\$!?\{?(context|input|util)\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)")


def _templates(ctx) -> Iterator[tuple[object, tuple, str, bool]]:
    """(document, pointer, text, is_vtl) of every template in the spec."""
    api = ctx.api
    params = ctx.options.params
    for integ in api.integrations():
        groups = [(("requestTemplates",), integ.node.get("requestTemplates"))]
        responses = integ.node.get("responses")
        if isinstance(responses, dict):
            groups += [(("responses", k, "responseTemplates"), r.get("responseTemplates"))
                       for k, r in responses.items() if isinstance(r, dict)]
        for rel, templates in groups:
            if isinstance(templates, dict):
                for media, raw in templates.items():
                    text = static_text(raw, params)
                    if text is not None:
                        yield integ.document, integ.pointer + rel + (media,), text.replace("${!", "${"), True
    responses = api.data.get("x-amazon-apigateway-gateway-responses")
    if isinstance(responses, dict):
        for kind, response in responses.items():
            templates = response.get("responseTemplates") if isinstance(response, dict) else None
            if isinstance(templates, dict):
                for media, raw in templates.items():
                    text = static_text(raw, params)
                    if text is not None:
                        pointer = ("x-amazon-apigateway-gateway-responses", kind, "responseTemplates", media)
                        yield api.document, pointer, text, False


@check("apigw-vtl-unbalanced", "apigw-vtl-unknown-variable", "apigw-template-too-large")
def check_templates(ctx):
    if not ctx.api.targets_gateway:
        return
    for doc, pointer, text, is_vtl in _templates(ctx):
        if len(text.encode("utf-8")) > MAX_TEMPLATE_BYTES:
            yield ctx.finding("apigw-template-too-large", f"template is {len(text.encode()):,} bytes (limit "
                              f"{MAX_TEMPLATE_BYTES:,})", pointer, doc)
        code = COMMENTS.sub(lambda m: "\n" * m.group(0).count("\n"), text) if is_vtl else text
        if is_vtl:
            problem = unbalanced(code)
            if problem:
                yield ctx.finding("apigw-vtl-unbalanced", problem, pointer, doc)
        for problem in unknown_members(code):
            yield ctx.finding("apigw-vtl-unknown-variable", problem, pointer, doc)


def unbalanced(code: str) -> str | None:
    """The first nesting problem in a template (comments already removed), or None."""
    stack: list[tuple[str, int]] = []
    for m in DIRECTIVE.finditer(code):
        word, line = m.group(1), code.count("\n", 0, m.start()) + 1
        if word in OPENERS:
            stack.append((word, line))
        elif word in ("else", "elseif"):
            if not stack or stack[-1][0] != "if":
                return f"line {line} of the template: #{word} outside an #if block"
        elif not stack:
            return f"line {line} of the template: #end without an open #if/#foreach/#macro/#define"
        else:
            stack.pop()
    if stack:
        word, line = stack[-1]
        return f"line {line} of the template: #{word} is never closed with #end"
    return None


def unknown_members(code: str) -> Iterator[str]:
    seen = set()
    for m in MEMBER.finditer(code):
        root, path = m.group(1), m.group(2).split(".")
        if root == "context":
            problem = context_problem(path)
        elif root == "input":
            problem = None if path[0] in INPUT else f"$input.{path[0]} does not exist ({', '.join(sorted(INPUT))})"
        else:
            problem = None if path[0] in UTIL else f"$util.{path[0]} does not exist ({', '.join(sorted(UTIL))})"
        if problem and problem not in seen:
            seen.add(problem)
            yield f"line {code.count(chr(10), 0, m.start()) + 1} of the template: {problem}"
