"""The Python SDK's self-check compiles a large source in pieces (memory stays bounded: issue 14). It must accept
exactly the sources that compile whole, and report the whole source's error."""
from __future__ import annotations

import inspect
import json
import random
import textwrap
from pathlib import Path

import pytest

from apictl.sdk import pysyntax
from conftest import ROOT, run_apictl


def outcome(check, text: str):
    try:
        check(text)
    except SyntaxError as exc:
        return (type(exc).__name__, exc.msg, exc.lineno)
    return None


def whole(text: str):
    return outcome(lambda t: compile(t, "x.py", "exec", dont_inherit=True), text)


def in_pieces(text: str, piece_bytes: int = 0):
    return outcome(lambda t: pysyntax.compile_check(t, "x.py", piece_bytes=piece_bytes), text)


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> list[str]:
    """Generated clients (the example spec, the hostile one), apictl's own modules and some of the stdlib's."""
    out = tmp_path_factory.mktemp("sdk")
    found = []
    for spec in (ROOT / "specs" / "ecommerce.yaml", ROOT / "tests" / "sdk_hostile" / "injection.yaml"):
        result = run_apictl("sdk", str(spec), "--lang", "python", "--out", str(out / spec.stem), "-q")
        assert result.returncode == 0, result.stderr
        found += [p.read_text(encoding="utf-8") for p in sorted((out / spec.stem).rglob("*.py"))]
    found += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "apictl").rglob("*.py"))[:25]]
    found += [inspect.getsource(m) for m in (inspect, json.decoder, textwrap, random)]
    return found


def test_sources_that_compile_are_accepted_in_pieces(sources):
    for text in sources:
        assert whole(text) is None
        for size in (0, 200, 5000):
            assert in_pieces(text, size) is None


MUTATIONS = ['"', "'''", "(", ")", "\n", "\nx = 1\n", "\n    def ghost(self):\n", "\n        return 1\n",
             "\nfrom __future__ import annotations\n", "\\\n", "\n@decorator\n", ":", "\n  pass\n", "\n    @property\n"]


def test_a_broken_source_gets_the_error_of_compiling_it_whole(sources):
    rng = random.Random(14)
    broken = 0
    for text in sources:
        lines = text.splitlines(keepends=True)
        for _ in range(8):
            at = rng.randrange(len(lines) + 1)
            mutated = "".join(lines[:at]) + rng.choice(MUTATIONS) + "".join(lines[at:])
            expected = whole(mutated)
            broken += expected is not None
            assert in_pieces(mutated, rng.choice((0, 300))) == expected, mutated
    assert broken > 40


@pytest.mark.parametrize("text", [
    # a statement at column 0 ends the class: a method after it is an unexpected indent
    "class A:\n    def f(self):\n        pass\nx = 1\n    def g(self):\n        pass\n",
    # a split inside a string that is never closed
    'class A:\n    def f(self):\n        return """\n    def g(self):\n        pass\n',
    # __future__ after other statements
    "def f():\n    pass\nfrom __future__ import annotations\ndef g():\n    pass\n",
    # a class whose body is on its header line
    "class A: pass\n    def f(self):\n        pass\n",
    # a continuation line that runs into the next piece
    "x = 1 + \\\n\ndef f():\n    pass\n",
    # a decorator left without its function
    "class A:\n    @property\n\n\ndef f():\n    pass\n",
    # an unclosed bracket across methods
    "class A:\n    def f(self):\n        return (1,\n    def g(self):\n        pass\n",
])
def test_pieces_never_hide_an_error_of_the_whole(text):
    assert whole(text) is not None
    assert in_pieces(text) == whole(text)


@pytest.mark.parametrize("text", [
    "from __future__ import annotations\nclass A:\n    x: undefined_name = 1\n    @staticmethod\n    def f() -> Later:\n"
    "        pass\n\n    async def g(self):\n        await self\n",
    'class A:\n    """doc\ndef at column 0 inside the docstring\n    def f(self): inside too\n"""\n    def f(self):\n'
    '        return 1\n',
    # a split inside a string (its piece fails alone; the whole compiles)
    'class A:\n    def f(self):\n        return """\n    def g(self):\n"""\n    def h(self):\n        pass\n',
    "@decorator(\n    1)\ndef f():\n    pass\nclass B(A, metaclass=M):\n    pass\n",
])
def test_valid_sources_with_tricky_layouts_are_accepted(text):
    assert whole(text) is None
    assert in_pieces(text) is None
