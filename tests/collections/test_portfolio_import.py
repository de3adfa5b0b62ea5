"""import_portfolio: all or nothing, every rejected row named, re-import idempotent."""

import csv
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from collections_app.importing import PORTFOLIO_COLUMNS, ImportRejected, import_portfolio
from collections_app.models import Case, ContactPoint, Debtor, Loan, Stage
from compliance import ledger
from compliance.models import AuditEvent

pytestmark = pytest.mark.django_db


def row(**overrides):
    base = {
        "loan_ref": "L-1", "debtor_ref": "D-1", "full_name": "Ada Lovelace", "language": "en",
        "phone": "+1 312 555 0101", "email": "ada@example.com", "address_line1": "1 Wacker Dr",
        "city": "Chicago", "region": "IL", "postal_code": "60601", "country": "US", "timezone": "",
        "principal": "1000.00", "balance": "1234.56", "currency": "USD", "due_date": "2026-09-01",
        "itemization_date": "2026-09-15", "jurisdiction": "", "collector_type": "",
    }
    return {**base, **overrides}


def write_csv(path, rows, delimiter=","):
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=PORTFOLIO_COLUMNS, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def rejected(path):
    with pytest.raises(ImportRejected) as info:
        import_portfolio(path)
    assert not Loan.objects.exists() and not Debtor.objects.exists() and not AuditEvent.objects.exists()
    return [(e.row, e.field) for e in info.value.errors], info.value.errors


def test_csv_import_creates_debtor_contact_points_loan_and_new_case(tmp_path):
    report = import_portfolio(write_csv(tmp_path / "p.csv", [row()]))
    case = Case.objects.select_related("loan", "debtor").get()
    assert report.created == 1
    assert case.stage == Stage.NEW and case.jurisdiction == "US" and case.collector_type == "third_party"
    assert case.loan.balance == Decimal("1234.56") and case.loan.currency == "USD"
    assert set(ContactPoint.objects.values_list("kind", "value")) == {
        ("phone", "+13125550101"), ("email", "ada@example.com"),
        ("address", "1 Wacker Dr, Chicago, IL, 60601, US"),
    }


def test_jsonl_import_reads_the_same_columns(tmp_path):
    import_portfolio(write_jsonl(tmp_path / "p.jsonl", [row(full_name="王小明", language="zh-Hans", country="CN",
                                                           region="", phone="+86 138 0013 8000", currency="CNY")]))
    debtor = Debtor.objects.get()
    assert (debtor.full_name, debtor.language) == ("王小明", "zh-Hans")
    assert Case.objects.get().jurisdiction == "CN"


@pytest.mark.parametrize(
    ("country", "region", "expected"),
    [("US", "MA", "US-MA"), ("US", "CA", "US-CA"), ("US", "WA", "US-WA"), ("US", "NY", "US"), ("GB", "", "GB"), ("CN", "", "CN")],
)
def test_blank_jurisdiction_is_derived_from_country_and_region(tmp_path, country, region, expected):
    phone = {"US": "+1 212 555 0101", "GB": "+44 7911 123456", "CN": "+86 138 0013 8000"}[country]
    import_portfolio(write_csv(tmp_path / "p.csv", [row(country=country, region=region, phone=phone)]))
    assert Case.objects.get().jurisdiction == expected


def test_explicit_jurisdiction_overrides_the_address(tmp_path):
    import_portfolio(write_csv(tmp_path / "p.csv", [row(jurisdiction="US-MA")]))
    case = Case.objects.get()
    assert (case.jurisdiction, case.jurisdiction_overridden) == ("US-MA", True)


def test_blank_collector_type_takes_the_installation_default(tmp_path, settings):
    settings.DUNWELL_DEFAULT_COLLECTOR_TYPE = "first_party"
    import_portfolio(write_csv(tmp_path / "p.csv", [row()]))
    assert Case.objects.get().collector_type == "first_party"


def test_case_creation_is_audited_and_the_chain_verifies(tmp_path):
    import_portfolio(write_csv(tmp_path / "p.csv", [row(loan_ref=f"L-{i}") for i in range(3)]))
    kinds = list(AuditEvent.objects.values_list("kind", flat=True))
    assert kinds == ["case.created"] * 3 + ["portfolio.imported"]
    assert ledger.verify().ok


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"phone": "+1 999 000"}, "phone"),
        ({"phone": "not a number"}, "phone"),
        ({"email": "ada@"}, "email"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "dollars"}, "currency"),
        ({"due_date": "2026-02-30"}, "due_date"),
        ({"due_date": "01/09/2026"}, "due_date"),
        ({"itemization_date": "2099-01-01"}, "itemization_date"),
        ({"itemization_date": "0026-08-01"}, "itemization_date"),  # a mistyped year
        ({"due_date": "9999-12-31"}, "due_date"),
        ({"balance": "-5"}, "balance"),
        ({"balance": "12.345"}, "balance"),
        ({"balance": "NaN"}, "balance"),
        ({"principal": "ten"}, "principal"),
        ({"jurisdiction": "FR"}, "jurisdiction"),
        ({"country": "FR", "phone": "+33 6 12 34 56 78"}, "country"),
        ({"country": "ZZ"}, "country"),
        ({"region": "XX"}, "region"),
        ({"language": "fr"}, "language"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"collector_type": "bailiff"}, "collector_type"),
        ({"full_name": ""}, "full_name"),
        ({"loan_ref": ""}, "loan_ref"),
        ({"phone": "", "email": "", "address_line1": ""}, "phone"),
    ],
)
def test_bad_row_is_rejected_with_its_field_and_nothing_is_written(tmp_path, overrides, field):
    problems, _ = rejected(write_csv(tmp_path / "p.csv", [row(loan_ref="L-ok"), row(**{"loan_ref": "L-bad", **overrides})]))
    assert problems == [(3, field)]


