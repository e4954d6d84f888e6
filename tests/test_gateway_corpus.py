"""The real-world regression suite: every finding on ../shared/corpus/gateway (and on the SDK corpus files that
carry API Gateway extensions) is reviewed and pinned in corpus_expected_findings.json. A new finding (a false
positive until reviewed) or a lost one (a true positive gone) fails here; `python tests/corpus_findings.py`
shows the difference, `--write` pins the new state for review."""
from __future__ import annotations

from pathlib import Path

from conftest import need_corpus
from corpus_findings import TODO, collect, load_expected, review_keys


def test_findings_on_real_definitions_are_exactly_the_reviewed_ones():
    findings, errors = collect(need_corpus())
    expected = load_expected()
    pinned = {tuple(f) for f in expected["findings"]}
    now = {tuple(f) for f in findings}
    new = sorted(now - pinned)
    lost = sorted(pinned - now)
    assert not new and not lost, (
        "findings on the real-world corpus changed (python tests/corpus_findings.py shows them; --write pins them "
        "once each is reviewed):\n" + "\n".join([f"new:  {f}" for f in new] + [f"lost: {f}" for f in lost]))
    assert errors == expected["input_errors"]


def test_every_pinned_finding_has_a_review():
    expected = load_expected()
    keys = review_keys(expected["findings"])
    reviewed = {(rule, name) for rule, names in expected["reviews"].items() for name in names}
    assert keys == reviewed, "reviews and findings disagree: run python tests/corpus_findings.py --write"
    todo = [(rule, name) for rule, names in expected["reviews"].items() for name, note in names.items()
            if note == TODO or not note.strip()]
    assert not todo, f"findings without a review: {todo}"
    assert all(Path(f[0]).parts[0] in ("gateway", "sdk") for f in expected["findings"])


def test_one_finding_per_node_and_rule_on_real_definitions():
    places = [(f[0], f[3], f[2]) for f in load_expected()["findings"]]
    assert len(places) == len(set(places))
