"""Identifiers and string escaping for generated code: the only place that turns spec text into code text.

Two rules (reference sdk-generators.md section 5.3):

* **Identifiers are transformed, never escaped.** :func:`identifier` splits any text into ASCII words,
  joins them in a language's case style and checks the result against ``[A-Za-z_][A-Za-z0-9_]*``; a
  reserved word gets a suffix. :class:`Scope` then makes names unique *after* mangling, comparing them
  case-insensitively (macOS/Windows file systems and Swift/Java files per type), in a deterministic order.
* **Spec strings are escaped at the sink, for the exact context.** One function per context:
  Python string literal / docstring / comment, JS string literal, JSDoc, Swift string / doc comment,
  Java string / Javadoc, TOML and JSON strings, XML text, Markdown inline and block text.
  Templates get them as Jinja filters of the same names (see ``generate.FILTERS``).
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Iterable

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# The longest identifier made: a type name is also a file name (Swift, Java: ``<Name>Tests.swift``), a title also
# a folder and a package name (npm allows 214 characters), and a file name has at most 255 bytes. Stripe's
# longest derived type name has 152 characters, so real names are never shortened.
MAX_IDENTIFIER = 200
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+")
# Control characters, line separators, BOM, and the bidirectional formatting and tag characters: in a comment or a
# doc they would reorder or hide what a reviewer reads ("Trojan Source", CVE-2021-42574).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"
                      r"\U000e0000-\U000e007f]")

# -- reserved words -------------------------------------------------------------------------------------------------
PYTHON_KEYWORDS = frozenset("""
False None True and as assert async await break class continue def del elif else except finally for from global
if import in is lambda nonlocal not or pass raise return try while with yield match case type _ print self cls
""".split())
JS_KEYWORDS = frozenset("""
abstract arguments await boolean break byte case catch char class const continue debugger default delete do double
else enum eval export extends false final finally float for function goto if implements import in instanceof int
interface let long native new null package private protected public return short static super switch synchronized
this throw throws transient true try typeof var void volatile while with yield undefined NaN Infinity async of
constructor prototype __proto__ any unknown never object string number bigint symbol declare namespace module type
readonly keyof infer is asserts
""".split())
SWIFT_KEYWORDS = frozenset("""
associatedtype class deinit enum extension fileprivate func import init inout internal let open operator private
precedencegroup protocol public rethrows static struct subscript typealias var break case catch continue default defer
do else fallthrough for guard if in repeat return throw switch where while Any as await false is nil self Self super
throws true try _ Type Protocol some any async actor consuming borrowing convenience dynamic final indirect lazy mutating
nonmutating optional override required unowned weak willSet didSet get set Codable Decodable Encodable Sendable Error
String Int Double Bool Data Date URL Foundation
""".split())
JAVA_KEYWORDS = frozenset("""
abstract assert boolean break byte case catch char class const continue default do double else enum extends final
finally float for goto if implements import instanceof int interface long native new package private protected public
return short static strictfp super switch synchronized this throw throws transient try void volatile while true false
null var yield record sealed permits non-sealed when module open Object String Integer Long Double Boolean List Map
Void Class System Override Deprecated
""".split())


# -- identifiers ----------------------------------------------------------------------------------------------------
def words(text: str) -> list[str]:
    """ASCII words of any text: 'getHTTPResponse_v2' -> ['get', 'HTTP', 'Response', 'v2'].

    Non-ASCII letters are decomposed (é -> e); what cannot be decomposed is dropped.
    """
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(ascii_text)


def _join(parts: list[str], case: str) -> str:
    if case == "snake":
        return "_".join(p.lower() for p in parts)
    if case == "upper_snake":
        return "_".join(p.upper() for p in parts)
    pascal = "".join(p[:1].upper() + p[1:].lower() for p in parts)
    if case == "camel":
        return pascal[:1].lower() + pascal[1:]
    return pascal


def identifier(text: str, case: str, reserved: frozenset[str] | set[str] = frozenset(), *,
               fallback: str = "value", suffix: str = "_") -> str:
    """A valid ASCII identifier in ``case`` (snake | camel | pascal | upper_snake) for any text.

    Text without any ASCII letter or digit becomes ``fallback`` (plus the hex of its first characters, so
    that different non-ASCII names stay apart); a leading digit gets a prefix; reserved words get ``suffix``.
    A name longer than :data:`MAX_IDENTIFIER` keeps its beginning and ends with a hash of the whole name
    (:func:`shorten`), so long names stay apart and the same spec gives the same names.
    """
    parts = words(text)
    if not parts:
        tail = "".join(f"{ord(c):x}" for c in str(text)[:4])
        parts = words(fallback) + ([tail] if tail else [])
    name = _join(parts, case)
    if name[:1].isdigit():
        name = ("n" if case in ("camel", "snake") else "N") + ("_" if case in ("snake", "upper_snake") else "") + name
    name = shorten(name, case)
    if name in reserved:
        name += suffix
    if not IDENTIFIER.match(name):  # cannot happen by construction; refuse rather than emit
        raise ValueError(f"not an identifier: {name!r}")
    return name


def shorten(name: str, case: str = "pascal", limit: int = MAX_IDENTIFIER) -> str:
    """``name`` if it has at most ``limit`` characters, else its beginning and 8 hex digits of its SHA-256."""
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    tail = ("_" if case in ("snake", "upper_snake") else "") + (digest.upper() if case != "snake" else digest)
    return name[:limit - len(tail)].rstrip("_") + tail


@dataclass
class Scope:
    """Names that must be unique together (one class's members, one module's types, one file tree).

    ``claim`` returns the name itself or the name with the smallest numeric suffix that is free;
    comparison is case-insensitive. Callers claim in a deterministic order (spec order), so the same
    spec always gives the same names. ``renamed`` records (original, final) pairs for diagnostics.
    """

    reserved: Iterable[str] = ()
    taken: set[str] = field(default_factory=set)
    renamed: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.taken |= {r.lower() for r in self.reserved}

    def claim(self, name: str, joiner: str = "", suffixes: tuple[str, ...] = ()) -> str:
        """``name`` or ``name<joiner>2``, ``3``...: the first that is free together with ``name + suffix`` for
        every suffix (e.g. an operation ``x`` also takes ``x_raw``)."""
        candidate, n = name, 1
        while any((candidate + s).lower() in self.taken for s in ("", *suffixes)):
            n += 1
            candidate = f"{name}{joiner}{n}"
        self.taken.update((candidate + s).lower() for s in ("", *suffixes))
        if candidate != name:
            self.renamed.append((name, candidate))
        return candidate


# -- escaping: one function per output context ------------------------------------------------------------------
def _plain(text: object) -> str:
    return "" if text is None else str(text)


def py_str(text: object) -> str:
    """A Python string literal (quotes included), ASCII only: repr-style escapes for everything else."""
    return ascii(_plain(text))


def py_doc(text: object) -> str:
    """Text for the inside of a Python triple-quoted docstring: backslashes and quotes escaped, controls dropped."""
    s = _CONTROL.sub(" ", _plain(text).replace("\r\n", "\n").replace("\r", "\n"))
    return s.replace("\\", "\\\\").replace('"', '\\"').strip()


def py_comment(text: object) -> str:
    """Text for one ``#`` comment line: line breaks and controls become spaces."""
    return one_line(text)


