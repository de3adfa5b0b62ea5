"""import_contacts: history from a previous system counts from day one."""

import pytest
from django.core.management import call_command

from collections_app.importing import ImportRejected, import_contacts
from collections_app.models import ContactAttempt
from compliance.models import AuditEvent
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
HEADER = "loan_ref,channel,at,outcome,destination\n"


def write(tmp_path, body, name="c.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_history_is_loaded_as_imported_attempts(tmp_path):
    case = CaseFactory(loan__loan_ref="L-1")
    import_contacts(write(tmp_path, "L-1,call,2026-11-20T14:05:00-05:00,conversation,+12125550101\n"))
    attempt = ContactAttempt.objects.get()
    assert (attempt.case, attempt.channel, attempt.outcome, attempt.source) == (case, "call", "conversation", "imported")
    assert attempt.at.isoformat() == "2026-11-20T19:05:00+00:00"
    assert AuditEvent.objects.filter(kind="contacts.imported").count() == 1


def test_reimporting_the_same_history_adds_nothing(tmp_path):
    CaseFactory(loan__loan_ref="L-1")
    path = write(tmp_path, "L-1,call,2026-11-20T14:05:00-05:00,no_answer,+12125550101\n")
    import_contacts(path)
    report = import_contacts(path)
    assert (report.created, report.skipped) == (0, 1)
    assert ContactAttempt.objects.count() == 1


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("L-404,call,2026-11-20T14:05:00-05:00,no_answer,", "loan_ref"),
        ("L-1,pigeon,2026-11-20T14:05:00-05:00,no_answer,", "channel"),
        ("L-1,call,2026-11-20T14:05:00,no_answer,", "at"),
        ("L-1,call,yesterday,no_answer,", "at"),
        ("L-1,call,2099-11-20T14:05:00+00:00,no_answer,", "at"),
        ("L-1,call,0001-01-01T00:00:00+05:00,no_answer,", "at"),  # before year 1 in UTC
        ("L-1,call,2026-11-20T14:05:00-05:00,shouted,", "outcome"),
    ],
)
def test_bad_history_row_is_rejected_and_nothing_is_written(tmp_path, line, field):
    CaseFactory(loan__loan_ref="L-1")
    with pytest.raises(ImportRejected) as info:
        import_contacts(write(tmp_path, "L-1,call,2026-11-19T10:00:00-05:00,busy,\n" + line + "\n"))
    assert [(e.row, e.field) for e in info.value.errors] == [(3, field)]
    assert not ContactAttempt.objects.exists()


def test_command_exits_1_on_a_bad_row(tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_contacts", str(write(tmp_path, "L-404,call,2026-11-20T14:05:00-05:00,no_answer,\n")))
    assert exit_info.value.code == 1
