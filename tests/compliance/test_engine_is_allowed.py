"""``is_allowed`` answers as ``evaluate(...).allowed``: the yes or no alone, for filters."""

from dataclasses import replace

from compliance.engine import evaluate, is_allowed
from tests.compliance.generated_requests import requests

REQUESTS = requests(1500, seed=1009)


def test_is_allowed_says_what_the_full_decision_says_on_every_generated_request():
    assert [is_allowed(r) for r in REQUESTS] == [evaluate(r).allowed for r in REQUESTS]


def test_the_generated_requests_hold_both_answers_and_blocks_that_lift_by_themselves():
    decisions = [evaluate(r) for r in REQUESTS]
    assert any(d.allowed for d in decisions)
    assert any(not d.allowed and d.next_allowed_at is not None for d in decisions)
    assert any(not d.allowed and d.next_allowed_at is None for d in decisions)


def test_a_warning_alone_does_not_make_a_contact_disallowed():
    warned = [r for r in REQUESTS if (d := evaluate(r)).allowed and d.warnings]
    assert warned, "the generated requests should include allowed contacts with warnings"
    assert all(is_allowed(r) for r in warned)
    # And the same requests at other moments still agree.
    later = [replace(r, moment=r.moment.replace(hour=(r.moment.hour + 7) % 24)) for r in warned]
    assert [is_allowed(r) for r in later] == [evaluate(r).allowed for r in later]
