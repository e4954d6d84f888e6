"""Examples and defaults must be valid against the schema they sit next to."""
from __future__ import annotations

from ...model.jsonschema import InstanceValidator
from ...source.intrinsics import contains_intrinsic
from ...source.parse import value_holders
from ..registry import Rule, check, declare

declare(
    Rule("default-invalid", "error", "A schema's default value breaks the schema",
         "Change the default so it is one of the values the schema allows.", "semantics",
         example="schema: {type: integer, default: 'ten'}"),
    Rule("example-invalid", "warning", "An example breaks the schema it illustrates",
         "Fix the example (documentation, mocks and contract tests use it).", "semantics",
         example="schema: {type: object, required: [id]}\nexample: {name: Rex}"),
)


@check("default-invalid", "example-invalid")
def check_examples(ctx):
    api = ctx.api
    sites = api.document.value_sites  # the mappings with an example, examples or default (the loader's walk)
    if not api.major or not sites:
        return
    validator = InstanceValidator(api.data, api.major)
    for doc, pointer, schema in api.walk_schemas(value_holders(api.document.data, sites)):
        if "default" in schema:
            yield from _validate(ctx, validator, schema, schema["default"], pointer + ("default",), "default-invalid",
                                 "default", doc, drop=("default",))
        if "example" in schema:
            yield from _validate(ctx, validator, schema, schema["example"], pointer + ("example",), "example-invalid",
                                 "example", doc)
        if api.major == "3.1" and isinstance(schema.get("examples"), list):
            for i, value in enumerate(schema["examples"]):
                yield from _validate(ctx, validator, schema, value, pointer + ("examples", i), "example-invalid",
                                     "example", doc)
        if len(pointer) >= 2 and pointer[-1] == "schema":
            owner = api.document.get(pointer[:-1])
            if isinstance(owner, dict):
                yield from _owner_examples(ctx, validator, schema, owner, pointer[:-1], doc)


def _owner_examples(ctx, validator, schema, owner, owner_ptr, doc):
    """``example``/``examples`` on a parameter, header or media type object, next to ``schema``."""
    if "example" in owner:
        yield from _validate(ctx, validator, schema, owner["example"], owner_ptr + ("example",), "example-invalid",
                             "example", doc)
    examples = owner.get("examples")
    if isinstance(examples, dict):
        for name, ex in examples.items():
            _, _, ex = ctx.api.deref(doc, ex, owner_ptr + ("examples", name))
            if isinstance(ex, dict) and "value" in ex:
                yield from _validate(ctx, validator, schema, ex["value"], owner_ptr + ("examples", name, "value"),
                                     "example-invalid", f"example '{name}'", doc)


def _validate(ctx, validator, schema, value, pointer, rule, what, doc, drop=()):
    if contains_intrinsic(value):
        return
    errors = validator.errors(schema, value, drop)
    if errors:
        first = errors[0]
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        yield ctx.finding(rule, f"{what} does not match its schema: {_clip(first)}{more}", pointer, doc)


def _clip(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