def test_every_rejected_row_is_reported(tmp_path):
    problems, errors = rejected(write_csv(tmp_path / "p.csv", [
        row(loan_ref="A", currency="???"), row(loan_ref="B"), row(loan_ref="C", due_date="tomorrow"),
    ]))
    assert problems == [(2, "currency"), (4, "due_date")]
    assert all(e.reason for e in errors)


def test_duplicate_loan_ref_in_one_file_is_rejected(tmp_path):
    problems, errors = rejected(write_csv(tmp_path / "p.csv", [row(), row()]))
    assert problems == [(3, "loan_ref")] and "duplicate of row 2" in errors[0].reason


def test_wrong_delimiter_is_named(tmp_path):
    problems, _ = rejected(write_csv(tmp_path / "p.csv", [row()], delimiter=";"))
    assert problems == [(1, "header")]


def test_unknown_column_is_rejected(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("loan_ref,shoe_size\nL-1,42\n")
    problems, _ = rejected(path)
    assert problems == [(1, "shoe_size")]


def test_file_that_is_not_utf8_is_rejected(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(",".join(PORTFOLIO_COLUMNS).encode() + b"\n\xff\xfe broken\n")
    problems, _ = rejected(path)
    assert problems == [(1, "file")]


def test_utf8_byte_order_mark_is_accepted(tmp_path):
    path = write_csv(tmp_path / "p.csv", [row()])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert import_portfolio(path).created == 1


def test_malformed_json_line_is_rejected(tmp_path):
    path = write_jsonl(tmp_path / "p.jsonl", [row()])
    path.write_text(path.read_text() + "{not json\n")
    problems, _ = rejected(path)
    assert problems == [(2, "line")]


def test_reimport_updates_the_balance_and_never_duplicates(tmp_path):
    import_portfolio(write_csv(tmp_path / "a.csv", [row()]))
    report = import_portfolio(write_csv(tmp_path / "b.csv", [row(balance="999.00")]))
    assert (report.created, report.updated) == (0, 1)
    assert Loan.objects.get().balance == Decimal("999.00")
    assert (Case.objects.count(), Debtor.objects.count(), ContactPoint.objects.count()) == (1, 1, 3)
    assert AuditEvent.objects.filter(kind="loan.balance_updated").count() == 1


def test_reimport_of_an_unchanged_file_changes_nothing(tmp_path):
    path = write_csv(tmp_path / "a.csv", [row()])
    import_portfolio(path)
    report = import_portfolio(path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert Case.objects.count() == 1


def test_reimport_cannot_move_a_loan_to_another_debtor(tmp_path):
    import_portfolio(write_csv(tmp_path / "a.csv", [row()]))
    with pytest.raises(ImportRejected) as info:
        import_portfolio(write_csv(tmp_path / "b.csv", [row(debtor_ref="D-2")]))
    assert [(e.row, e.field) for e in info.value.errors] == [(2, "debtor_ref")]


def test_dry_run_validates_and_writes_nothing(tmp_path):
    report = import_portfolio(write_csv(tmp_path / "p.csv", [row()]), dry_run=True)
    assert report.created == 1 and not Loan.objects.exists()


def test_command_exits_1_and_lists_rejected_rows(tmp_path, capsys):
    path = write_csv(tmp_path / "p.csv", [row(currency="???")])
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_portfolio", str(path))
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "row 2: currency: not an ISO 4217 currency code" in err and "nothing was written" in err


def test_command_reports_what_it_imported(tmp_path, capsys):
    call_command("import_portfolio", str(write_csv(tmp_path / "p.csv", [row()])))
    assert "1 new" in capsys.readouterr().out


def test_command_dry_run_writes_nothing(tmp_path, capsys):
    call_command("import_portfolio", str(write_csv(tmp_path / "p.csv", [row()])), "--dry-run")
    assert "would import" in capsys.readouterr().out and not Case.objects.exists()
