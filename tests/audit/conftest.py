"""Builders for the audit view's tests: officers, collectors and recorded contact attempts."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from collections_app.models import Debtor
from compliance import gate
from tests.factories import CaseFactory, ContactPointFactory, TeamFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
CN_MOBILE = "+8613800138000"
NY_MOBILE = "+12125550101"


@pytest.fixture
def officer(db):
    return UserFactory(role="compliance_officer", username="officer")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def cn_case(**kwargs):
    """A first-party Chinese case (CN.OUTSOURCE does not apply) reachable on a mobile."""
    case = CaseFactory(jurisdiction="CN", collector_type="first_party", loan__currency="CNY",
                       loan__debtor__language="zh-Hans", **kwargs)
    ContactPointFactory(debtor=case.debtor, kind="phone", value=CN_MOBILE, line="mobile", is_primary=True)
    ContactPointFactory(debtor=case.debtor, kind="address", value="南京西路1266号, 上海市, 200040, CN",
                        country="CN", postal_code="200040")
    return case


def us_case(**kwargs):
    case = CaseFactory(jurisdiction="US", **kwargs)
    ContactPointFactory(debtor=case.debtor, kind="phone", value=NY_MOBILE, line="mobile", is_primary=True)
    ContactPointFactory(debtor=case.debtor, kind="address", value="1 Main St, New York, NY, 10001, US",
                        country="US", region="NY", postal_code="10001")
    return case


def shanghai(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def new_york(*args):
    return datetime(*args, tzinfo=NEW_YORK)


def record(case, *, at, by=None, channel="call", outcome="no_answer", **kwargs):
    return gate.record(case=case, channel=channel, outcome=outcome, by=by, at=at, **kwargs)


@pytest.fixture
def cn_attempts_before_the_cba_guideline(db):
    """Six unanswered calls on 2026-01-20, then a seventh: allowed under CN 2025-02-28 (no
    per-number attempt cap yet), blocked by CN.CALLS.ATTEMPTS under CN 2026-01-30."""
    collector = UserFactory(role="collector")
    case = cn_case(collector=collector)
    for i in range(6):
        record(case, at=shanghai(2026, 1, 20, 9, i * 10), by=collector)
    seventh = record(case, at=shanghai(2026, 1, 20, 12), by=collector)
    return case, seventh.attempt
