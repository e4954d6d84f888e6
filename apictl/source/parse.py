"""Turn the text of one YAML or JSON file into plain Python data, safely and fast.

* Tag-free YAML (nearly every OpenAPI file) goes through ``yaml_rs`` (a Rust YAML 1.2 parser,
  ~20x faster than libyaml for the 4 MB Stripe spec) with its alias-replay limit on.
* YAML with tags (``!Sub``, ``!Ref``... in CloudFormation/SAM templates) goes through ruamel.yaml's
  safe loader, where each CloudFormation short tag becomes its long intrinsic form
  (``!Sub x`` -> ``{"Fn::Sub": x}``) and any other tag keeps its plain value: opaque, never executed.
* JSON goes through the standard library.

Afterwards one walk over the data makes every mapping key a string (``200:`` -> ``"200"``), applies
YAML merge keys (``<<``), bounds nesting depth and alias expansion, shares repeated strings, and records
what later passes need (every ``$ref`` with its JSON pointer, every API Gateway extension key, where
examples and defaults are) so that none of them walks the whole document again.
"""
from __future__ import annotations

import json
import re
from typing import Any

from ..lazy_re import lazy_compile
from ..record import Value
from .blocks import LARGE_FILE, entries, header_end, key_at, value_start
from .errors import InputError

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 256
MAX_NODES = 5_000_000
MAX_ALIAS_EVENTS = 1_000_000

# A YAML tag where a value starts: after "key: ", "- ", "[", "," or at the start of a line.
_TAG_RE = lazy_compile(r"(?:^|[:\[{,\n-])[ \t]*!(?=[A-Za-z!])")
# A YAML anchor (&name) where a node starts: only then may one object stand at several places.
_ANCHOR_RE = lazy_compile(r"(?:^|[ \t\[{,])&[^ \t\r\n,\[\]{}]", re.M)
_YAML_POS_RE = lazy_compile(r"line (\d+),? column (\d+)")
_TAG_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!")
_FEW = 10_000  # up to this many '&' or '!', _has_anchor and _has_tag look at each instead of running the regex


def _has_anchor(text: str) -> bool:
    """``_ANCHOR_RE.search(text) is not None``, fast: the regex tries its alternatives at every character
    (0.13 s on a 4 MB spec), while most specs hold a few '&' at most; past _FEW of them, the regex."""
    at, seen = text.find("&"), 0
    while at != -1:
        if (at == 0 or text[at - 1] in " \t[{,\n") and at + 1 < len(text) and text[at + 1] not in " \t\r\n,[]{}":
            return True
        seen += 1
        if seen > _FEW:
            return _ANCHOR_RE.search(text, at) is not None
        at = text.find("&", at + 1)
    return False


def _has_tag(text: str) -> bool:
    """``_TAG_RE.search(text) is not None``, fast (see _has_anchor)."""
    floor, at, seen = 0, text.find("!"), 0
    while at != -1:
        before = at - 1
        while before >= floor and text[before] in " \t":  # spaces back to the previous '!' at most: linear
            before -= 1
        if (before < 0 or text[before] in ":[{,\n-") and at + 1 < len(text) and text[at + 1] in _TAG_START:
            return True
        seen += 1
        if seen > _FEW:
            return _TAG_RE.search(text, at) is not None
        floor, at = at, text.find("!", at + 1)
    return False


CFN_SHORT_TAGS = {
    "Ref": "Ref",
    "Condition": "Condition",
    "GetAtt": "Fn::GetAtt",
}
CFN_FN_TAGS = (
    "And", "Base64", "Cidr", "Equals", "FindInMap", "ForEach", "GetAZs", "If", "ImportValue", "Join",
    "Length", "Not", "Or", "Select", "Split", "Sub", "Transform", "ToJsonString", "GetParam",
)


