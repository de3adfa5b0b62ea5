"""Replay: a past contact re-decided under the rules in force then, and under today's."""

import pytest

from compliance import engine, gate, replay
from tests.audit.conftest import record, shanghai

pytestmark = pytest.mark.django_db


def test_the_request_snapshot_rebuilds_the_engine_request(cn_attempts_before_the_cba_guideline):
    _, attempt = cn_attempts_before_the_cba_guideline
    request = replay.request_from_snapshot(attempt.decision["request"])
    assert isinstance(request, engine.ContactRequest) and isinstance(request.facts, engine.CaseFacts)
    assert request.moment == shanghai(2026, 1, 20, 12)
    assert len(request.facts.prior_attempts) == 6
    assert gate.request_snapshot(request) == attempt.decision["request"]


def test_replay_under_the_recorded_cn_version_reproduces_the_allowed_call(cn_attempts_before_the_cba_guideline):
    _, attempt = cn_attempts_before_the_cba_guideline
    assert attempt.allowed and attempt.decision["pack_versions"]["CN"] == "2025-02-28"
    result = replay.replay_attempt(attempt, now_moment=shanghai(2026, 11, 24, 12))
    assert result.replayed.allowed and result.reproduces_record
    assert result.replayed.pack_versions["CN"] == "2025-02-28"


def test_todays_engine_disagrees_because_the_cba_attempt_cap_came_later(cn_attempts_before_the_cba_guideline):
    _, attempt = cn_attempts_before_the_cba_guideline
    result = replay.replay_attempt(attempt, now_moment=shanghai(2026, 11, 24, 12))
    assert result.today_versions["CN"] == "2026-01-30"
    assert not result.today.allowed and "CN.CALLS.ATTEMPTS" in result.today.rule_ids
    assert not result.today_agrees


def test_a_blocked_decision_replays_blocked_and_today_agrees(db):
    from tests.audit.conftest import cn_case

    case = cn_case()
    attempt = record(case, at=shanghai(2026, 3, 10, 23)).attempt  # 23:00 Beijing: CN.TIME
    result = replay.replay_attempt(attempt)
    assert not result.replayed.allowed and result.reproduces_record and result.today_agrees


def test_replay_page_shows_the_disagreement(officer_client, cn_attempts_before_the_cba_guideline):
    _, attempt = cn_attempts_before_the_cba_guideline
    response = officer_client.get(f"/audit/attempts/{attempt.pk}/replay/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "reproduces the recorded decision" in text and "CN.CALLS.ATTEMPTS" in text
    assert "disagrees" in text


def test_replay_api_answers_with_both_decisions(officer_client, cn_attempts_before_the_cba_guideline):
    _, attempt = cn_attempts_before_the_cba_guideline
    data = officer_client.get(f"/api/v1/audit/attempts/{attempt.pk}/replay").json()
    assert data["reproduces_record"] is True and data["today_agrees"] is False
    assert data["replayed"]["pack_versions"]["CN"] == "2025-02-28" and data["today"]["pack_versions"]["CN"] == "2026-01-30"


def test_a_redacted_snapshot_is_not_replayable():
    with pytest.raises(replay.SnapshotError):
        replay.request_from_snapshot({"channel": "call", "redaction": {"at": "x"}})
    with pytest.raises(replay.SnapshotError):
        replay.request_from_snapshot({})
