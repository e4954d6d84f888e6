"""The one pipeline behind plan, export and deploy: config -> stage -> spec -> Api -> resource graph."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import Config, load_config
from ..model.api import Api, build_api
from ..source import SpecSource, open_spec
from ..source.errors import InputError
from ..source.parse import MAX_FILE_BYTES
from ..stages import Stage, get_stage
from .resources import ResourceGraph, build_graph


@dataclass
class Desired:
    config: Config
    stage: Stage
    source: SpecSource
    api: Api
    graph: ResourceGraph

    def files(self) -> list[Path]:
        """Every file this run read (config and spec): no output may replace one of them."""
        return [p for p in (self.config.path, *self.source.local_files()) if p is not None]

    def position(self, origin: tuple) -> tuple[str, int, int]:
        """(file, line, column) of a resource's origin, for reports."""
        if origin and origin[0] == "spec":
            line, column = self.source.document.position(origin[1])
            return self.source.document.display, line, column
        where = self.config.position("stages", self.stage.name, *origin[1:])
        return str(self.config.path or "apictl.yaml"), where[0] if where else 1, where[1] if where else 1


def load_desired(stage_name: str, config_path: Path | None = None, max_bytes: int = MAX_FILE_BYTES) -> Desired:
    config = load_config(config_path)
    stage = get_stage(config, stage_name)
    sources = open_spec(_display_path(stage.spec), max_bytes=max_bytes)
    if len(sources) != 1:
        found = ", ".join(s.label for s in sources) or "none"
        raise config.error(f"stage '{stage.name}': its spec must hold exactly one API (found: {found})",
                           "stages", stage.name)
    source = sources[0]
    workspace = source.workspace
    if len(workspace.documents) > 1:
        others = sorted(d.display for d in workspace.documents.values() if d is not workspace.root)
        root = workspace.root
        first = next((pointer for pointer, ref in root.refs if not ref.startswith("#")), ())
        line, column = root.position(first)
        raise InputError(f"the spec $refs other files ({', '.join(others)}); API Gateway imports one document: "
                         "bundle it into one file first", root.display, line, column)
    if workspace.problems:
        problem = workspace.problems[0]
        line, column = problem.document.position(problem.pointer)
        raise InputError(problem.message, problem.document.display, line, column)
    api = build_api(workspace, stage.api_type or config.api_type)
    return Desired(config=config, stage=stage, source=source, api=api, graph=build_graph(api, stage, config))


def _display_path(spec: str) -> str:
    """The stage's spec relative to the working folder when it is below it (shorter messages)."""
    if spec.startswith("git:"):
        return spec
    try:
        return str(Path(spec).relative_to(Path.cwd()))
    except ValueError:
        return spec