class Parsed(Value):
    """A parsed text and what the normalising walk recorded for later passes."""

    _fields = ("data", "kind", "refs", "extensions", "value_sites", "node_count", "has_if")

    def __init__(self, data: Any, kind: str):
        self.data = data
        self.kind = kind  # "yaml" or "json"
        self.refs: list[tuple[tuple, str]] = []  # (pointer, $ref value)
        self.extensions: list[tuple[tuple, str]] = []  # (pointer of the mapping, x-amazon-apigateway-* key)
        self.value_sites: list[tuple] = []  # pointers of mappings with example(s) or default
        self.node_count = 0
        self.has_if = False  # some mapping may have an Fn::If key (its keys, joined, contain "Fn::If")


def parse_text(text: str, name: str, kind: str | None = None) -> Parsed:
    """Parse ``text`` (from file ``name``) and normalise it. Raises InputError on bad input."""
    if "\x00" in text:
        raise InputError("file is binary (contains NUL bytes), not YAML or JSON", name, 1, 1)
    if kind is None:
        kind = "json" if name.lower().endswith(".json") else "yaml"
    if not text or text.isspace():  # (not text.strip(), without copying a 4 MB text)
        raise InputError("file is empty", name, 1, 1)
    parsed = Parsed(data=None, kind=kind)
    if kind == "yaml" and len(text) > LARGE_FILE:
        parsed.data = parse_by_entries(text, name, parsed)
        if parsed.data is not None:
            return parsed
        parsed = Parsed(data=None, kind=kind)
    if kind == "json":
        data = _parse_json(text, name)
    else:
        data = _parse_yaml(text, name)
    if not isinstance(data, (dict, list)):
        raise InputError(f"expected a mapping at the top level, found {_type_name(data)}", name, 1, 1)
    aliases = kind == "yaml" and _has_anchor(text)
    parsed.data = _normalise(data, parsed, name, text, aliases, share=len(text) > LARGE_FILE)
    return parsed


class _NotBlocks(Exception):
    """The text is not plainly a nest of block mappings there: parse it whole."""


CHUNK = 1024 * 1024  # entries are parsed in batches of about this many characters


def parse_by_entries(text: str, name: str, parsed: Parsed) -> Any | None:
    """Parse a large YAML text one batch of block-mapping entries at a time (source/blocks.py), normalising
    each batch as it comes: the parser never builds its tree of the whole file next to the data (a 50 MB spec
    took twice the memory of its data to parse whole). None when the text is not a plain nest of block
    mappings at the top (flow style, anchors, tags, several documents...) or a part of it does not parse on
    its own: the caller parses it whole, which also words any error exactly as for a small file."""
    if _has_anchor(text) or _has_tag(text):
        return None
    start = header_end(text)
    if start is None:
        return None
    walk = _normaliser(parsed, name, text, aliases=False, share=True)
    try:
        data = _mapping_by_entries(text, start, len(text), 0, (), walk)
    except _NotBlocks:
        return None
    parsed.value_sites[:] = list(dict.fromkeys(parsed.value_sites))  # a mapping split in batches is met once per batch
    return data


def _mapping_by_entries(text: str, start: int, end: int, indent: int, path: tuple, walk) -> dict:
    starts = entries(text, start, end, indent)
    if starts is None:
        raise _NotBlocks
    out: dict = {}
    bounds = [*starts, end]
    batch = starts[0]
    for i, entry in enumerate(starts):
        entry_end = bounds[i + 1]
        if entry_end - entry > CHUNK:
            _add(out, _batch(text, batch, entry, path, walk))
            _add(out, _large_entry(text, entry, entry_end, indent, path, walk))
            batch = entry_end
        elif entry_end - batch > CHUNK:
            _add(out, _batch(text, batch, entry, path, walk))
            batch = entry
    _add(out, _batch(text, batch, end, path, walk))
    return out


def _large_entry(text: str, start: int, end: int, indent: int, path: tuple, walk) -> dict:
    """One entry larger than a batch: its block mapping value entry by entry, else the entry whole."""
    key = key_at(text, start + indent)
    value = value_start(text, key[1], end) if key else None
    if value is None or value[1] <= indent or text.startswith("-", value[0]):  # not a block mapping: whole
        return _batch(text, start, end, path, walk)
    child = value[1]
    line_end = text.index("\n", key[1])
    head = _batch(text, start, line_end, path, walk)  # the key alone: {key: None}, the key as the parser reads it
    if len(head) != 1 or next(iter(head.values())) is not None:
        raise _NotBlocks
    name = next(iter(head))
    return {name: _mapping_by_entries(text, line_end + 1, end, child, path + (name,), walk)}


