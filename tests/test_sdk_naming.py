"""apictl/sdk/naming.py: every text gives a valid identifier no longer than a file name allows, and long names
that differ anywhere stay apart."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from apictl.sdk.naming import IDENTIFIER, MAX_IDENTIFIER, identifier, shorten

CASES = ("snake", "camel", "pascal", "upper_snake")


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=600), case=st.sampled_from(CASES))
def test_any_text_is_a_bounded_identifier(text, case):
    name = identifier(text, case)
    assert IDENTIFIER.match(name) and len(name) <= MAX_IDENTIFIER
    assert identifier(text, case) == name, "the same text always gives the same name"


@given(tail_a=st.text("abcxyz", min_size=1, max_size=5), tail_b=st.text("abcxyz", min_size=1, max_size=5),
       case=st.sampled_from(CASES))
def test_long_names_differing_only_at_the_end_stay_apart(tail_a, tail_b, case):
    head = "word " * 80
    if tail_a == tail_b:
        return
    a, b = identifier(head + tail_a, case), identifier(head + tail_b, case)
    assert a != b and a.lower() != b.lower()


def test_names_within_the_limit_are_unchanged():
    name = "PostCustomersCustomerSubscriptionsSubscriptionExposedIdRequestPaymentSettingsPaymentMethodOptions"
    assert identifier(name, "pascal") == name
    assert shorten("x" * MAX_IDENTIFIER) == "x" * MAX_IDENTIFIER
    long = shorten("y" * (MAX_IDENTIFIER + 1), "snake")
    assert len(long) <= MAX_IDENTIFIER and long.startswith("yyy") and long[-9] == "_"
