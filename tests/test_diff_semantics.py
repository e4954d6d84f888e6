"""`apictl diff` reads schemas for what they mean: JSON Schema 2020-12 sub-schemas, the spellings of
null and of type lists, parameters on the wire, patterns, compositions, lifecycle policies, webhooks.

Each test compares two small specs in process and asserts the exact set of check ids (and levels
where the level is the point), the way an outside breaking-change suite would.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from conftest import run_apictl

from apictl.diff.checks import CHECKS
from apictl.diff.lifecycle import INVALID, Policy, parse_sunset
from apictl.diff.run import compare
from apictl.model import build_api
from apictl.source import open_spec


def spec(req=None, resp=None, params=None, comps=None, version="3.1.0", op_extra=None, webhooks=None) -> dict:
    op: dict = {"operationId": "op", "responses": {"200": {"description": "ok"}}}
    if params:
        op["parameters"] = params
    if req is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": req}}}
    if resp is not None:
        op["responses"]["200"]["content"] = {"application/json": {"schema": resp}}
    op.update(op_extra or {})
    out = {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {"/items": {"post": op}}}
    if comps:
        out["components"] = {"schemas": comps}
    if webhooks:
        out["webhooks"] = webhooks
    return out


@pytest.fixture
def diff(tmp_path):
    """diff(base, rev, policy=None) -> list of changes (both sides written as files and loaded as a user's)."""
    counter = iter(range(10_000))

    def run(base: dict, rev: dict, policy: Policy | None = None):
        apis = []
        for side in (base, rev):
            path = tmp_path / f"spec{next(counter)}.json"
            path.write_text(json.dumps(side))
            apis.append(build_api(open_spec(str(path))[0].workspace))
        return compare(apis[0], apis[1], policy=policy)

    return run


def ids(changes) -> set[str]:
    return {c.id for c in changes}


def prop(schema: dict, name: str = "p") -> dict:
    return {"type": "object", "properties": {name: schema}}


# -- 1. changes inside JSON Schema 2020-12 sub-schemas ---------------------------------------------
SUBSCHEMA_CASES = {
    "then": ({"type": "string", "if": {"maxLength": 3}, "then": {"minLength": 1}},
             {"type": "string", "if": {"maxLength": 3}, "then": {"minLength": 2}}),
    "else": ({"type": "string", "if": {"maxLength": 3}, "else": {"minLength": 1}},
             {"type": "string", "if": {"maxLength": 3}, "else": {"minLength": 2}}),
    "dependentSchemas": ({"type": "object", "dependentSchemas": {"a": {"properties": {"b": {"minLength": 1}}}}},
                         {"type": "object", "dependentSchemas": {"a": {"properties": {"b": {"minLength": 2}}}}}),
    "prefixItems": ({"type": "array", "prefixItems": [{"type": "string", "minLength": 1}]},
                    {"type": "array", "prefixItems": [{"type": "string", "minLength": 2}]}),
    "contains": ({"type": "array", "contains": {"type": "string", "minLength": 1}},
                 {"type": "array", "contains": {"type": "string", "minLength": 2}}),
    "propertyNames": ({"type": "object", "propertyNames": {"minLength": 1}},
                      {"type": "object", "propertyNames": {"minLength": 2}}),
    "unevaluatedProperties": ({"type": "object", "unevaluatedProperties": {"type": "string", "minLength": 1}},
                              {"type": "object", "unevaluatedProperties": {"type": "string", "minLength": 2}}),
    "unevaluatedItems": ({"type": "array", "unevaluatedItems": {"type": "string", "minLength": 1}},
                         {"type": "array", "unevaluatedItems": {"type": "string", "minLength": 2}}),
    "contentSchema": ({"type": "string", "contentMediaType": "application/json",
                       "contentSchema": {"type": "string", "minLength": 1}},
                      {"type": "string", "contentMediaType": "application/json",
                       "contentSchema": {"type": "string", "minLength": 2}}),
    "patternProperties": ({"type": "object", "patternProperties": {"^x-": {"type": "string", "minLength": 1}}},
                          {"type": "object", "patternProperties": {"^x-": {"type": "string", "minLength": 2}}}),
}


@pytest.mark.parametrize("keyword", sorted(SUBSCHEMA_CASES))
def test_a_change_inside_a_2020_12_subschema_is_reported_with_its_path(diff, keyword):
    old, new = SUBSCHEMA_CASES[keyword]
    changes = diff(spec(req=prop(old)), spec(req=prop(new)))
    assert ids(changes) == {"request-property-min-length-increased"}
    assert CHECKS["request-property-min-length-increased"].level == "ERR"
    assert keyword in changes[0].message and "minLength increased from 1 to 2" in changes[0].message


def test_a_change_in_defs_reached_by_ref_and_in_3_1_ref_siblings(diff):
    def defs(min_length: int) -> dict:
        s = spec(req=prop({"$ref": "#/$defs/Name"}))
        s["$defs"] = {"Name": {"type": "string", "minLength": min_length}}
        return s

    assert ids(diff(defs(1), defs(2))) == {"request-property-min-length-increased"}
    name = {"Name": {"type": "string"}}
    siblings = [spec(req=prop({"$ref": "#/components/schemas/Name", "maxLength": m}), comps=name) for m in (10, 5)]
    assert ids(diff(*siblings)) == {"request-property-max-length-decreased"}


# -- 2. null and type lists are one concept ---------------------------------------------------------
PET = {"Pet": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}}
REF = {"$ref": "#/components/schemas/Pet"}