def _batch(text: str, start: int, end: int, path: tuple, walk) -> dict:
    if start >= end:
        return {}
    import yaml_rs

    try:
        data = yaml_rs.loads(text[start:end], parse_datetime=False,
                             alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=MAX_ALIAS_EVENTS))
    except Exception:  # noqa: BLE001 - any problem: the whole parse reports it, exactly
        raise _NotBlocks from None
    if type(data) is not dict:
        raise _NotBlocks
    return walk(data, path)


def _add(out: dict, part: dict) -> None:
    for key, value in part.items():
        if key in out:
            raise _NotBlocks  # a duplicate key: the whole parse places it
        out[key] = value


def _parse_json(text: str, name: str) -> Any:
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", name, exc.lineno, exc.colno) from None
    except _JsonValueError as exc:
        line, col = _json_position(text, exc.pattern, exc.occurrence)
        raise InputError(f"invalid JSON: {exc}", name, line, col) from None
    except RecursionError:
        line, col = _too_deep_position(text)
        raise InputError(f"nesting deeper than {MAX_DEPTH} levels", name, line, col) from None
    except ValueError as exc:  # integers longer than Python's conversion limit
        if "digits" in str(exc):
            line, col = _json_position(text, r"[0-9]{4300}", 0)
            raise InputError("invalid JSON: integer with more than 4,300 digits", name, line, col) from None
        raise InputError(f"invalid JSON: {exc}", name, 1, 1) from None
    lone = _lone_surrogate(text)
    if lone is not None:  # json accepts "\ud800"; no UTF-8 output (report, SDK, export) could hold it
        line, col = _line_col(text, lone)
        raise InputError(f"invalid JSON: {text[lone:lone + 6]} is half of a UTF-16 surrogate pair, not a character",
                         name, line, col)
    return data


_MAYBE_SURROGATE = lazy_compile(r"\\u[dD][89a-fA-F]")
_ESCAPE = lazy_compile(r"\\(?:u([0-9a-fA-F]{4})|.)", re.S)


def _lone_surrogate(text: str) -> int | None:
    """Offset of the first \\uD800-\\uDFFF escape that is not half of a high+low pair, else None."""
    if _MAYBE_SURROGATE.search(text) is None:  # nearly always: one scan, no escape-by-escape walk
        return None
    high_at = high_end = -1
    for m in _ESCAPE.finditer(text):
        code = int(m.group(1), 16) if m.group(1) else -1
        if high_at >= 0:
            if 0xDC00 <= code <= 0xDFFF and m.start() == high_end:
                high_at = -1
                continue
            return high_at
        if 0xD800 <= code <= 0xDBFF:
            high_at, high_end = m.start(), m.end()
        elif 0xDC00 <= code <= 0xDFFF:
            return m.start()
    return high_at if high_at >= 0 else None


class _JsonValueError(ValueError):
    def __init__(self, message: str, pattern: str, occurrence: int):
        super().__init__(message)
        self.pattern = pattern  # finds the offending text
        self.occurrence = occurrence  # which match of it (0: the first; 1: the second, for duplicates)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict:
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _JsonValueError(f"duplicate key '{key}'", r'"' + re.escape(json.dumps(key)[1:-1]) + r'"\s*:', 1)
            seen.add(key)
    return data


def _reject_constant(name: str) -> Any:
    raise _JsonValueError(f"{name} is not a JSON value", r"(?<![\w\"])-?" + re.escape(name.lstrip("-")) + r"(?![\w\"])", 0)


