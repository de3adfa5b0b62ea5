"""`manage.py seed_demo`: a demo portfolio in every supported jurisdiction, one login per role."""

from io import StringIO

import phonenumbers
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from phonenumbers.timezone import time_zones_for_number

from collections_app.models import Case, Debtor, Stage
from compliance import ledger

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(settings, tmp_path):
    settings.VAR_DIR = tmp_path

    def run(*args):
        out = StringIO()
        call_command("seed_demo", *args, stdout=out)
        return out.getvalue()

    return run


def test_seeding_creates_one_staff_user_per_role_in_its_group(seed):
    seed()
    for username, group in (("collector", "collector"), ("supervisor", "supervisor"), ("officer", "compliance_officer")):
        user = User.objects.get(username=username)
        assert user.is_staff and not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [group]
    assert User.objects.get(username="admin").is_superuser


def test_seeding_saves_and_prints_the_demo_logins(seed, tmp_path):
    output = seed()
    saved = (tmp_path / "demo-logins.txt").read_text(encoding="utf-8")
    assert "DEMO ONLY" in saved and saved in output


def test_seeding_opens_cases_in_every_demo_jurisdiction(seed):
    seed()
    assert {"US", "US-MA", "US-CA", "CN", "GB"} <= set(Case.objects.values_list("jurisdiction", flat=True))


def test_seeding_includes_a_chicago_debtor_reached_on_a_new_york_mobile(seed):
    seed()
    chicago = Debtor.objects.filter(contact_points__kind="address", contact_points__city="Chicago")
    phones = [p.value for d in chicago for p in d.contact_points.filter(kind="phone")]
    assert any(time_zones_for_number(phonenumbers.parse(p)) == ("America/New_York",) for p in phones)


def test_seeding_includes_chinese_language_debtors(seed):
    seed()
    chinese = Debtor.objects.filter(language="zh-Hans")
    assert chinese.count() >= 3
    assert all("\u4e00" <= d.full_name[0] <= "\u9fff" for d in chinese)


def test_seeded_cases_sit_in_several_stages(seed):
    seed()
    stages = set(Case.objects.values_list("stage", flat=True))
    assert {Stage.NEW, Stage.EARLY, Stage.ACTIVE, Stage.FINAL_NOTICE} <= stages


def test_ledger_verifies_after_seeding(seed):
    seed()
    assert ledger.verify().ok


def test_seeding_again_with_if_empty_seeds_nothing_and_prints_the_saved_logins(seed):
    first = seed()
    cases, users = Case.objects.count(), User.objects.count()
    again = seed("--if-empty")
    assert (Case.objects.count(), User.objects.count()) == (cases, users)
    assert again in first


def test_seeding_an_already_seeded_database_is_refused(seed):
    seed()
    with pytest.raises(CommandError, match="already holds data"):
        seed()


def test_seeding_includes_what_debtors_told_us(seed):
    from collections_app.models import ContactAttempt, ContactPreference

    seed()
    assert ContactAttempt.objects.filter(initiated_by_consumer=True, case__loan__loan_ref="DEMO-L004").exists()
    assert ContactPreference.objects.filter(kind="opt_out", channel="sms", debtor__debtor_ref="DEMO-D015").exists()
    assert Debtor.objects.get(debtor_ref="DEMO-D010").inconvenient_times == [["12:00", "13:30"]]
    assert Debtor.objects.get(debtor_ref="DEMO-D018").not_at_work_since is not None
    location = ContactAttempt.objects.get(channel="third_party", case__loan__loan_ref="DEMO-L017")
    assert location.allowed and location.purpose == "location"