def one_line(text: object) -> str:
    return " ".join(_CONTROL.sub(" ", _plain(text)).split())


def js_str(text: object) -> str:
    """A JS/TS string literal (double quotes included): JSON with ASCII escapes (covers U+2028/U+2029)."""
    return json.dumps(_plain(text), ensure_ascii=True)


json_str = js_str


def js_doc(text: object) -> str:
    """Text for a ``/** ... */`` JSDoc/TSDoc block: ``*/`` broken up, each line prefixed with `` * ``."""
    s = _CONTROL.sub(" ", _plain(text).replace("\r\n", "\n").replace("\r", "\n"))
    s = s.replace("*/", "*\\/").replace("/*", "/\\*").replace("@", "\\@")
    lines = [line.rstrip() for line in s.strip().split("\n")]
    return "\n * ".join(lines)


def _string_literal(text: object, escape: Callable[[str], str | None]) -> str:
    """A double-quoted literal: backslash and quote escaped; ``escape(ch)`` spells any other character
    (None: the character as it is)."""
    out = []
    for ch in _plain(text):
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        else:
            spelled = escape(ch)
            out.append(ch if spelled is None else spelled)
    return '"' + "".join(out) + '"'


def _printable_ascii(ch: str) -> bool:
    return " " <= ch <= "~"


def swift_str(text: object) -> str:
    """A Swift string literal (quotes included): ``\\``, ``"`` and every non-printable-ASCII char escaped."""
    return _string_literal(text, lambda ch: None if _printable_ascii(ch) else f"\\u{{{ord(ch):x}}}")