def _json_position(text: str, pattern: str, occurrence: int) -> tuple[int, int]:
    hits = [m.start() for m, _ in zip(re.finditer(pattern, text), range(occurrence + 1))]
    if not hits:
        return 1, 1
    return _line_col(text, hits[min(occurrence, len(hits) - 1)])


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _too_deep_position(text: str) -> tuple[int, int]:
    """The bracket that takes a JSON/flow document past MAX_DEPTH (strings skipped)."""
    depth = 0
    in_string = escaped = False
    for offset, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _line_col(text, offset)
        elif ch in "]}":
            depth -= 1
    return 1, 1


def _parse_yaml(text: str, name: str) -> Any:
    if _has_tag(text):
        return _parse_tagged_yaml(text, name)
    import yaml_rs

    try:
        data = yaml_rs.loads(
            text,
            parse_datetime=False,
            alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=MAX_ALIAS_EVENTS),
        )
    except yaml_rs.YAMLDecodeError as exc:
        if str(exc).lstrip("\"'").startswith("duplicate mapping key"):
            # yaml_rs builds Python dicts, where the keys 1 and true (or 1 and 1.0) are one key. The slower
            # parser keeps every key as written (as a string) and places a real duplicate exactly.
            return _parse_tagged_yaml(text, name)
        raise _yaml_error(str(exc), text, name) from None
    except (RecursionError, OverflowError, ValueError) as exc:
        raise InputError(f"invalid YAML: {exc}", name, 1, 1) from None
    if type(data) is list:
        second = _second_document(text)
        if second is not None:
            raise InputError("the file holds more than one YAML document (a second '---'); an API description "
                             "must be a single document", name, second, 1)
    return data


_DOC_MARKER_RE = lazy_compile(r"^---(?=[ \t\r]|$)", re.M)


def _second_document(text: str) -> int | None:
    """Line of a '---' that starts a second document, if any (yaml_rs returns a list of documents)."""
    for m in _DOC_MARKER_RE.finditer(text):
        before = text[: m.start()]
        content = [ln for ln in before.splitlines() if ln.strip() and not ln.lstrip().startswith(("#", "%"))]
        if content and content != ["..."]:
            return text.count("\n", 0, m.start()) + 1
    return None


def _yaml_error(message: str, text: str, name: str) -> InputError:
    lines = [ln for ln in message.splitlines() if ln.strip()]
    first = lines[0] if lines else message
    reason = lines[-1].strip() if len(lines) > 1 else first
    m = _YAML_POS_RE.search(first)
    if m:
        return InputError(f"invalid YAML: {reason}", name, int(m.group(1)), int(m.group(2)))
    if "alias replay limit" in first:
        return InputError("YAML aliases expand to more than 1,000,000 nodes (alias bomb?)", name, 1, 1)
    dup = re.match(r"duplicate mapping key: '?(.*?)'?$", first)
    if dup:
        line = _find_second_key(text, dup.group(1))
        return InputError(f"duplicate mapping key '{dup.group(1)}'", name, line, 1)
    if "recursion" in first.lower() or "depth" in first.lower():
        return InputError(f"nesting deeper than the parser allows: {first}", name, 1, 1)
    return InputError(f"invalid YAML: {first}", name, 1, 1)


def _find_second_key(text: str, key: str) -> int:
    pattern = re.compile(r"^[ \t-]*[\"']?" + re.escape(key) + r"[\"']?[ \t]*:", re.M)
    hits = [m.start() for m in pattern.finditer(text)]
    offset = hits[1] if len(hits) > 1 else (hits[0] if hits else 0)
    return text.count("\n", 0, offset) + 1


