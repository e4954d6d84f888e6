"""Project configuration: ``apictl.yaml`` (or ``[tool.apictl]`` in pyproject.toml).

```yaml
fail_on: warning              # error | warning | info
api_type: rest                # rest | http (default: inferred)
rules:                        # severity overrides by rule id; "off" disables
  operation-id-missing: off
  path-param-undeclared: warning
ignore:                       # ignore entries: rule id + JSON pointer (glob) [+ file glob]
  - rule: example-invalid
    pointer: /components/schemas/Legacy*
    file: specs/*.yaml
baseline: .apictl-baseline.json
params: {Region: eu-west-1}   # values for ${KEY} in CloudFormation Fn::Sub strings
stages: {...}                 # see the stages documentation
sdk: {...}                    # SDK settings
```
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .record import Value
from .source import paths
from .source.errors import InputError

CONFIG_NAMES = ("apictl.yaml", "apictl.yml", ".apictl.yaml")
LEVEL_NAMES = ("error", "warning", "info", "off")
KNOWN_KEYS = {"fail_on", "api_type", "rules", "ignore", "baseline", "params", "stages", "sdk", "specs", "diff",
              "serve"}


class IgnoreEntry(Value):
    """One ``ignore:`` entry of the config: a rule id with pointer and file globs."""

    _fields = ("rule", "pointer", "file")

    def __init__(self, rule: str, pointer: str = "*", file: str = "*"):
        self.rule = rule
        self.pointer = pointer
        self.file = file

    def matches(self, rule: str, pointer: str, file: str) -> bool:
        import fnmatch  # only configs with ignore entries need it

        return (
            fnmatch.fnmatchcase(rule, self.rule)
            and fnmatch.fnmatchcase(pointer, self.pointer)
            and (self.file == "*" or fnmatch.fnmatchcase(file, self.file) or file.endswith("/" + self.file))
        )


class Config(Value):
    """The settings of apictl.yaml (or ``[tool.apictl]``); defaults when there is none."""

    _fields = ("path", "fail_on", "api_type", "rules", "ignore", "baseline", "params", "raw", "_text", "_positions")

    def __init__(self, path: Path | None = None, fail_on: str | None = None, api_type: str | None = None,
                 rules: dict[str, str] | None = None, ignore: list[IgnoreEntry] | None = None,
                 baseline: Path | None = None, params: dict[str, str] | None = None,
                 raw: dict[str, Any] | None = None, _text: str = "", _positions: Any = None):
        self.path = path
        self.fail_on = fail_on
        self.api_type = api_type
        self.rules = {} if rules is None else rules
        self.ignore = [] if ignore is None else ignore
        self.baseline = baseline
        self.params = {} if params is None else params
        self.raw = {} if raw is None else raw
        self._text = _text  # the YAML text, for positions (computed only when one is asked for)
        self._positions = _positions

    def without_positions(self) -> "Config":
        """A copy without the position index (what is sent to worker processes and hashed for the cache)."""
        copy = Config.__new__(Config)
        copy.__dict__.update(self.__dict__, _positions=None)
        return copy

    @property
    def folder(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def position(self, *keys: Any) -> tuple[int, int] | None:
        """(line, column) of the config entry ``keys`` (or its nearest existing parent); None without text."""
        if not self._text:
            return None
        if self._positions is None:
            from .source.positions import PositionIndex

            self._positions = PositionIndex(self._text)
        return self._positions.position(_existing_prefix(self.raw, keys))

    def error(self, message: str, *keys: Any) -> InputError:
        """An InputError at the config entry ``keys`` (or its nearest existing parent)."""
        where = self.position(*keys)
        line, column = (where[0], 1) if where else (None, None)
        return InputError(message, str(self.path) if self.path else "config", line, column)


def _existing_prefix(data: Any, keys: tuple) -> tuple:
    node, found = data, []
    for key in keys:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
        else:
            break
        found.append(key)
    return tuple(found)


def find_config(start: Path) -> Path | None:
    start = paths.resolve(start)
    for folder in [start, *start.parents]:
        for name in CONFIG_NAMES:
            candidate = folder / name
            if paths.is_file(candidate):
                return candidate
        pyproject = folder / "pyproject.toml"
        if paths.is_file(pyproject) and "[tool.apictl" in _read_loosely(pyproject):
            return pyproject
        if paths.exists(folder / ".git"):
            break
    return None


def _read_loosely(path: Path) -> str:
    """The text of a file that may hold our settings; an unreadable one holds none."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def load_config(path: str | Path | None = None, start: Path | None = None) -> Config:
    """Load the given config file, else the nearest one above the working folder, else the nearest
    one above ``start`` (the first spec's folder); an empty Config if there is none."""
    if path is None:
        found = find_config(Path.cwd()) or (find_config(start) if start else None)
        if found is None:
            return Config()
        path = found
    path = Path(path)
    if not paths.is_file(path):
        raise InputError("config file not found" if not paths.exists(path) else "config file is not a regular file",
                         str(path))
    if path.name == "pyproject.toml":
        raw, text = _load_pyproject(path), ""
    else:
        raw, text = _load_yaml(path)
    return _interpret(raw, path, text)