@pytest.mark.parametrize("nullable", [
    {"oneOf": [{"type": "null"}, REF]}, {"anyOf": [REF, {"type": "null"}]}, {"oneOf": [REF, {"enum": [None]}]},
    {"anyOf": [{"const": None}, REF]},
])
def test_wrapping_in_a_null_alternative_is_became_nullable_only(diff, nullable):
    plain = spec(req=prop(REF), resp=prop(REF), comps=PET)
    wrapped = spec(req=prop(nullable), resp=prop(nullable), comps=PET)
    assert ids(diff(plain, wrapped)) == {"request-property-became-nullable", "response-property-became-nullable"}
    assert ids(diff(wrapped, plain)) == {"request-property-became-not-nullable",
                                         "response-property-became-not-nullable"}


def test_the_spellings_of_nullable_are_the_same_schema(diff):
    spellings = [spec(resp=prop({"type": "string", "nullable": True}), version="3.0.3"),
                 spec(resp=prop({"type": ["string", "null"]})),
                 spec(resp=prop({"oneOf": [{"type": "string"}, {"type": "null"}]})),
                 spec(resp=prop({"anyOf": [{"type": "string"}, {"enum": [None]}]}))]
    for a in spellings:
        for b in spellings:
            assert ids(diff(a, b)) == set(), (a, b)
    with_enum = spec(req=prop({"type": ["string", "null"], "enum": ["a", "b", None]}))
    assert ids(diff(spec(req=prop({"type": "string", "enum": ["a", "b"]})), with_enum)) == \
        {"request-property-became-nullable"}


def test_type_lists_widen_and_narrow_also_when_written_as_alternatives(diff):
    one, two = prop({"type": ["string"]}), prop({"type": ["string", "integer"]})
    assert ids(diff(spec(req=one), spec(req=two))) == {"request-property-list-of-types-widened"}
    assert ids(diff(spec(resp=two), spec(resp=one))) == {"response-property-list-of-types-narrowed"}
    alternatives = prop({"oneOf": [{"type": "string"}, {"type": "integer"}]})
    assert ids(diff(spec(resp=prop({"type": "string"})), spec(resp=alternatives))) == \
        {"response-property-list-of-types-widened"}
    assert CHECKS["response-property-list-of-types-widened"].level == "ERR"


@pytest.mark.parametrize("old, new, where, expected", [
    ("string", "number", "query", "request-parameter-type-specialized"),
    ("string", "integer", "path", "request-parameter-type-specialized"),
    ("string", "boolean", "header", "request-parameter-type-specialized"),
    ("number", "string", "query", "request-parameter-type-generalized"),
    ("integer", "number", "cookie", "request-parameter-type-generalized"),
    ("integer", "boolean", "query", "request-parameter-type-changed"),
])
def test_a_parameter_type_change_is_judged_on_the_wire(diff, old, new, where, expected):
    def param(t: str) -> list:
        return [{"name": "x", "in": where, "required": where == "path", "schema": {"type": t}}]

    assert ids(diff(spec(params=param(old)), spec(params=param(new)))) == {expected}