def _parse_tagged_yaml(text: str, name: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="safe")
    yaml.Constructor = _cfn_constructor_class()
    try:
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line = mark.line + 1 if mark else 1
        col = mark.column + 1 if mark else 1
        if "duplicate key" in str(exc) or "duplicate mapping key" in str(exc):
            problem = exc.problem if (exc.problem or "").startswith("duplicate mapping key") else "duplicate mapping key"
        elif "unhashable key" in str(exc):
            problem = "a mapping key cannot be a mapping or a CloudFormation function (!Ref, !Sub...)"
        if problem.startswith("duplicate mapping key '"):
            raise InputError(problem, name, line, col) from None  # the wording of the fast parser's duplicates
        raise InputError(f"invalid YAML: {problem}", name, line, col) from None
    except (YAMLError, RecursionError, ValueError) as exc:
        raise InputError(f"invalid YAML: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}", name, 1, 1) from None
    escape = _YAML_SURROGATE_ESCAPE.search(text)
    if escape is not None and _holds_surrogate(data):  # "\ud800" in a double-quoted scalar: no output could hold it
        line, col = _line_col(text, escape.start())
        raise InputError(f"invalid YAML: {escape.group()} is half of a UTF-16 surrogate pair, not a character",
                         name, line, col)
    return data


_YAML_SURROGATE_ESCAPE = lazy_compile(r"\\(?:u|U0000)[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = lazy_compile("[\ud800-\udfff]")


def _holds_surrogate(data: Any) -> bool:
    stack = [data]
    seen: set[int] = set()  # an anchor shared by its aliases (or holding itself) is walked once
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if _SURROGATE.search(node):
                return True
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


_CFN_CLASS = None


def _cfn_constructor_class():
    """A ruamel SafeConstructor that turns CloudFormation short tags into intrinsic objects."""
    global _CFN_CLASS
    if _CFN_CLASS is not None:
        return _CFN_CLASS
    from ruamel.yaml.constructor import ConstructorError, SafeConstructor
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    class CloudFormationConstructor(SafeConstructor):
        pass

    def construct_plain(loader, node):
        if isinstance(node, ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, SequenceNode):
            return loader.construct_sequence(node, deep=True)
        if isinstance(node, MappingNode):
            return loader.construct_mapping(node, deep=True)
        return None

    def construct_tag(loader, suffix, node):
        value = construct_plain(loader, node)
        if suffix in CFN_SHORT_TAGS:
            key = CFN_SHORT_TAGS[suffix]
            if key == "Fn::GetAtt" and isinstance(value, str):
                value = value.split(".", 1)
            return {key: value}
        if suffix in CFN_FN_TAGS:
            return {f"Fn::{suffix}": value}
        return value  # unknown tag: keep the plain value, never execute anything

    def construct_mapping(loader, node, deep=False):
        """As SafeConstructor's, but every key becomes the string apictl uses for it (1 -> "1", true -> "true")
        before duplicates are checked: keys 1 and true differ in YAML, and in a Python dict they collide."""
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, f"expected a mapping node, but found {node.id!s}", node.start_mark)
        loader.flatten_mapping(node)  # merge keys (<<), as the safe loader applies them
        merged = getattr(node, "merge", None) or []
        out: dict = {}
        for values, check in ((merged, False), (node.value, True)):
            own: dict = {}
            for key_node, value_node in values:
                key = loader.construct_object(key_node, deep=True)
                if isinstance(key, dict):
                    raise ConstructorError("while constructing a mapping", node.start_mark, "found unhashable key",
                                           key_node.start_mark)
                key = key_to_str(key)
                if check and key in own:
                    raise ConstructorError("while constructing a mapping", node.start_mark,
                                           f"duplicate mapping key '{key}'", key_node.start_mark)
                own[key] = loader.construct_object(value_node, deep=deep)
            out.update(own)
        return out

    CloudFormationConstructor.construct_mapping = construct_mapping
    CloudFormationConstructor.add_multi_constructor("!", construct_tag)
    # Timestamps stay strings, as in the fast path (YAML 1.2 core schema).
    CloudFormationConstructor.add_constructor(
        "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
    )
    _CFN_CLASS = CloudFormationConstructor
    return _CFN_CLASS


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    return {str: "a string", int: "a number", float: "a number", bool: "a boolean"}.get(type(value), type(value).__name__)


def key_to_str(key: Any) -> str:
    if isinstance(key, str):
        return key
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, (tuple, list)):
        return "[" + ", ".join(key_to_str(k) for k in key) + "]"
    return str(key)