def _load_pyproject(path: Path) -> dict:
    import tomllib

    paths.remember_read(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        import re

        where = re.search(r"\(at line (\d+), column (\d+)\)$", str(exc))
        message = str(exc)[: where.start()].strip() if where else str(exc)
        line, column = (int(where.group(1)), int(where.group(2))) if where else (1, 1)
        raise InputError(f"invalid TOML: {message}", str(path), line, column) from None
    except UnicodeDecodeError:
        raise InputError("file is not valid UTF-8", str(path), 1, 1) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {(exc.strerror or str(exc)).lower()}", str(path)) from None
    return data.get("tool", {}).get("apictl", {})


def _load_yaml(path: Path) -> tuple[dict, str]:
    """The config's data and text, read like a spec (same parser, limits and one-line errors)."""
    from .source.document import read_text
    from .source.parse import parse_text

    text = read_text(path, str(path))
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return {}, ""
    data = parse_text(text, str(path), "yaml").data
    if not isinstance(data, dict):
        raise InputError("config must be a mapping", str(path), 1, 1)
    return data, text


def _interpret(raw: dict, path: Path, text: str) -> Config:
    cfg = Config(path=paths.resolve(path), raw=raw, _text=text)
    for key in raw:
        if key not in KNOWN_KEYS:
            raise cfg.error(f"unknown config key '{key}' (known: {', '.join(sorted(KNOWN_KEYS))})", key)
    fail_on = raw.get("fail_on")
    if fail_on is not None:
        if fail_on not in ("error", "warning", "info"):
            raise cfg.error(f"fail_on must be error, warning or info, not '{fail_on}'", "fail_on")
        cfg.fail_on = fail_on
    api_type = raw.get("api_type")
    if api_type is not None:
        if api_type not in ("rest", "http"):
            raise cfg.error(f"api_type must be rest or http, not '{api_type}'", "api_type")
        cfg.api_type = api_type
    rules = raw.get("rules") or {}
    if not isinstance(rules, dict):
        raise cfg.error("rules must map rule ids to a level (error, warning, info, off)", "rules")
    for rule_id, level in rules.items():
        if level is False:
            level = "off"
        if level not in LEVEL_NAMES:
            raise cfg.error(f"rule '{rule_id}': level must be one of {', '.join(LEVEL_NAMES)}, not '{level}'", "rules", rule_id)
        cfg.rules[rule_id] = level
    ignore = raw.get("ignore") or []
    if not isinstance(ignore, list):
        raise cfg.error("ignore must be a list of {rule, pointer, file} entries", "ignore")
    for i, entry in enumerate(ignore):
        if isinstance(entry, str):
            entry = {"rule": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("rule"), str):
            raise cfg.error("each ignore entry needs a 'rule' (and optionally 'pointer', 'file')", "ignore", i)
        unknown = set(entry) - {"rule", "pointer", "file", "reason"}
        if unknown:
            raise cfg.error(f"unknown key(s) in ignore entry: {', '.join(sorted(unknown))}", "ignore", i)
        cfg.ignore.append(IgnoreEntry(entry["rule"], str(entry.get("pointer", "*")), str(entry.get("file", "*"))))
    baseline = raw.get("baseline")
    if baseline is not None:
        if not isinstance(baseline, str):
            raise cfg.error("baseline must be a file path", "baseline")
        cfg.baseline = (cfg.folder / baseline)
    params = raw.get("params") or {}
    if not isinstance(params, dict):
        raise cfg.error("params must be a mapping of KEY: value", "params")
    cfg.params = {str(k): str(v) for k, v in params.items()}
    return cfg


def check_rule_ids(cfg: Config, known: set[str]) -> None:
    """Unknown rule ids in ``rules:`` are a config error (catches typos that silently do nothing)."""
    for rule_id in cfg.rules:
        if rule_id not in known and not any(ch in rule_id for ch in "*?["):
            raise cfg.error(f"unknown rule id '{rule_id}' (see `apictl rules`)", "rules", rule_id)
