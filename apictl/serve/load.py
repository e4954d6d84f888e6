"""Loading what ``apictl serve`` runs: the config (its stage and ``serve:`` section), the spec, the model."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config import load_config
from ..model.api import build_api
from ..options import MAX_FILE_SIZE_MIB, max_file_bytes
from ..source import open_spec
from ..source.errors import InputError
from ..stages import load_stages
from .definition import Definition, build_definition
from .settings import build_settings


@dataclass
class LoadOptions:
    spec: str | None = None
    stage: str | None = None
    config: Path | None = None
    api_type: str | None = None
    lambdas: list[str] = field(default_factory=list)
    jwks: list[str] = field(default_factory=list)
    api_keys: list[str] = field(default_factory=list)
    credentials: list[str] = field(default_factory=list)
    aws_endpoint: str | None = None
    region: str | None = None
    params: list[str] = field(default_factory=list)
    max_file_size: int = MAX_FILE_SIZE_MIB


def load(options: LoadOptions) -> tuple[Definition, Path | None]:
    start = Path(options.spec).resolve().parent if options.spec and not options.spec.startswith("git:") else None
    config = load_config(options.config, start=start)
    stages = load_stages(config) if config.raw.get("stages") else {}
    stage_name = options.stage
    if stage_name is None:
        if options.spec is None and len(stages) == 1:
            stage_name = next(iter(stages))
        elif options.spec is None:
            known = ", ".join(sorted(stages)) or "none defined"
            raise InputError(f"choose a stage with --stage (stages: {known})", str(config.path or "apictl.yaml"))
    stage = stages.get(stage_name) if stage_name else None
    if stage_name is not None and stage is None and options.spec is None:
        known = ", ".join(sorted(stages)) or "none defined"
        raise InputError(f"unknown stage '{stage_name}' (stages: {known})", str(config.path or "apictl.yaml"))
    spec = options.spec or (stage.spec if stage else None)
    if spec is None:
        raise InputError("give a spec, or a --stage from apictl.yaml")
    sources = open_spec(spec, max_bytes=max_file_bytes(options.max_file_size))
    if not sources:
        raise InputError("no API found in this template", spec)
    if len(sources) > 1:
        raise InputError(f"{len(sources)} APIs in this template; serve runs one at a time", spec)
    api_type = options.api_type or (stage.api_type if stage else None) or config.api_type
    api = build_api(sources[0].workspace, api_type)
    if stage_name is None:
        stage_name = "$default" if api.api_type == "http" else "dev"
    folder = config.folder if config.path else Path.cwd()
    settings = build_settings(config.raw.get("serve"), config.error, folder, lambdas=options.lambdas,
                              jwks=options.jwks, api_keys=options.api_keys, credentials=options.credentials,
                              aws_endpoint=options.aws_endpoint, region=options.region)
    from ..options import parse_params

    settings.params = {**config.params, **parse_params(options.params)}
    definition = build_definition(api, stage_name, dict(stage.settings) if stage else {}, settings)
    return definition, config.path