EXTENSION_PREFIX = "x-amazon-apigateway-"
VALUE_KEYS = ("example", "examples", "default")  # values later checked against the schema beside them
_SHORT = 64  # string values up to this length are shared (enums, types, media types, formats repeat)


def _normalise(root: Any, parsed: Parsed, name: str, text: str = "", aliases: bool = True,
               share: bool = True) -> Any:
    return _normaliser(parsed, name, text, aliases, share)(root, ())


def _normaliser(parsed: Parsed, name: str, text: str = "", aliases: bool = True, share: bool = True):
    """A function ``(node, path) -> node`` that normalises ``node``, the data at ``path`` (see below), recording into
    ``parsed``; a large file is normalised one batch of entries at a time (parse_by_entries), with one state.

    One walk over the data, which records what later passes need so that none walks the whole document again:

    * every mapping key becomes a string (``200:`` -> ``"200"``), merge keys (``<<``) are applied, depth and
      size are bounded;
    * keys, and short string values, are shared: one object per distinct string instead of one per occurrence
      (a spec repeats a few thousand names hundreds of thousands of times: the data takes about half the
      memory);
    * it records the pointer of every ``$ref`` (with its value), of every mapping with an
      ``x-amazon-apigateway-*`` key (with the key) and of every mapping with an ``example``, ``examples`` or
      ``default`` (lint then visits only those).

    ruamel.yaml shares one object between an anchor and its aliases, so a node met a second time is an
    alias: walking it again is what expands a "billion laughs" file, and is bounded like yaml_rs's replays.
    An alias stays the same object as its anchor; its sites are recorded under each path that reaches it.
    ``aliases``: the data may share objects (a YAML text with anchors); without, nothing is tracked (yaml_rs
    and json build every node anew).
    ``share``: share keys and short strings (a large file: the memory counts). Otherwise, and without aliases,
    the walk keeps the parser's mappings and changes only the few that need it (non-string or merge keys):
    rebuilding every mapping cost about 30 ms of a 0.26 s validate of the 4 MB Stripe spec.
    """
    refs = parsed.refs
    extensions = parsed.extensions
    value_sites = parsed.value_sites
    strings: dict[str, str] = {}
    shared_string = strings.setdefault
    in_place = not share and not aliases
    path: list = []
    count = 0
    replayed = 0
    rebuilt: dict[int, Any] = {}  # with aliases: id of a node as parsed -> what replaces it (aliases share it)
    keep: list = []  # with aliases: the mappings as parsed, alive until the end so that their ids stay unique

    def walk(node: Any, depth: int, shared: bool) -> Any:
        nonlocal count, replayed
        count += 1
        if count > MAX_NODES:
            raise InputError(f"document expands to more than {MAX_NODES:,} nodes (alias bomb?)", name, 1, 1)
        if depth > MAX_DEPTH:
            line, column = _path_position(text, path)
            raise InputError(f"nesting deeper than {MAX_DEPTH} levels (or a recursive alias)", name, line, column)
        again = False
        if aliases:
            again = id(node) in rebuilt
            shared = shared or again
        if shared:
            replayed += 1
            if replayed > MAX_ALIAS_EVENTS:
                raise InputError(f"YAML aliases expand to more than {MAX_ALIAS_EVENTS:,} nodes (alias bomb?)", name, 1, 1)
        if type(node) is dict:
            try:
                keys = "".join(node)  # every key a string (checked in C)
            except TypeError:
                keys = None
            source = node
            if keys is None or "<<" in node:
                node = _fix_keys(node)
                keys = "".join(node)
            if "$ref" in node and type(node["$ref"]) is str:
                refs.append((tuple(path), node["$ref"]))
            if "Fn::If" in keys:
                parsed.has_if = True
            has_extensions = EXTENSION_PREFIX in keys
            if ("default" in keys or "example" in keys) and ("default" in node or "example" in node
                                                             or "examples" in node):
                value_sites.append(tuple(path))
            if in_place and node is source:  # keep the parser's mapping: only what it holds may change
                for k, v in node.items():
                    if has_extensions and k.startswith(EXTENSION_PREFIX):
                        extensions.append((tuple(path), k))
                    t = type(v)
                    if t is dict or t is list:
                        path.append(k)
                        new = walk(v, depth + 1, False)
                        path.pop()
                        if new is not v:
                            node[k] = new
                    elif t is int and not -_HUGE_INT < v < _HUGE_INT:
                        raise _huge_integer(text, path + [k], name)
                return node
            if again:
                out = rebuilt[id(source)]
            else:
                out = {}
                if aliases:
                    rebuilt[id(source)] = rebuilt[id(out)] = out  # met again as parsed, or in a list walked already
                    keep.append(source)
            for k, v in node.items():
                if share:
                    k = shared_string(k, k)
                if has_extensions and k.startswith(EXTENSION_PREFIX):  # in document order, as a full walk meets them
                    extensions.append((tuple(path), k))
                t = type(v)
                if t is str:
                    if share and len(v) <= _SHORT:
                        v = shared_string(v, v)
                elif t is dict or t is list:
                    path.append(k)
                    v = walk(v, depth + 1, shared)
                    path.pop()
                elif t is int and not -_HUGE_INT < v < _HUGE_INT:
                    raise _huge_integer(text, path + [k], name)
                if not again:
                    out[k] = v
            return out
        # a list: its items are replaced in place (a list keeps its identity)
        if aliases:
            rebuilt[id(node)] = node
        for i, v in enumerate(node):
            t = type(v)
            if t is str:
                if share and len(v) <= _SHORT:
                    node[i] = shared_string(v, v)
            elif t is dict or t is list:
                path.append(i)
                new = walk(v, depth + 1, shared)
                path.pop()
                if new is not v:
                    node[i] = new
            elif t is int and not -_HUGE_INT < v < _HUGE_INT:
                raise _huge_integer(text, path + [i], name)
        return node

    def normalise(node: Any, at: tuple) -> Any:
        path[:] = at
        try:
            result = walk(node, len(at), False)
        except RecursionError:
            raise InputError(f"nesting deeper than {MAX_DEPTH} levels", name, 1, 1) from None
        parsed.node_count = count
        return result

    return normalise


