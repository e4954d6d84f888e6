"""apictl's plain records (apictl/record.py) behave as the dataclasses they replaced: equality over the
fields, immutable hashable rules, fresh mutable defaults, pickling for the process pool, and cache results
that survive a JSON round trip."""
from __future__ import annotations

import json
import pickle

import pytest

from apictl.config import Config, IgnoreEntry
from apictl.lint.file_check import FileResult, FileSettings
from apictl.lint.registry import RULES, Rule, load_all_rules
from apictl.report.item import Report, ReportItem
from apictl.source import open_spec
from conftest import ROOT


def test_values_compare_by_field_and_are_unhashable():
    a = ReportItem("rule-a", "error", "m", "f.yaml", 3, 4, "/paths", {"operation": "GET /a"})
    b = ReportItem("rule-a", "error", "m", "f.yaml", 3, 4, "/paths", {"operation": "GET /a"})
    assert a == b and not (a != b)
    assert a != ReportItem("rule-a", "error", "m", "f.yaml", 3, 5, "/paths", {"operation": "GET /a"})
    assert a != ("rule-a", "error")  # another type is never equal
    with pytest.raises(TypeError):
        hash(a)
    assert "line=3" in repr(a) and repr(a).startswith("ReportItem(")


def test_mutable_defaults_are_fresh_for_each_record():
    one, two = Config(), Config()
    one.rules["x"] = "off"
    one.ignore.append(IgnoreEntry("x"))
    assert two.rules == {} and two.ignore == []
    first, second = Report("lint", []), Report("lint", [])
    first.notes.append("n")
    assert second.notes == []


def test_rules_are_immutable_hashable_and_list_their_fields():
    load_all_rules()
    rule = next(iter(RULES.values()))
    with pytest.raises(AttributeError):
        rule.level = "off"
    with pytest.raises(AttributeError):
        del rule.summary
    copy = Rule(**vars(rule))
    assert copy == rule and hash(copy) == hash(rule) and {rule: 1}[copy] == 1
    assert set(vars(rule)) == {"id", "level", "summary", "fix", "family", "example", "rationale"}  # `rules -f json`


def test_records_cross_process_boundaries_and_the_cache():
    config = Config(fail_on="warning", rules={"a": "off"}, ignore=[IgnoreEntry("b", "/paths/*")])
    settings = FileSettings(config.without_positions(), params={"Stage": "prod"}, baseline=frozenset({"k"}))
    assert pickle.loads(pickle.dumps(settings)) == settings
    result = FileResult("api.yaml", errors=[("bad", "api.yaml", 1, 2)], checked=True, notes=["n"],
                        api_types=["api.yaml: REST API (x)"], suppressed=2, files_read=["api.yaml"],
                        items=[ReportItem("r", "warning", "m", "api.yaml", 5, 6, "/a", {"k": [1]})])
    assert pickle.loads(pickle.dumps(result)) == result
    assert FileResult.from_json(json.loads(json.dumps(result.to_json()))) == result


def test_a_document_repr_names_the_file_without_printing_its_text():
    source = open_spec(str(ROOT / "specs" / "ecommerce.yaml"))[0]
    text = repr(source.document)
    assert "ecommerce.yaml" in text and len(text) < 400
