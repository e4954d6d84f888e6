"""What `apictl validate` does with its parsed arguments. Free of typer and click: both the typer command
(apictl/commands/validate.py) and the fast start-up path (apictl/commands/fast.py) call ``run``."""
from __future__ import annotations

from pathlib import Path


def run(files: list[str] | None, format: str, fail_on: str | None, config: Path | None, api_type: str | None,
        param: list[str] | None, allow_remote: bool, root: Path | None, max_file_size: int,
        baseline: Path | None, write_baseline: bool, only_openapi: bool, output: Path | None, no_color: bool,
        quiet: bool, jobs: int, no_cache: bool, shard: str | None) -> int:
    from ..lint.run import ValidateOptions, run_validate

    return run_validate(ValidateOptions(
        files=files or [], format=format, fail_on=fail_on, config=config, api_type=api_type, params=param or [],
        allow_remote=allow_remote, root=root, max_file_size=max_file_size, baseline=baseline,
        write_baseline=write_baseline, only_openapi=only_openapi, output=output, no_color=no_color, quiet=quiet,
        jobs=jobs, no_cache=no_cache, shard=shard,
    ))
