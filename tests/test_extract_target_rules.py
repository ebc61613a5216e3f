"""The target rules (luoshi/documents/extract/target_rules.py): each decides its own example phrase."""

import pytest

from luoshi.documents.extract import extract_text
from luoshi.documents.extract.target_rules import DECISIONS, SKIPS, UNMARKED, tracing


def decisions_on(phrase: str):
    """The extraction of phrase and which rule decided each number in it."""
    with tracing() as decided:
        extraction = extract_text(phrase)
    return extraction, decided


@pytest.mark.parametrize("skip", SKIPS, ids=lambda skip: skip.name)
def test_each_skip_leaves_out_the_number_of_its_example(skip):
    extraction, decided = decisions_on(skip.example)
    spans = [span for span, name in decided.items() if name == skip.name]
    assert spans, f"{skip.name} did not decide any number in {skip.example!r}: {decided}"
    assert not [t for t in extraction.targets if tuple(t.value_span) in spans]


@pytest.mark.parametrize("rule", DECISIONS, ids=lambda rule: rule.name)
def test_each_rule_decides_its_example(rule):
    extraction, decided = decisions_on(rule.example)
    spans = [span for span, name in decided.items() if name == rule.name]
    assert spans, f"{rule.name} did not decide any number in {rule.example!r}: {decided}"
    proposed = [t for t in extraction.targets if tuple(t.value_span) in spans]
    assert bool(proposed) == rule.keeps


def test_the_rules_are_asked_in_order_and_the_first_that_applies_decides():
    # "不低于" is a comparator, and the figure is also a metric (覆盖率): the comparator rule, asked first, decides
    _, decided = decisions_on("到2027年，全市森林覆盖率不低于45%。")
    assert list(decided.values()) == ["comparator"]
    names = [rule.name for rule in DECISIONS]
    assert names.index("comparator") < names.index("metric")


def test_a_number_no_rule_speaks_for_is_left_out_as_unmarked():
    extraction, decided = decisions_on("每条产业链明确1名市级领导牵头推进。")
    assert UNMARKED in decided.values() and not extraction.targets


def test_every_rule_has_an_example_and_a_distinct_name():
    names = [rule.name for rule in (*SKIPS, *DECISIONS)]
    assert len(names) == len(set(names))
    assert all(rule.example for rule in (*SKIPS, *DECISIONS))
