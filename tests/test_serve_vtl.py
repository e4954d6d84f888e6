"""Mapping templates: AWS's documented examples (input → output) and API Gateway's recorded VTL quirks,
rendered by apictl serve's VTL bridge (airspeed-ext + $input/$util/$context); plus gateway-response
substitution."""
from __future__ import annotations

import json

from apictl.serve.vtl import Input, escape_javascript, render, template_context


def run(template: str, body: str = "", params: dict | None = None, context: dict | None = None,
        stage_variables: dict | None = None) -> str:
    params = params or {"path": {}, "querystring": {}, "header": {}}
    ctx = template_context(context or {"requestId": "req-1", "stage": "dev"})
    return render(template, input=Input(body, params), context=ctx, stage_variables=stage_variables or {})


PETS = '[{"id": 1, "type": "dog", "price": 249.99}, {"id": 2, "type": "cat", "price": 124.99}, ' \
       '{"id": 3, "type": "fish", "price": 0.99}]'


def test_dg_models_and_mappings_petstore_example():
    template = """#set($inputRoot = $input.path('$'))
[
#foreach($elem in $inputRoot)
  {
    "description" : "Item $elem.id is a $elem.type.",
    "askingPrice" : $elem.price
  }#if($foreach.hasNext),#end

#end
]"""
    assert json.loads(run(template, PETS)) == [
        {"description": "Item 1 is a dog.", "askingPrice": 249.99},
        {"description": "Item 2 is a cat.", "askingPrice": 124.99},
        {"description": "Item 3 is a fish.", "askingPrice": 0.99}]


def test_dg_photos_flattening_example():
    body = json.dumps({"photos": {"page": 1, "pages": "1234", "perpage": 100, "total": "123398", "photo": [
        {"id": "12345678901", "owner": "23456789@A12", "photographer_first_name": "Saanvi",
         "photographer_last_name": "Sarkar", "secret": "abc123d456", "server": "1234", "farm": 1,
         "title": "Sample photo 1", "ispublic": True, "isfriend": False, "isfamily": False},
        {"id": "23456789012", "owner": "34567890@B23", "photographer_first_name": "Richard",
         "photographer_last_name": "Roe", "secret": "bcd234e567", "server": "2345", "farm": 2,
         "title": "Sample photo 2", "ispublic": True, "isfriend": False, "isfamily": False}]}})
    template = """#set($inputRoot = $input.path('$'))
{
  "photos": [
#foreach($elem in $inputRoot.photos.photo)
    {
      "id": "$elem.id",
      "photographedBy": "$elem.photographer_first_name $elem.photographer_last_name",
      "title": "$elem.title",
      "ispublic": $elem.ispublic,
      "isfriend": $elem.isfriend,
      "isfamily": $elem.isfamily
    }#if($foreach.hasNext),#end

#end
  ]
}"""
    assert json.loads(run(template, body)) == {"photos": [
        {"id": "12345678901", "photographedBy": "Saanvi Sarkar", "title": "Sample photo 1",
         "ispublic": True, "isfriend": False, "isfamily": False},
        {"id": "23456789012", "photographedBy": "Richard Roe", "title": "Sample photo 2",
         "ispublic": True, "isfriend": False, "isfamily": False}]}


def test_dg_input_variable_examples():
    body = '{"name": "Ada", "things": {"1": {}, "2": {}, "3": {}}, "pets": [{"a": 1}]}'
    assert json.loads(run('{"count": "$input.path(\'$.things\').size()"}', body)) == {"count": "3"}
    assert run("$input.json('$.pets')", body) == '[{"a":1}]'
    assert run("$input.json('$.name')", body) == '"Ada"'
    params = {"path": {"id": "42"}, "querystring": {"id": "q", "q": "1"}, "header": {"X-H": "h"}}
    assert run('{"statusCode": 200, "id": $input.params().path.id}', params=params) == '{"statusCode": 200, "id": 42}'
    assert run("$input.params('id') $input.params('q') $input.params('X-H') [$input.params('none')]",
               params=params) == "42 1 h []"


def test_dg_util_examples():
    body = json.dumps({"errorMessage": json.dumps({"key1": "var1", "key2": {"arr": [1, 2, 3]}})})
    template = """#set ($errorMessageObj = $util.parseJson($input.path('$.errorMessage')))
{"errorMessageObjKey2ArrVal" : $errorMessageObj.key2.arr[0]}"""
    assert json.loads(run(template, body)) == {"errorMessageObjKey2ArrVal": 1}
    assert run("$util.urlEncode($input.body)", '{"some": "value"}') == "%7B%22some%22%3A+%22value%22%7D"
    assert run("$util.urlDecode('a+b%21')") == "a b!"
    assert run("$util.base64Encode('hello')|$util.base64Decode('aGVsbG8=')") == "aGVsbG8=|hello"
    assert run('$util.escapeJavaScript($input.path(\'$.s\'))', '{"s": "it\'s \\"q\\" \\n /"}') == \
        "it\\'s \\\"q\\\" \\n \\/"
    assert escape_javascript("é\u2028😀") == "\\u00E9\\u2028\\uD83D\\uDE00"


