"""Stage variables: every ``stageVariables.x`` the spec references (integration URIs, credentials,
connection ids, mappings, templates, authorizers) is defined in every stage that deploys the spec: the
stages of apictl.yaml, and the stages a SAM/CloudFormation template declares for the API."""
from __future__ import annotations

from ...model.api import EXTENSION_PREFIX
from ...source import paths
from ...source.intrinsics import is_intrinsic
from ...stages import load_stages
from ..gateway import STAGE_VARIABLE, extension_sites, rationale, strings_in
from ..registry import Rule, check, declare

declare(
    Rule("apigw-stage-variable-undefined", "error", "A referenced stage variable is not defined in a stage that "
         "deploys the spec", "Add the variable under `stages.<name>.variables` in apictl.yaml, or to the stage's "
         "`Variables` (SAM Api, AWS::ApiGateway::Stage) or `StageVariables` (SAM HttpApi, AWS::ApiGatewayV2::Stage) "
         "in the template, for every stage (or stop referencing it).", "gateway",
         example="uri: https://${stageVariables.backendHost}/pets   # stages: {prod: {variables: {}}}",
         rationale=rationale("3.8, 5.1", "an undefined stage variable is an empty string at run time: the URI, "
                             "function name or credentials break only in that stage")),
)


def deploying_stages(ctx) -> dict[str, dict[str, str] | set[str]]:
    """stage name -> variables, for the stages of apictl.yaml (and --stage variables) that deploy this spec,
    and the stages the SAM/CloudFormation template declares for the API (``Variables``/``StageVariables``)."""
    out: dict[str, dict[str, str] | set[str]] = dict(ctx.options.stage_variables)
    if ctx.source.embedded:
        out.update(ctx.source.embedded.stages)
    if not ctx.config.raw.get("stages"):
        return out
    target = paths.resolve(ctx.source.document.path)
    for name, stage in load_stages(ctx.config).items():
        spec = stage.spec
        if spec.startswith("git:"):
            parts = spec.split(":", 2)
            if len(parts) < 3 or not parts[2]:
                continue
            spec = str(ctx.config.folder / parts[2])
        if paths.resolve(spec) == target:
            out.setdefault(name, stage.variables)
    return out


def references(api):
    """(document, pointer, variable name) of every stage variable reference in extension values."""
    for site in extension_sites(api):
        for key, value in site.node.items():
            if not (isinstance(key, str) and key.startswith(EXTENSION_PREFIX)) or key == "x-amazon-apigateway-any-method":
                continue
            for pointer, text in strings_in(value, site.pointer + (key,)):
                if "stageVariables" not in text:
                    continue
                for m in STAGE_VARIABLE.finditer(text):
                    yield site.document, _outside_intrinsic(site.node, site.pointer, pointer), m.group(1) or m.group(2)


def _outside_intrinsic(node, base: tuple, pointer: tuple) -> tuple:
    """Cut the pointer at an intrinsic (``!Sub`` has no ``Fn::Sub`` key in the text to point at)."""
    rel = pointer[len(base):]
    for i, seg in enumerate(rel):
        if isinstance(node, dict) and seg in node:
            if is_intrinsic(node):
                return base + rel[:i]
            node = node[seg]
        elif isinstance(node, list) and isinstance(seg, int) and seg < len(node):
            node = node[seg]
        else:
            break
    return pointer


@check("apigw-stage-variable-undefined")
def check_stage_variables(ctx):
    if not ctx.api.targets_gateway:
        return
    refs = list(references(ctx.api))
    if not refs:
        return
    stages = deploying_stages(ctx)
    for doc, pointer, name in refs:
        missing = [stage for stage, variables in sorted(stages.items()) if name not in variables]
        if missing:  # one finding per reference, naming every stage that lacks the variable
            where = f"stage '{missing[0]}'" if len(missing) == 1 else \
                "stages " + ", ".join(f"'{s}'" for s in missing[:-1]) + f" and '{missing[-1]}'"
            yield ctx.finding("apigw-stage-variable-undefined", f"stage variable '{name}' is not defined in {where}",
                              pointer, doc)