def test_a_scalar_query_parameter_becoming_an_array_of_itself_generalises_only_in_form_style(diff):
    def param(schema: dict, where: str = "query") -> list:
        return [{"name": "x", "in": where, "schema": schema}]

    array = {"type": "array", "items": {"type": "string"}}
    assert ids(diff(spec(params=param({"type": "string"})), spec(params=param(array)))) == \
        {"request-parameter-type-generalized"}
    assert ids(diff(spec(params=param({"type": "string"}, "header")), spec(params=param(array, "header")))) == \
        {"request-parameter-type-changed"}


# -- 3. patterns and oneOf wrapping ----------------------------------------------------------------
@pytest.mark.parametrize("old, new, expected, level", [
    (None, "^a+$", "request-property-pattern-added", "ERR"),
    ("", "^a+$", "request-property-pattern-added", "ERR"),
    ("^a+$", None, "request-property-pattern-removed", "INFO"),
    ("^a+$", "", "request-property-pattern-removed", "INFO"),
    ("^a+$", "^b+$", "request-property-pattern-changed", "WARN"),
    ("^a+$", ".*", "request-property-pattern-generalized", "INFO"),
])
def test_pattern_added_removed_changed_and_generalized_are_four_ids(diff, old, new, expected, level):
    def schema(pattern) -> dict:
        return prop({"type": "string", **({} if pattern is None else {"pattern": pattern})})

    assert ids(diff(spec(req=schema(old)), spec(req=schema(new)))) == {expected}
    assert CHECKS[expected].level == level
    assert ids(diff(spec(req=schema(None)), spec(req=schema("")))) == set()


def test_a_body_moved_into_a_oneof_with_itself_is_one_wrapped_change(diff):
    comps = {**PET, "Robot": {"type": "object", "required": ["serial"], "properties": {"serial": {"type": "string"}}}}
    wrapped = {"oneOf": [REF, {"$ref": "#/components/schemas/Robot"}]}
    changes = diff(spec(req=REF, resp=REF, comps=comps), spec(req=wrapped, resp=wrapped, comps=comps))
    assert ids(changes) == {"request-body-wrapped-in-one-of", "response-body-wrapped-in-one-of"}
    assert all("'Robot'" in c.message for c in changes)
    inline = copy.deepcopy(PET["Pet"])
    assert ids(diff(spec(req=inline), spec(req={"oneOf": [inline, {"type": "object"}]}))) == \
        {"request-body-wrapped-in-one-of"}
    # taken out of the oneOf again: the alternative is gone, nothing else
    assert ids(diff(spec(req=wrapped, comps=comps), spec(req=REF, comps=comps))) == {"request-body-one-of-removed"}


# -- 6. allOf ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("position", [0, 1, 2])
def test_inserting_one_inline_allof_entry_reports_one_all_of_added(diff, position):
    entries = [REF, {"type": "object", "properties": {"a": {"type": "string"}}}]
    added = {"type": "object", "properties": {"b": {"type": "string"}}}
    new = entries[:position] + [added] + entries[position:]
    changes = diff(spec(req={"allOf": entries}, comps=PET), spec(req={"allOf": new}, comps=PET))
    assert ids(changes) == {"request-body-all-of-added", "new-optional-request-property"}


def test_an_allof_around_a_reference_is_the_reference(diff):
    assert ids(diff(spec(req=REF, comps=PET), spec(req={"allOf": [REF], "description": "a pet"}, comps=PET))) == set()
    name = {"Name": {"type": "string"}}
    old, new = ({"allOf": [{"$ref": "#/components/schemas/Name"}, {"maxLength": m}]} for m in (10, 5))
    assert ids(diff(spec(req=prop(old), comps=name), spec(req=prop(new), comps=name))) == \
        {"request-property-max-length-decreased"}


# -- 7. object-typed query parameters are not headers ---------------------------------------------
def test_a_query_parameter_property_change_has_no_header_id(diff):
    def param(required: list, enum: bool = False) -> list:
        schema = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}
        if required:
            schema["required"] = required
        if enum:
            schema["properties"]["a"]["enum"] = ["x"]
        return [{"name": "filter", "in": "query", "style": "deepObject", "explode": True, "schema": schema}]

    found = ids(diff(spec(params=param([])), spec(params=param(["a"], enum=True))))
    assert found == {"request-parameter-property-became-required", "request-parameter-property-became-enum"}
    assert not any(i.startswith("request-header-") for i in found)


# -- 4. lifecycle ------------------------------------------------------------------------------------
def with_op(**extra) -> dict:
    return spec(req=prop({"type": "string", "maxLength": 10}), op_extra=extra)