def test_recorded_quirks_null_maps_lists_and_empty_body():
    body = '{"nested": {"bigger": "dict", "to": "test", "with": "separators"}, "list": [{"foo": "bar"}], ' \
           '"mixed": {"foo": [{"nested": "bar"}]}, "empty": []}'
    assert run('{"body": $input.path(\'$.missing\'), "n": "$input.path(\'$.missing\')"}', body) == '{"body": , "n": ""}'
    assert run("$input.path('$.nested')", body) == "{bigger=dict, to=test, with=separators}"
    assert run("$input.path('$.list')|$input.path('$.empty')|$input.path('$.mixed')", body) == \
        '[{"foo":"bar"}]|[]|{foo=[{"nested":"bar"}]}'
    assert run("$input.path('$.nested').toString()", body) == "{bigger=dict, to=test, with=separators}"
    assert run("[$input.path('$.list').nested]", body) == "[]"
    assert run("$input.body") == "{}" and run("$input.json('$')") == "{}"
    assert run("$input.body", "some raw data") == "some raw data"
    assert run('#set($r = $input.path(\'$.missing\'))#if($r == "")empty#end #if($r == $null)null#end', body) == \
        "empty null"
    assert run("[$stageVariables.missing]|$stageVariables.env", stage_variables={"env": "dev"}) == "[]|dev"


def test_overrides_and_context():
    ctx = template_context({"requestId": "r", "stage": "dev"})
    render('#set($context.requestOverride.querystring["a"] = "bar")'
           '$context.requestOverride.querystring.put("b", "putBar")'
           '#set($context["requestOverride"].header["h"] = "x")'
           '#set($context.responseOverride.status = 400)$context.requestId',
           input=Input("", {"path": {}, "querystring": {}, "header": {}}), context=ctx, stage_variables={})
    assert ctx["requestOverride"]["querystring"] == {"a": "bar", "b": "putBar"}
    assert ctx["requestOverride"]["header"] == {"h": "x"} and ctx["responseOverride"]["status"] == 400


def test_gateway_response_templates_are_plain_substitution():
    from apictl.serve.gateway_responses import substitute
    from apictl.serve.request import GatewayRequest

    req = GatewayRequest("GET", "/dev/x", "q=1", [("X-Trace", "t1")], b"")
    ctx = {"requestId": "r1", "error": {"messageString": '"Forbidden"', "message": "Forbidden"}}
    out = substitute('{"m": $context.error.messageString, "id": "$context.requestId", "s": "$stageVariables.env", '
                     '"t": "method.request.header.X-Trace", "q": "method.request.querystring.q"}',
                     ctx, {"env": "dev"}, req)
    assert json.loads(out) == {"m": "Forbidden", "id": "r1", "s": "dev", "t": "t1", "q": "1"}


def test_content_handling_tables():
    import base64

    from apictl.serve.content import convert_request_body, convert_response_body
    from apictl.serve.gateway_errors import GatewayFailure

    png = ["image/png"]
    assert convert_request_body(base64.b64encode(b"\x00\x01"), "text/plain", png, "CONVERT_TO_BINARY") == b"\x00\x01"
    assert convert_request_body(b"\x00\x01", "image/png", png, "CONVERT_TO_TEXT") == b"AAE="
    assert convert_request_body(b"\x00\x01", "image/png", png, None) == b"\x00\x01"
    try:
        convert_request_body(b"not base64!", "text/plain", png, "CONVERT_TO_BINARY")
        raise AssertionError("expected a 500")
    except GatewayFailure as failure:
        assert failure.type == "API_CONFIGURATION_ERROR"
    # response side: text payload, binary Accept -> decoded; binary payload, text Accept -> encoded
    assert convert_response_body(b"AAE=", "text/plain", "image/png", png, None) == b"\x00\x01"
    assert convert_response_body(b"\x00\x01", "image/png", "application/json", png, None) == b"AAE="
    assert convert_response_body(b"\x00\x01", "image/png", "image/png", png, None) == b"\x00\x01"
    assert convert_response_body(b"\x00\x01", "image/png", "image/png", png, "CONVERT_TO_TEXT") == b"AAE="
    assert convert_response_body(b"x", "text/plain", "*/*", [], None) == b"x"
