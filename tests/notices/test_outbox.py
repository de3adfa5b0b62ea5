"""The outbox: each notice once, only at a lawful moment, every send recorded and audited."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from collections_app.models import ContactAttempt
from compliance import ledger
from compliance.models import AuditEvent
from notices import channels
from notices.models import Notice
from notices.outbox import deliver, dispatch_notices
from tests.factories import ContactPointFactory, HoldFactory

from .conftest import make_case

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")  # the debtor's Illinois address


@pytest.fixture(autouse=True)
def outbox_folders(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.NOTICES_PRINT_DIR = tmp_path / "print"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def local(hour, minute=0, day=24):
    return datetime(2026, 11, day, hour, minute, tzinfo=CHICAGO)


def planned(case, *, kind="reminder", channel="sms", due=None, cycle="dpd7"):
    return Notice.objects.create(
        case=case, kind=kind, channel=channel, cycle=f"{cycle}.{channel}",
        idempotency_key=f"{case.pk}:{kind}:{cycle}.{channel}", due_at=due or local(0),
    )


@pytest.fixture
def case():
    case = make_case("US")
    # The validation notice went on the 1st: reminders are later communications (1006.18(e)(3)).
    case.initial_communication_at = case.validation_notice_sent_at = local(9, day=1)
    case.save()
    # The consumer texted from this number last week: texts to it are allowed (1006.6(d)(5)).
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+12175550123", line="mobile", is_primary=True,
                        consumer_used_at=local(9, day=17))
    ContactPointFactory(debtor=case.debtor, kind="email", value="maria@example.com", is_primary=True,
                        consumer_used_at=local(9, day=1))
    return case


def sent_texts(tmp_path):
    outbox = tmp_path / "sms" / "outbox.jsonl"
    return [json.loads(line) for line in outbox.read_text().splitlines()] if outbox.exists() else []


def test_due_text_is_claimed_delivered_recorded_and_audited(case, tmp_path):
    notice = planned(case)
    report = dispatch_notices(now=local(14))
    assert report.claimed == [notice.pk]
    assert deliver(notice.pk, now=local(14)) == "sent"
    notice.refresh_from_db()
    assert notice.status == "sent" and notice.delivery_id == f"file-sms:{notice.idempotency_key}"
    attempt = ContactAttempt.objects.get()
    assert attempt.allowed and attempt.channel == "sms" and notice.attempt == attempt
    assert "debt collector" in attempt.message.lower() and "STOP" in attempt.message
    assert [t["key"] for t in sent_texts(tmp_path)] == [notice.idempotency_key]
    kinds = list(AuditEvent.objects.values_list("kind", flat=True))
    assert kinds == ["contact.allowed", "notice.sent"]
    assert ledger.verify().ok


def test_text_due_at_2200_local_waits_for_0800_and_goes_then(case, tmp_path):
    notice = planned(case, due=local(22))
    report = dispatch_notices(now=local(22))
    notice.refresh_from_db()
    assert report.deferred == 1 and notice.status == "planned"
    assert notice.next_allowed_at == local(8, day=25)
    assert dispatch_notices(now=local(7, 59, day=25)).claimed == []
    assert dispatch_notices(now=local(8, 0, day=25)).claimed == [notice.pk]
    assert deliver(notice.pk, now=local(8, 0, day=25)) == "sent"
    assert len(sent_texts(tmp_path)) == 1


def test_notice_not_yet_due_is_not_claimed(case):
    planned(case, due=local(15))
    assert dispatch_notices(now=local(14)).claimed == []


def test_dispute_hold_suppresses_the_notice_with_the_rule(case, tmp_path):
    HoldFactory(case=case, kind="dispute", opened_at=local(9))
    notice = planned(case)
    report = dispatch_notices(now=local(14))
    notice.refresh_from_db()
    assert report.suppressed == 1 and notice.status == "suppressed" and "US.DISPUTE" in notice.suppressed_by
    event = AuditEvent.objects.get(kind="notice.suppressed")
    assert "US.DISPUTE" in event.payload
    assert sent_texts(tmp_path) == []


def test_delivering_twice_sends_once(case, tmp_path):
    notice = planned(case)
    dispatch_notices(now=local(14))
    assert deliver(notice.pk, now=local(14)) == "sent"
    assert deliver(notice.pk, now=local(14, 1)) == "nothing to do"
    assert len(sent_texts(tmp_path)) == 1 and ContactAttempt.objects.count() == 1


def test_expired_lease_is_claimed_again_and_handed_over_under_the_same_key(case, tmp_path):
    notice = planned(case)
    dispatch_notices(now=local(14))
    # A worker took it, recorded the decision and handed it to the provider, then died
    # before marking it sent: the provider saw the key once.
    channels.FileSmsProvider().send(to="+12175550123", text="x", idempotency_key=notice.idempotency_key)
    assert dispatch_notices(now=local(14, 6)).claimed == [notice.pk]
    assert deliver(notice.pk, now=local(14, 6)) == "sent"
    handovers = [json.loads(l) for l in (tmp_path / "sms" / "handovers.jsonl").read_text().splitlines()]
    assert {h["key"] for h in handovers} == {notice.idempotency_key}
    assert len(sent_texts(tmp_path)) == 1


def test_email_carries_the_idempotency_key_and_the_opt_out(case):
    notice = planned(case, channel="email", cycle="dpd14")
    dispatch_notices(now=local(14))
    deliver(notice.pk, now=local(14))
    (message,) = mail.outbox
    assert message.to == ["maria@example.com"]
    assert message.extra_headers["X-Dunwell-Idempotency-Key"] == notice.idempotency_key
    assert notice.idempotency_key.replace(":", ".") in message.extra_headers["Message-ID"]


def test_letter_goes_to_the_days_print_batch(case, tmp_path):
    notice = planned(case, kind="reminder", channel="letter")
    dispatch_notices(now=local(14))
    assert deliver(notice.pk, now=local(14)) == "sent"
    batch = channels.assemble_print_batch(local(14).date())
    manifest = batch.manifest_path.read_text()
    assert notice.idempotency_key in manifest and batch.pdf_paths and batch.pdf_paths[0].exists()


def test_each_printed_letter_is_kept_as_its_notices_document(case):
    from pypdf import PdfReader

    notices = [planned(case, channel="letter", cycle=f"dpd{n}") for n in (7, 14)]
    dispatch_notices(now=local(14))
    for notice in notices:
        deliver(notice.pk, now=local(14))
    channels.assemble_print_batch(local(14).date())
    for notice in notices:
        notice.refresh_from_db()
        text = "".join(page.extract_text() for page in PdfReader(notice.document).pages)
        assert notice.document.endswith(notice.idempotency_key.replace(":", "_") + ".pdf")
        assert "Maria Lopez" in text


def test_validation_notice_sets_the_validation_period(case):
    case.initial_communication_at = case.validation_notice_sent_at = None
    case.save()
    notice = planned(case, kind="us_validation", channel="letter", cycle="initial")
    dispatch_notices(now=local(14))
    assert deliver(notice.pk, now=local(14)) == "sent"
    case.refresh_from_db()
    assert case.validation_notice_sent_at is not None and case.validation_period_end is not None


def test_channel_refuses_to_send_without_an_allowing_decision(case):
    from compliance.gate import check

    decision = check(case=case, channel="sms", at=local(23))
    with pytest.raises(channels.NotAllowed):
        channels.send_sms(channels.Delivery(key="k", destination="+12175550123", rendered=None, decision=decision))