def narrowed(**extra) -> dict:
    return spec(req=prop({"type": "string", "maxLength": 5}), op_extra=extra)


@pytest.mark.parametrize("level", ["draft", "alpha"])
def test_changes_to_draft_and_alpha_operations_break_nobody(diff, level):
    assert ids(diff(with_op(**{"x-stability-level": level}), narrowed(**{"x-stability-level": level}))) == set()
    base = with_op(**{"x-stability-level": level})
    gone = copy.deepcopy(base)
    gone["paths"]["/other"] = gone["paths"].pop("/items")
    gone["paths"]["/other"]["post"]["x-stability-level"] = "stable"
    assert "api-path-removed-without-deprecation" not in ids(diff(base, gone))
    assert ids(diff(with_op(**{"x-stability-level": "beta"}), narrowed(**{"x-stability-level": "beta"}))) == \
        {"request-property-max-length-decreased"}


def test_stability_decrease_is_breaking_and_invalid_levels_are_reported(diff):
    assert ids(diff(with_op(**{"x-stability-level": "stable"}), with_op(**{"x-stability-level": "beta"}))) == \
        {"api-stability-decreased"}
    assert ids(diff(with_op(), narrowed(**{"x-stability-level": "draft"}))) == {"api-stability-decreased"}
    assert ids(diff(with_op(**{"x-stability-level": "draft"}), with_op())) == set()  # leaving draft breaks nobody
    assert ids(diff(with_op(), with_op(**{"x-stability-level": "GA"}))) == {"api-invalid-stability-level"}


def test_sunset_dates_are_rfc_3339_dates_or_date_times():
    assert parse_sunset("2030-01-31") == dt.date(2030, 1, 31)
    assert parse_sunset("2030-01-31T10:00:00Z") == dt.date(2030, 1, 31)
    assert parse_sunset(dt.date(2030, 1, 31)) == dt.date(2030, 1, 31)
    for bad in ("2030-01-31junk", "31/01/2030", "2030-02-30", "soon", 20300131):
        assert parse_sunset(bad) == INVALID, bad


def test_deprecation_policy_per_stability(diff):
    today = dt.date(2026, 1, 1)
    policy = Policy(deprecation_days_stable=180, deprecation_days_beta=30, today=today)

    def deprecated(sunset: str | None = None, level: str | None = None) -> dict:
        extra = {"deprecated": True, **({"x-sunset": sunset} if sunset else {}),
                 **({"x-stability-level": level} if level else {})}
        return with_op(**extra)

    base = with_op()
    assert ids(diff(base, deprecated(), policy)) == {"api-deprecated-sunset-missing"}
    assert ids(diff(base, deprecated())) == {"endpoint-deprecated"}  # no policy: INFO
    assert ids(diff(base, deprecated("2026-03-01"), policy)) == {"api-sunset-date-too-small"}
    assert ids(diff(base, deprecated("2026-12-31"), policy)) == {"endpoint-deprecated-with-sunset"}
    assert ids(diff(base, deprecated("not a date"), policy)) == {"api-deprecated-sunset-parse"}
    beta = with_op(**{"x-stability-level": "beta"})
    assert ids(diff(beta, deprecated("2026-03-01", "beta"), policy)) == {"endpoint-deprecated-with-sunset"}
    assert ids(diff(beta, deprecated("2026-01-10", "beta"), policy)) == {"api-sunset-date-too-small"}
    prop_base = spec(req=prop({"type": "string"}))
    prop_dep = spec(req=prop({"type": "string", "deprecated": True, "x-sunset": "2026-02-01"}))
    assert ids(diff(prop_base, prop_dep, policy)) == {"request-property-sunset-date-too-small"}
    later = spec(req=prop({"type": "string", "deprecated": True, "x-sunset": "9999-12-31"}))
    assert ids(diff(prop_base, later)) == {"request-property-deprecated-with-sunset"}


def test_the_deprecation_policy_options(write):
    base = write("a.json", json.dumps(with_op()))
    rev = write("b.json", json.dumps(with_op(deprecated=True)))
    strict = run_apictl("diff", str(base), str(rev), "--deprecation-days-stable", "30", "-f", "json")
    assert strict.returncode == 1
    assert [i["id"] for i in json.loads(strict.stdout)["items"]] == ["api-deprecated-sunset-missing"]
    assert run_apictl("diff", str(base), str(rev)).returncode == 0
    bad = run_apictl("diff", str(base), str(rev), "--deprecation-days-beta", "-1")
    assert bad.returncode == 2 and "--deprecation-days-beta" in bad.stderr and "Traceback" not in bad.stderr


