from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils.timezone import now

from collections_app.models import Team

from ..factories import CaseFactory, ContactPointFactory, DebtorFactory, LoanFactory, UserFactory


def make_case(*, collector=None, team=None, phone="+12125550123", timezone="", balance="1200.00", **kwargs):
    """A US case with a New York phone and an email; `collector` owns it."""
    debtor = DebtorFactory(timezone=timezone)
    # The consumer texted from this mobile, so it is safe for text messages (1006.6(d)(3)).
    ContactPointFactory(debtor=debtor, kind="phone", value=phone, is_primary=True, line="mobile",
                        consumer_used_at=now() - timedelta(days=2))
    ContactPointFactory(debtor=debtor, kind="email", value=f"{debtor.debtor_ref.lower()}@example.com",
                        is_primary=True, consumer_used_at=None)
    ContactPointFactory(debtor=debtor, kind="address", value="350 Fifth Avenue, New York NY 10118",
                        country="US", region="NY", postal_code="10118", city="New York")
    loan = LoanFactory(debtor=debtor, balance=balance, due_date=date.today() - timedelta(days=40))
    # The validation notice went out with the first communication, and its period is over (1006.34).
    defaults = {
        "stage": "active", "initial_communication_at": now() - timedelta(days=50),
        "validation_notice_sent_at": now() - timedelta(days=50), "validation_period_end": date.today() - timedelta(days=5),
    }
    return CaseFactory(loan=loan, debtor=debtor, collector=collector, team=team, **{**defaults, **kwargs})


@pytest.fixture
def team(collector, supervisor):
    team = Team.objects.create(name="North")
    team.members.add(collector, supervisor)
    return team


@pytest.fixture
def collector_client(client, collector):
    collector.save()  # the factory sets the password without saving it
    client.force_login(collector)
    return client


@pytest.fixture
def supervisor_client(client, supervisor):
    supervisor.save()
    client.force_login(supervisor)
    return client


@pytest.fixture
def other_collector(db):
    return UserFactory(role="collector")


def new_york(hour: int, minute: int) -> datetime:
    """Tomorrow at this wall-clock time in New York (after every fixture's `now()`)."""
    zone = ZoneInfo("America/New_York")
    day = datetime.now(zone).date() + timedelta(days=1)
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


@pytest.fixture
def new_york_afternoon():
    """The clock at 14:00 in New York (tomorrow), ticking: tests that expect contact to be
    allowed "now" must not depend on the hour the suite happens to run."""
    with time_machine.travel(new_york(14, 0), tick=True):
        yield
