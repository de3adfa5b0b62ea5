"""``evaluate_many`` decides exactly as ``evaluate`` one request at a time, while sharing what
follows from the facts alone between requests about the same case at the same moment."""

from dataclasses import replace
from datetime import timedelta, timezone
from itertools import groupby

from compliance.engine import DEFAULT, ContactRequest, evaluate, evaluate_many
from tests.compliance.generated_requests import requests

UTC = timezone.utc
CHANNELS = ("call", "sms", "email", "letter", "visit", "third_party")


def _every_channel(request: ContactRequest) -> list[ContactRequest]:
    """The request again on every channel, to each of the case's destinations, with and without its message."""
    f = request.facts
    out = []
    for channel in CHANNELS:
        destinations = ([p.number for p in f.phones] if channel in ("call", "sms") else
                        [e.address for e in f.emails] if channel == "email" else ["", "neighbour-1"])
        for destination in destinations or ["+15555550000"]:
            for message in {None, request.message}:
                out.append(replace(request, channel=channel, destination=destination, message=message,
                                   third_party=request.third_party if channel == "third_party" else None,
                                   visit=request.visit if channel == "visit" else None,
                                   envelope=request.envelope if channel == "letter" else None))
    return out


def test_evaluate_many_equals_evaluate_for_every_channel_of_each_case():
    batch = [r for request in requests(400, seed=2718) for r in _every_channel(request)]
    assert len({id(r.facts) for r in batch}) == 400
    assert [d.to_dict() for d in evaluate_many(batch)] == [evaluate(r).to_dict() for r in batch]


def test_evaluate_many_equals_evaluate_grouped_by_facts_in_the_generated_requests():
    # Requests of the generated set regrouped so that consecutive ones share their facts
    # object and moment (the work queue asks call, sms and email of one case at one moment).
    generated = requests(600, seed=31)
    batch = []
    for request in generated:
        for channel in ("call", "sms", "email"):
            batch.append(replace(request, channel=channel, third_party=None, visit=None, envelope=None))
    batch.sort(key=lambda r: (r.facts.jurisdiction, id(r.facts)))
    assert [k for k, _ in groupby(batch, key=lambda r: id(r.facts))] and len(batch) == 1800
    assert [d.to_dict() for d in evaluate_many(batch)] == [evaluate(r).to_dict() for r in batch]


def test_evaluate_many_with_a_policy_and_versions_and_mixed_cases():
    registry = DEFAULT.with_policy(us_first_party_reg_f=False)
    batch = [r for request in requests(120, seed=5) for r in _every_channel(request)[:6]]
    # Interleave cases and moments: sharing must stop whenever the facts object or the moment changes.
    mixed = []
    for a, b in zip(batch[::2], batch[1::2]):
        mixed += [a, replace(a, moment=a.moment + timedelta(hours=9)), b, a]
    assert ([d.to_dict() for d in evaluate_many(mixed, pack_registry=registry)]
            == [evaluate(r, pack_registry=registry).to_dict() for r in mixed])
    cn = [r for r in batch if r.facts.jurisdiction == "CN"]
    versions = {"CN": "2025-02-28"}
    assert ([d.to_dict() for d in evaluate_many(cn, versions=versions)]
            == [evaluate(r, versions=versions).to_dict() for r in cn])


def test_evaluate_many_of_nothing_is_nothing():
    assert evaluate_many([]) == []