# -- 5. webhooks -------------------------------------------------------------------------------------
def test_webhook_operations_are_compared_like_paths(diff):
    def hooks(max_length: int, extra: dict | None = None) -> dict:
        body = {"content": {"application/json": {"schema": prop({"type": "string", "maxLength": max_length})}}}
        return {"petAdded": {"post": {"requestBody": body, "responses": {"200": {"description": "ok"}}}, **(extra or {})}}

    changes = diff(spec(webhooks=hooks(10)), spec(webhooks=hooks(5)))
    assert ids(changes) == {"request-property-max-length-decreased"}
    assert changes[0].operation == "POST webhook:petAdded"
    get = {"get": {"responses": {"200": {"description": "ok"}}}}
    assert ids(diff(spec(webhooks=hooks(10)), spec(webhooks=hooks(10, get)))) == {"endpoint-added"}
    assert ids(diff(spec(webhooks=hooks(10)), spec(webhooks={"other": get}))) == {"webhook-removed", "webhook-added"}


# -- messages ----------------------------------------------------------------------------------------
FIXTURES = Path(__file__).parent / "diff_fixtures"
PYTHON_REPR = re.compile(r"\b(None|True|False)\b|\['|\{'")


def test_no_message_shows_a_python_repr():
    pairs = sorted(p for p in FIXTURES.iterdir() if (p / "expected.txt").exists())
    seen = 0
    for folder in pairs:
        for a, b in (("base.yaml", "revision.yaml"), ("revision.yaml", "base.yaml")):
            apis = [build_api(open_spec(str(folder / name))[0].workspace) for name in (a, b)]
            for change in compare(*apis, policy=Policy(30, 30)):
                seen += 1
                assert not PYTHON_REPR.search(change.message), (folder.name, change.id, change.message)
    assert seen > 1000


def test_gateway_messages_show_values_as_written(diff):
    integration = {"type": "http_proxy", "httpMethod": "GET"}
    moved = {**integration, "uri": "https://b.example", "connectionType": "INTERNET", "payloadFormatVersion": "1.0"}
    changes = diff(spec(op_extra={"x-amazon-apigateway-integration": integration}),
                   spec(op_extra={"x-amazon-apigateway-integration": moved}))
    assert ids(changes) == {"integration-target-changed", "integration-payload-format-version-changed"}
    for change in changes:
        assert not PYTHON_REPR.search(change.message), change.message
    assert any("uri changed from unset to https://b.example" in c.message for c in changes)


def test_a_long_allof_chain_with_a_cycle_through_a_null_wrapper(diff):
    """No recursion anywhere: 3,000 components in an allOf chain whose end points back to the start."""
    def chain(leaf_max: int) -> dict:
        comps = {f"S{i}": {"allOf": [{"$ref": f"#/components/schemas/S{i + 1}"}],
                           "properties": {f"p{i}": {"type": "string"}}} for i in range(3000)}
        comps["S3000"] = {"type": "object", "properties": {
            "leaf": {"type": "string", "maxLength": leaf_max},
            "next": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/S0"}]}}}
        return spec(req={"$ref": "#/components/schemas/S0"}, resp={"type": "array", "items": {"$ref": "#/components/schemas/S0"}},
                    comps=comps)

    changes = diff(chain(10), chain(5))
    assert ids(changes) == {"request-property-max-length-decreased", "response-property-max-length-decreased"}


def test_removing_an_operation_with_an_unparseable_sunset_uses_oasdiffs_id(diff, write):
    base = with_op()
    base["paths"]["/items"]["get"] = {"deprecated": True, "x-sunset": "soon", "responses": {"200": {"description": "ok"}}}
    assert ids(diff(base, with_op())) == {"api-path-sunset-parse"}
    # a severity file written for the id apictl used before still applies
    old, new = write("a.json", json.dumps(base)), write("b.json", json.dumps(with_op()))
    severity = write("severity.txt", "api-sunset-parse info\n")
    result = run_apictl("diff", str(old), str(new), "--severity-file", str(severity), "-f", "json")
    assert result.returncode == 0, result.stderr
    assert [i["extra"]["level_name"] for i in json.loads(result.stdout)["items"]] == ["INFO"]
