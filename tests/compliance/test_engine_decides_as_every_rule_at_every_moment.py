"""The engine's decisions equal a straightforward evaluation: every rule the installation
enables judges the request at its moment, and ``next_allowed_at`` is found by judging the
request again, with every rule and nothing remembered, at each later candidate moment.

The engine itself runs only the rules whose scope admits the request, remembers what does
not depend on the moment, and re-judges only the rules that lift by themselves; these tests
hold it to the plain definition on many generated requests across every pack.
"""

from datetime import timedelta

import pytest

from compliance.engine import DEFAULT, UTC, Decision, Reason, evaluate
from compliance.packs import Context
from tests.compliance.generated_requests import requests

REQUESTS = requests(1500)


def _judge(request, moment, registry, versions):
    """Every enabled rule at ``moment``, with a fresh context."""
    layers = registry.layers(request.facts.jurisdiction, moment, versions)
    matcher = registry.matcher(layers) if request.message else None
    ctx = Context(request, registry.policy, layers, matcher, moment=moment)
    blocks, warnings = [], []
    for layer in layers:
        for rule in layer.rules:
            if not registry.applies(rule, ctx.first_party):
                continue
            outcome = rule.check(ctx, rule)
            if outcome is not None:
                (warnings if outcome.warning else blocks).append((rule, outcome))
    return layers, blocks, warnings


def _reference(request, registry=DEFAULT, versions=None) -> Decision:
    moment = request.moment.astimezone(UTC)
    layers, blocks, warnings = _judge(request, moment, registry, versions)
    next_allowed = None
    if blocks and all(o.until is not None for _, o in blocks):
        candidate = max(o.until for _, o in blocks)
        for _ in range(40):
            _, later_blocks, _ = _judge(request, candidate, registry, versions)
            if not later_blocks:
                next_allowed = candidate
                break
            if any(o.until is None for _, o in later_blocks):
                break
            later = max(o.until for _, o in later_blocks)
            candidate = later if later > candidate else candidate + timedelta(minutes=1)
    first_party = request.facts.collector_type == "first_party"

    def reason(rule, outcome):
        return Reason(rule.id, rule.citation, outcome.message_en, outcome.message_zh, rule.status,
                      rule.policy or (rule.reg_f and first_party))

    findings = []
    for _, outcome in blocks + warnings:
        findings.extend(f for f in outcome.findings if f not in findings)
    return Decision(
        allowed=not blocks, reasons=tuple(reason(r, o) for r, o in blocks),
        warnings=tuple(reason(r, o) for r, o in warnings), pack=request.facts.jurisdiction,
        pack_version="; ".join(f"{layer.code} {layer.version}" for layer in layers if layer.code != "POLICY"),
        pack_versions={layer.code: layer.version for layer in layers}, next_allowed_at=next_allowed,
        findings=tuple(sorted(findings, key=lambda f: (f.start, f.rule_id))), moment=request.moment,
    )


def test_generated_requests_cover_every_kind_of_decision():
    decisions = [evaluate(r) for r in REQUESTS]
    assert any(d.allowed for d in decisions)
    assert any(not d.allowed and d.next_allowed_at is not None for d in decisions)
    assert any(not d.allowed and d.next_allowed_at is None for d in decisions)
    assert {r.facts.jurisdiction for r in REQUESTS} >= {"US", "US-MA", "US-CA", "US-WA", "CN", "GB"}


@pytest.mark.parametrize("chunk", range(5))
def test_decision_equals_every_rule_judging_every_candidate_moment(chunk):
    for request in REQUESTS[chunk::5]:
        assert evaluate(request).to_dict() == _reference(request).to_dict(), request


def test_decision_equals_the_plain_evaluation_for_a_lender_without_reg_f_policy():
    registry = DEFAULT.with_policy(us_first_party_reg_f=False)
    for request in REQUESTS[::7]:
        assert evaluate(request, pack_registry=registry).to_dict() == _reference(request, registry).to_dict(), request


def test_replay_under_named_versions_equals_the_plain_evaluation():
    for request in [r for r in REQUESTS if r.facts.jurisdiction == "CN"][:60]:
        versions = {"CN": "2025-02-28"}
        assert evaluate(request, versions=versions).to_dict() == _reference(request, versions=versions).to_dict()


def test_only_rules_that_lift_by_themselves_say_when_their_objection_lifts():
    for request in REQUESTS[::3]:
        moment = request.moment.astimezone(UTC)
        _, blocks, warnings = _judge(request, moment, DEFAULT, None)
        for rule, outcome in blocks + warnings:
            assert outcome.until is None or rule.lifts, rule.id


def test_no_rule_objects_to_a_request_outside_its_scope():
    for request in REQUESTS:
        moment = request.moment.astimezone(UTC)
        _, blocks, warnings = _judge(request, moment, DEFAULT, None)
        for rule, _ in blocks + warnings:
            assert rule.scope.admits(request.channel, request.purpose, bool(request.message)), rule.id


def test_no_rule_objects_without_the_case_facts_it_needs():
    from dataclasses import replace

    needs = sorted({n for layers in (DEFAULT.layers(j, r.moment) for j, r in [(r.facts.jurisdiction, r) for r in REQUESTS[:50]])
                    for layer in layers for rule in layer.rules for n in rule.scope.needs})
    assert needs  # holds, opt-outs, ...
    for request in REQUESTS[::2]:
        for need in needs:
            absent = None if need.endswith("_at") else ()
            variant = replace(request, facts=replace(request.facts, **{need: absent}))
            _, blocks, warnings = _judge(variant, variant.moment.astimezone(UTC), DEFAULT, None)
            for rule, _ in blocks + warnings:
                assert need not in rule.scope.needs, (rule.id, need)