def value_holders(data: Any, sites: list[tuple]) -> set[int]:
    """Ids of the containers that hold, or contain, one of ``sites`` (pointers recorded by the walk)."""
    holders: set[int] = set()
    for pointer in sites:
        node = data
        holders.add(id(node))
        for seg in pointer:
            node = node[seg]
            holders.add(id(node))
    return holders


# Python refuses to print an integer of more than 4,300 digits (sys.get_int_max_str_digits), so a report, a
# template or an SDK could not hold one. JSON rejects them while parsing; a YAML integer (also 0x/0o forms,
# which have no such limit) is checked here, in the walk every document gets anyway.
_HUGE_INT = 10 ** 4300


def _huge_integer(text: str, path: list, name: str) -> InputError:
    try:
        line, column = _path_position(text, path)
    except Exception:  # a position is a courtesy; the error itself must not fail
        line, column = 1, 1
    return InputError("invalid YAML: integer with more than 4,300 digits", name, line, column)


def _path_position(text: str, path: list) -> tuple[int, int]:
    if not text:
        return 1, 1
    from .positions import PositionIndex

    return PositionIndex(text).position(tuple(path))


def _all_str(keys: dict) -> bool:
    """True when every key is a string: str.join checks that in C, much faster than a generator."""
    try:
        "".join(keys)
    except TypeError:
        return False
    return True


def _fix_keys(node: dict) -> dict:
    merged: dict = {}
    base = node.get("<<")
    if base is not None:
        for src in base if isinstance(base, list) else [base]:
            if isinstance(src, dict):
                for k, v in src.items():
                    merged.setdefault(key_to_str(k), v)
    out: dict = {}
    for k, v in node.items():
        if k == "<<" and base is not None:
            continue
        out[key_to_str(k)] = v
    for k, v in merged.items():
        out.setdefault(k, v)
    return out