def swift_doc(text: object) -> str:
    """Text for ``///`` doc comments: every line gets its own ``/// `` prefix (the template writes the first)."""
    s = _CONTROL.sub(" ", _plain(text).replace("\r\n", "\n").replace("\r", "\n"))
    return "\n/// ".join(line.rstrip() for line in s.strip().split("\n"))


def java_str(text: object) -> str:
    """A Java string literal (quotes included). Backslashes are doubled, so ``\\u`` sequences from the spec
    can never become Unicode escapes (Java translates those before lexing); control characters are written as octal
    escapes and other non-ASCII as ``\\u`` plus four hex digits (which Java may translate early: it is never a quote or a line break)."""
    return _string_literal(text, _java_char)


def _java_char(ch: str) -> str | None:
    if _printable_ascii(ch):
        return None
    if ch < " " or ch == "\x7f":  # never \u000a: Java would turn it into a line break before lexing
        return f"\\{ord(ch):03o}"
    return "".join(f"\\u{unit:04x}" for unit in _utf16(ch))


def _utf16(ch: str) -> list[int]:
    data = ch.encode("utf-16-be")
    return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]


def java_doc(text: object) -> str:
    """Text for a ``/** ... */`` Javadoc block: HTML-escaped, ``*/`` broken up, every backslash doubled
    (so ``\\u002a/`` stays text), ``@`` neutralised, each line prefixed with `` * ``."""
    s = _CONTROL.sub(" ", _plain(text).replace("\r\n", "\n").replace("\r", "\n"))
    s = s.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = s.replace("*/", "*&#47;").replace("/*", "&#47;*").replace("@", "&#64;")
    return "\n * ".join(line.rstrip() for line in s.strip().split("\n"))


def toml_str(text: object) -> str:
    """A TOML basic string (quotes included)."""
    return _string_literal(
        text, lambda ch: f"\\u{ord(ch):04x}" if ch < " " or ch == "\x7f" or _CONTROL.match(ch) else None)


def xml_text(text: object) -> str:
    """Text for XML element content or a double-quoted attribute."""
    s = _CONTROL.sub(" ", _plain(text))
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&apos;")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def md(text: object) -> str:
    """Untrusted text as one line of Markdown: HTML-escaped, Markdown punctuation backslash-escaped."""
    s = one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", s)


def md_block(text: object) -> str:
    """Untrusted multi-line text as Markdown paragraphs (each line escaped like :func:`md`)."""
    s = _plain(text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(md(line) for line in s.strip().split("\n"))


ESCAPERS = {
    "py_str": py_str, "py_doc": py_doc, "py_comment": py_comment,
    "js_str": js_str, "js_doc": js_doc, "ts_doc": js_doc, "json_str": json_str,
    "swift_str": swift_str, "swift_doc": swift_doc,
    "java_str": java_str, "java_doc": java_doc,
    "toml_str": toml_str, "xml_text": xml_text, "md": md, "md_block": md_block, "one_line": one_line,
}


# -- per-language naming rules --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LanguageNaming:
    """How one target language names things. ``*_reserved`` are names of the target's own runtime that spec
    names must not take (client methods, option parameters, imported type names)."""

    keywords: frozenset[str]
    type_case: str = "pascal"
    member_case: str = "camel"  # operations (methods) and properties
    param_case: str = "camel"
    enum_case: str = "upper_snake"
    type_reserved: frozenset[str] = frozenset()
    member_reserved: frozenset[str] = frozenset()
    param_reserved: frozenset[str] = frozenset()
    property_reserved: frozenset[str] = frozenset()
    type_suffix: str = "Model"  # appended to a type name that is a keyword or reserved name
    enum_reserved: frozenset[str] = frozenset()  # enum case names the target's runtime uses ("unknown")
    operation_suffixes: tuple[str, ...] = ()  # other members made per operation (e.g. "_raw")

    def type_name(self, raw: str) -> str:
        return identifier(raw, self.type_case, self.keywords | self.type_reserved, fallback="Model",
                          suffix=self.type_suffix)

    def member_name(self, raw: str, fallback: str = "operation") -> str:
        return identifier(raw, self.member_case, self.keywords | self.member_reserved, fallback=fallback)

    def param_name(self, raw: str) -> str:
        return identifier(raw, self.param_case, self.keywords | self.param_reserved, fallback="param")

    def property_name(self, raw: str) -> str:
        return identifier(raw, self.member_case, self.keywords | self.property_reserved, fallback="field")

    def enum_name(self, raw: object) -> str:
        return identifier(str(raw), self.enum_case, self.keywords | self.enum_reserved, fallback="value")
