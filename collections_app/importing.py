"""Portfolio and contact-history imports.

All or nothing: every row is validated first; if any row is rejected nothing is written
and every rejected row is reported (row number, field, reason). A clean file is written
in one transaction, with the new cases' creation chained into the audit ledger in bulk.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import available_timezones

import phonenumbers
import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils.timezone import now

from compliance import ledger

from .models import (
    FIRST_YEAR, LAST_YEAR, Case, Channel, CollectorType, ContactAttempt, ContactOutcome, ContactPoint, Debtor,
    Language, Loan, plausible_year,
)

PORTFOLIO_COLUMNS = (
    "loan_ref", "debtor_ref", "full_name", "language", "phone", "email", "address_line1", "city",
    "region", "postal_code", "country", "timezone", "principal", "balance", "currency", "due_date",
    "itemization_date", "jurisdiction", "collector_type",
)
PORTFOLIO_REQUIRED = (
    "loan_ref", "debtor_ref", "full_name", "country", "principal", "balance", "currency", "due_date",
    "itemization_date",
)
CONTACT_COLUMNS = ("loan_ref", "channel", "at", "outcome", "destination")
CONTACT_REQUIRED = ("loan_ref", "channel", "at", "outcome")

# Jurisdictions Dunwell has rule packs for. A case is never opened where no rules are known.
SUPPORTED_JURISDICTIONS = ("US", "US-MA", "US-CA", "US-WA", "CN", "GB")
US_OVERLAYS = {"MA", "CA", "WA"}
MAX_AMOUNT = Decimal("999999999999.99")
_TIMEZONES = frozenset(available_timezones())


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.reason}"


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s); nothing was written")


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)


# Reading -------------------------------------------------------------------------------

def read_rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict | RowError]]:
    """Yield (row number, row) from CSV or JSON Lines; a malformed row yields a RowError.

    Row numbers are the file's line numbers (the CSV header is line 1), which is what a
    person opening the file in an editor or a spreadsheet sees.
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield 1, RowError(1, "file", f"not UTF-8 text (byte {exc.start})")
        return
    if path.suffix.lower() in {".jsonl", ".ndjson"} or text.lstrip().startswith("{"):
        yield from _read_jsonl(text, columns)
    else:
        yield from _read_csv(text, columns)


def _read_jsonl(text: str, columns: tuple[str, ...]) -> Iterator[tuple[int, dict | RowError]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, RowError(number, "line", f"not valid JSON: {exc.msg}")
            continue
        if not isinstance(obj, dict):
            yield number, RowError(number, "line", "each line must be a JSON object")
            continue
        unknown = sorted(set(obj) - set(columns))
        if unknown:
            yield number, RowError(number, unknown[0], "unknown column")
            continue
        yield number, {key: "" if obj.get(key) is None else str(obj.get(key)).strip() for key in columns}


def _read_csv(text: str, columns: tuple[str, ...]) -> Iterator[tuple[int, dict | RowError]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        yield 1, RowError(1, "file", "the file is empty")
        return
    header = [name.strip() for name in header]
    if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
        yield 1, RowError(1, "header", "columns must be separated by commas")
        return
    unknown = [name for name in header if name not in columns]
    if unknown:
        yield 1, RowError(1, unknown[0], "unknown column")
        return
    for number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(header):
            yield number, RowError(number, "line", f"expected {len(header)} fields, found {len(values)}")
            continue
        row = dict.fromkeys(columns, "")
        row.update({name: value.strip() for name, value in zip(header, values)})
        yield number, row


# Field validation ------------------------------------------------------------------------

class FieldError(Exception):
    def __init__(self, field: str, reason: str):
        self.field, self.reason = field, reason


def parse_amount(name: str, value: str) -> Decimal:
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise FieldError(name, f"not an amount: {value!r}") from None
    if not amount.is_finite():
        raise FieldError(name, f"not an amount: {value!r}")
    if amount < 0:
        raise FieldError(name, "must not be negative")
    if amount > MAX_AMOUNT:
        raise FieldError(name, "is too large")
    if amount.as_tuple().exponent < -2:
        raise FieldError(name, "has more than two decimal places")
    return amount


def parse_date(name: str, value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise FieldError(name, f"not a date in YYYY-MM-DD form: {value!r}") from None
    if not plausible_year(day.year):
        raise FieldError(name, f"must fall between {FIRST_YEAR} and {LAST_YEAR}: {value!r}")
    return day


def parse_moment(name: str, value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise FieldError(name, f"not an ISO 8601 date-time: {value!r}") from None
    if moment.tzinfo is None:
        raise FieldError(name, "needs a UTC offset (e.g. 2026-03-01T14:05:00-05:00): local time alone is ambiguous")
    if not plausible_year(moment.year):
        raise FieldError(name, f"must fall between {FIRST_YEAR} and {LAST_YEAR}: {value!r}")
    return moment


def parse_currency(value: str) -> str:
    code = value.upper()
    if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
        raise FieldError("currency", f"not an ISO 4217 currency code: {value!r}")
    return code


def parse_country(value: str) -> str:
    code = value.upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise FieldError("country", f"not an ISO 3166 country code: {value!r}")
    return code


PHONE_LINES = {
    phonenumbers.PhoneNumberType.MOBILE: "mobile",
    phonenumbers.PhoneNumberType.FIXED_LINE: "landline",
    phonenumbers.PhoneNumberType.VOIP: "voip",
}


def parse_phone(value: str, country: str) -> tuple[str, str]:
    """E.164 and the kind of line (mobile, landline, voip, unknown): texts need a mobile."""
    try:
        number = phonenumbers.parse(value, country)
    except phonenumbers.NumberParseException as exc:
        raise FieldError("phone", f"not a phone number: {exc}") from None
    if not phonenumbers.is_valid_number(number):
        raise FieldError("phone", f"not a valid phone number for {country}: {value!r}")
    line = PHONE_LINES.get(phonenumbers.number_type(number), "unknown")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), line


def derive_jurisdiction(country: str, region: str) -> str:
    """`US` + `MA` -> `US-MA`; `US` + a state without an overlay -> `US`; `CN`; `GB`."""
    if country == "US":
        state = region.upper().removeprefix("US-")
        return f"US-{state}" if state in US_OVERLAYS else "US"
    if country in SUPPORTED_JURISDICTIONS:
        return country
    raise FieldError("country", f"no rule pack for {country} (supported: {', '.join(SUPPORTED_JURISDICTIONS)})")


@dataclass
class PortfolioRow:
    row: int
    loan_ref: str
    debtor_ref: str
    full_name: str
    language: str
    phone: str
    phone_line: str
    email: str
    address: dict
    timezone: str
    principal: Decimal
    balance: Decimal
    currency: str
    due_date: date
    itemization_date: date
    jurisdiction: str
    jurisdiction_overridden: bool
    collector_type: str


LANGUAGES = {code.lower(): code for code in Language.values}


def validate_portfolio_row(number: int, raw: dict, *, today: date, default_collector_type: str) -> PortfolioRow:
    for name in PORTFOLIO_REQUIRED:
        if not raw[name]:
            raise FieldError(name, "is required")
    for name in ("loan_ref", "debtor_ref"):
        if len(raw[name]) > 64:
            raise FieldError(name, "is longer than 64 characters")
    if len(raw["full_name"]) > 200:
        raise FieldError("full_name", "is longer than 200 characters")
    language = LANGUAGES.get((raw["language"] or "en").lower())
    if language is None:
        raise FieldError("language", f"must be one of {', '.join(Language.values)}")
    country = parse_country(raw["country"])
    region = raw["region"].upper()
    if country == "US" and region and pycountry.subdivisions.get(code=f"US-{region.removeprefix('US-')}") is None:
        raise FieldError("region", f"not a US state or territory code: {raw['region']!r}")
    phone, phone_line = parse_phone(raw["phone"], country) if raw["phone"] else ("", "")
    email = raw["email"].lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise FieldError("email", f"not an email address: {raw['email']!r}") from None
    if not (phone or email or raw["address_line1"]):
        raise FieldError("phone", "a debtor needs at least one of phone, email or address_line1")
    tz = raw["timezone"]
    if tz and tz not in _TIMEZONES:
        raise FieldError("timezone", f"not an IANA time zone: {tz!r}")
    principal = parse_amount("principal", raw["principal"])
    balance = parse_amount("balance", raw["balance"])
    currency = parse_currency(raw["currency"])
    due_date = parse_date("due_date", raw["due_date"])
    itemization_date = parse_date("itemization_date", raw["itemization_date"])
    if itemization_date > today:
        raise FieldError("itemization_date", "is in the future")
    if raw["jurisdiction"]:
        jurisdiction = raw["jurisdiction"].upper()
        if jurisdiction not in SUPPORTED_JURISDICTIONS:
            raise FieldError("jurisdiction", f"no rule pack for {jurisdiction} (supported: {', '.join(SUPPORTED_JURISDICTIONS)})")
        overridden = jurisdiction != derive_jurisdiction(country, region)
    else:
        jurisdiction, overridden = derive_jurisdiction(country, region), False
    collector_type = raw["collector_type"] or default_collector_type
    if collector_type not in CollectorType.values:
        raise FieldError("collector_type", f"must be one of {', '.join(CollectorType.values)}")
    address = {}
    if raw["address_line1"]:
        address = {
            "line1": raw["address_line1"], "city": raw["city"], "region": region,
            "postal_code": raw["postal_code"], "country": country,
        }
    return PortfolioRow(
        row=number, loan_ref=raw["loan_ref"], debtor_ref=raw["debtor_ref"], full_name=raw["full_name"],
        language=language, phone=phone, phone_line=phone_line, email=email, address=address, timezone=tz, principal=principal,
        balance=balance, currency=currency, due_date=due_date, itemization_date=itemization_date,
        jurisdiction=jurisdiction, jurisdiction_overridden=overridden, collector_type=collector_type,
    )


def _chunks(items: list, size: int = 5000) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _validate_portfolio(path: Path, progress: Callable[[int], None] | None) -> tuple[list[PortfolioRow], list[RowError], int]:
    today = now().date()
    default_type = settings.DUNWELL_DEFAULT_COLLECTOR_TYPE
    rows: list[PortfolioRow] = []
    errors: list[RowError] = []
    loan_rows: dict[str, int] = {}
    debtors: dict[str, PortfolioRow] = {}
    count = 0
    for number, raw in read_rows(path, PORTFOLIO_COLUMNS):
        count += 1
        if progress:
            progress(1)
        if isinstance(raw, RowError):
            errors.append(raw)
            continue
        try:
            row = validate_portfolio_row(number, raw, today=today, default_collector_type=default_type)
        except FieldError as exc:
            errors.append(RowError(number, exc.field, exc.reason))
            continue
        if row.loan_ref in loan_rows:
            errors.append(RowError(number, "loan_ref", f"duplicate of row {loan_rows[row.loan_ref]}"))
            continue
        first = debtors.setdefault(row.debtor_ref, row)
        if first is not row and (first.full_name, first.language) != (row.full_name, row.language):
            errors.append(RowError(number, "full_name", f"debtor {row.debtor_ref} differs from row {first.row}"))
            continue
        loan_rows[row.loan_ref] = number
        rows.append(row)
    return rows, errors, count


def _check_against_existing(rows: list[PortfolioRow]) -> tuple[dict[str, tuple], list[RowError]]:
    """Loans already imported may be updated, never moved to another debtor or currency."""
    existing: dict[str, tuple] = {}
    for chunk in _chunks([r.loan_ref for r in rows]):
        for loan_ref, pk, debtor_ref, currency, balance in Loan.objects.filter(loan_ref__in=chunk).values_list(
            "loan_ref", "pk", "debtor__debtor_ref", "currency", "balance",
        ):
            existing[loan_ref] = (pk, debtor_ref, currency, balance)
    errors = []
    for row in rows:
        found = existing.get(row.loan_ref)
        if found is None:
            continue
        if found[1] != row.debtor_ref:
            errors.append(RowError(row.row, "debtor_ref", f"loan {row.loan_ref} belongs to debtor {found[1]}"))
        elif found[2] != row.currency:
            errors.append(RowError(row.row, "currency", f"loan {row.loan_ref} is in {found[2]}; currency cannot change"))
    return existing, errors


def import_portfolio(
    path: Path, *, dry_run: bool = False, actor: str | None = None, progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Validate and (unless dry_run) write a portfolio file. Raises ImportRejected with
    every rejected row if any row is bad; then nothing is written."""
    path = Path(path)
    rows, errors, count = _validate_portfolio(path, progress)
    existing, conflicts = _check_against_existing(rows)
    errors = sorted(errors + conflicts, key=lambda e: e.row)
    if errors:
        raise ImportRejected(errors)
    report = ImportReport(rows=count, dry_run=dry_run)
    report.created = sum(1 for r in rows if r.loan_ref not in existing)
    report.updated = sum(1 for r in rows if r.loan_ref in existing and existing[r.loan_ref][3] != r.balance)
    report.unchanged = len(rows) - report.created - report.updated
    if dry_run or not rows:
        return report
    actor = actor or f"import:{path.name}"
    file_sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    with transaction.atomic():
        _write_portfolio(rows, existing, actor=actor, file_name=path.name, file_sha256=file_sha256, report=report)
    return report


def _write_portfolio(rows, existing, *, actor, file_name, file_sha256, report) -> None:
    moment = now()
    if connection.vendor == "postgresql":
        new_cases = _write_rows_postgresql(rows, moment)
    else:
        new_cases = _write_rows_orm(rows, existing, moment)
    drafts = [
        ledger.Draft(kind="case.created", actor=actor, case_id=case_id, data={
            "loan_ref": r.loan_ref, "debtor_ref": r.debtor_ref, "stage": "new", "jurisdiction": r.jurisdiction,
            "collector_type": r.collector_type, "balance": r.balance, "currency": r.currency,
        })
        for r, case_id in new_cases
    ]
    # A changed balance changes what may be claimed (1006.18(b)(2)): each change is audited.
    drafts += [
        ledger.Draft(kind="loan.balance_updated", actor=actor, data={
            "loan_ref": r.loan_ref, "from": existing[r.loan_ref][3], "to": r.balance, "currency": r.currency,
        })
        for r in rows if r.loan_ref in existing and existing[r.loan_ref][3] != r.balance
    ]
    drafts.append(ledger.Draft(kind="portfolio.imported", actor=actor, data={
        "file": file_name, "sha256": file_sha256, "rows": report.rows, "created": report.created,
        "updated": report.updated, "unchanged": report.unchanged,
    }))
    ledger.append_many(drafts, at=moment)


def _one_line(address: dict) -> str:
    parts = (address["line1"], address["city"], address["region"], address["postal_code"], address["country"])
    return ", ".join(part for part in parts if part)[:320]


def _write_rows_orm(rows, existing, moment) -> list[tuple[PortfolioRow, int]]:
    """The portable path (SQLite, the embedded default)."""
    debtor_ids: dict[str, int] = {}
    for chunk in _chunks(list({r.debtor_ref: r for r in rows}.values())):
        created = Debtor.objects.bulk_create(
            [Debtor(debtor_ref=r.debtor_ref, full_name=r.full_name, language=r.language, timezone=r.timezone,
                    created_at=moment) for r in chunk],
            update_conflicts=True, unique_fields=["debtor_ref"], update_fields=["full_name", "language", "timezone"],
        )
        debtor_ids.update((d.debtor_ref, d.pk) for d in created)
    points = []
    for r in rows:
        debtor_id = debtor_ids[r.debtor_ref]
        if r.phone:
            points.append(ContactPoint(debtor_id=debtor_id, kind="phone", value=r.phone, line=r.phone_line,
                                       is_primary=True))
        if r.email:
            points.append(ContactPoint(debtor_id=debtor_id, kind="email", value=r.email, is_primary=True))
        if r.address:
            points.append(ContactPoint(debtor_id=debtor_id, kind="address", value=_one_line(r.address),
                                       is_primary=True, **{k: v for k, v in r.address.items()}))
    ContactPoint.objects.bulk_create(points, batch_size=2000, ignore_conflicts=True)
    loan_ids: dict[str, int] = {}
    for chunk in _chunks(rows):
        loans = Loan.objects.bulk_create(
            [Loan(
                loan_ref=r.loan_ref, debtor_id=debtor_ids[r.debtor_ref], currency=r.currency, principal=r.principal,
                balance=r.balance, due_date=r.due_date, itemization_date=r.itemization_date,
                itemization_amount=r.balance, updated_at=moment,
            ) for r in chunk],
            update_conflicts=True, unique_fields=["loan_ref"],
            update_fields=["principal", "balance", "due_date", "updated_at"],
        )
        loan_ids.update((loan.loan_ref, loan.pk) for loan in loans)
    new_cases: list[tuple[PortfolioRow, int]] = []
    for chunk in _chunks([r for r in rows if r.loan_ref not in existing]):
        cases = Case.objects.bulk_create([
            Case(
                loan_id=loan_ids[r.loan_ref], debtor_id=debtor_ids[r.debtor_ref], jurisdiction=r.jurisdiction,
                jurisdiction_overridden=r.jurisdiction_overridden, collector_type=r.collector_type,
                opened_at=moment, stage_changed_at=moment,
            ) for r in chunk
        ])
        new_cases.extend(zip(chunk, (c.pk for c in cases)))
    return new_cases


STAGING_COLUMNS = (
    "loan_ref", "debtor_ref", "full_name", "language", "timezone", "phone", "phone_line", "email", "line1", "city", "region",
    "postal_code", "country", "address", "principal", "balance", "currency", "due_date", "itemization_date",
    "jurisdiction", "jurisdiction_overridden", "collector_type",
)


def _write_rows_postgresql(rows, moment) -> list[tuple[PortfolioRow, int]]:
    """Set-based on PostgreSQL: COPY the validated rows into a staging table, then one
    INSERT … SELECT … ON CONFLICT per table. Much faster than row-wise ORM inserts."""
    t = {m.__name__: m._meta.db_table for m in (Debtor, ContactPoint, Loan, Case)}
    with connection.cursor() as cursor:
        # Inside a caller's transaction an earlier import's staging table may still exist.
        cursor.execute("DROP TABLE IF EXISTS portfolio_staging")
        cursor.execute(
            "CREATE TEMP TABLE portfolio_staging (loan_ref text, debtor_ref text, full_name text, language text,"
            " timezone text, phone text, phone_line text, email text, line1 text, city text, region text, postal_code text,"
            " country text, address text, principal numeric, balance numeric, currency text, due_date date,"
            " itemization_date date, jurisdiction text, jurisdiction_overridden boolean, collector_type text)"
            " ON COMMIT DROP"
        )
        with cursor.cursor.copy(f"COPY portfolio_staging ({', '.join(STAGING_COLUMNS)}) FROM STDIN") as copy:
            for r in rows:
                a = r.address
                copy.write_row((
                    r.loan_ref, r.debtor_ref, r.full_name, r.language, r.timezone, r.phone, r.phone_line, r.email,
                    a.get("line1", ""), a.get("city", ""), a.get("region", ""), a.get("postal_code", ""),
                    a.get("country", ""), _one_line(a) if a else "", r.principal, r.balance, r.currency,
                    r.due_date, r.itemization_date, r.jurisdiction, r.jurisdiction_overridden, r.collector_type,
                ))
        cursor.execute(
            f"INSERT INTO {t['Debtor']} (debtor_ref, full_name, language, timezone, inconvenient_times,"
            "  employer_prohibits_contact, unreachable, incapacitated, vulnerable, created_at)"
            " SELECT DISTINCT ON (debtor_ref) debtor_ref, full_name, language, timezone, '[]', false, false, false,"
            "  false, %s FROM portfolio_staging"
            " ORDER BY debtor_ref"
            " ON CONFLICT (debtor_ref) DO UPDATE SET full_name = EXCLUDED.full_name,"
            " language = EXCLUDED.language, timezone = EXCLUDED.timezone",
            [moment],
        )
        cursor.execute(
            f"INSERT INTO {t['ContactPoint']} (debtor_id, kind, value, line, line1, city, region, postal_code,"
            "  country, is_workplace, is_primary, at_residence, reassigned, creditor_notice_opt_out_days,"
            "  inherited_from_prior_collector, created_at)"
            " SELECT d.id, p.kind, p.value, p.line, p.line1, p.city, p.region, p.postal_code, p.country,"
            "  false, true, false, false, 0, false, %s"
            " FROM portfolio_staging s"
            f" JOIN {t['Debtor']} d ON d.debtor_ref = s.debtor_ref"
            " CROSS JOIN LATERAL (VALUES"
            "   ('phone', s.phone, s.phone_line, '', '', '', '', ''),"
            "   ('email', s.email, '', '', '', '', '', ''),"
            "   ('address', s.address, '', s.line1, s.city, s.region, s.postal_code, s.country)"
            " ) AS p(kind, value, line, line1, city, region, postal_code, country)"
            " WHERE p.value <> ''"
            " ON CONFLICT (debtor_id, kind, value) DO NOTHING",
            [moment],
        )
        cursor.execute(
            f"INSERT INTO {t['Loan']} (loan_ref, debtor_id, originator, current_creditor, currency, principal,"
            "  balance, due_date, itemization_date, itemization_amount, interest_since, fees_since,"
            "  payments_since, credits_since, updated_at)"
            " SELECT s.loan_ref, d.id, '', '', s.currency, s.principal, s.balance, s.due_date,"
            "  s.itemization_date, s.balance, 0, 0, 0, 0, %s"
            f" FROM portfolio_staging s JOIN {t['Debtor']} d ON d.debtor_ref = s.debtor_ref"
            " ON CONFLICT (loan_ref) DO UPDATE SET principal = EXCLUDED.principal, balance = EXCLUDED.balance,"
            "  due_date = EXCLUDED.due_date, updated_at = EXCLUDED.updated_at",
            [moment],
        )
        cursor.execute(
            f"INSERT INTO {t['Case']} (loan_id, debtor_id, stage, jurisdiction, jurisdiction_overridden,"
            "  collector_type, opened_at, stage_changed_at, suit_authorized, judgment_exists, time_barred)"
            " SELECT l.id, l.debtor_id, 'new', s.jurisdiction, s.jurisdiction_overridden, s.collector_type, %s, %s,"
            "  false, false, false"
            f" FROM portfolio_staging s JOIN {t['Loan']} l ON l.loan_ref = s.loan_ref"
            f" WHERE NOT EXISTS (SELECT 1 FROM {t['Case']} c WHERE c.loan_id = l.id)"
            " ORDER BY l.id"
            " RETURNING id, (SELECT loan_ref FROM " + t["Loan"] + " WHERE id = loan_id)",
            [moment, moment],
        )
        case_by_loan = dict((loan_ref, case_id) for case_id, loan_ref in cursor.fetchall())
    return [(r, case_by_loan[r.loan_ref]) for r in rows if r.loan_ref in case_by_loan]


# Contact history ----------------------------------------------------------------------------

@dataclass
class ContactRow:
    row: int
    loan_ref: str
    channel: str
    at: datetime
    outcome: str
    destination: str


def validate_contact_row(number: int, raw: dict) -> ContactRow:
    for name in CONTACT_REQUIRED:
        if not raw[name]:
            raise FieldError(name, "is required")
    if raw["channel"] not in Channel.values:
        raise FieldError("channel", f"must be one of {', '.join(Channel.values)}")
    if raw["outcome"] not in ContactOutcome.values:
        raise FieldError("outcome", f"must be one of {', '.join(ContactOutcome.values)}")
    at = parse_moment("at", raw["at"])
    if at > now():
        raise FieldError("at", "is in the future")
    return ContactRow(number, raw["loan_ref"], raw["channel"], at, raw["outcome"], raw["destination"][:320])


def import_contacts(
    path: Path, *, dry_run: bool = False, actor: str | None = None, progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Load contact history from a previous system, so frequency caps count it from day one."""
    path = Path(path)
    rows: list[ContactRow] = []
    errors: list[RowError] = []
    count = 0
    for number, raw in read_rows(path, CONTACT_COLUMNS):
        count += 1
        if progress:
            progress(1)
        if isinstance(raw, RowError):
            errors.append(raw)
            continue
        try:
            rows.append(validate_contact_row(number, raw))
        except FieldError as exc:
            errors.append(RowError(number, exc.field, exc.reason))
    cases: dict[str, tuple[int, int]] = {}
    for chunk in _chunks(sorted({r.loan_ref for r in rows})):
        cases.update(
            (loan_ref, (pk, debtor_id))
            for loan_ref, pk, debtor_id in Case.objects.filter(loan__loan_ref__in=chunk).values_list(
                "loan__loan_ref", "pk", "debtor_id",
            )
        )
    errors += [RowError(r.row, "loan_ref", f"no case for loan {r.loan_ref}") for r in rows if r.loan_ref not in cases]
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.row))
    report = ImportReport(rows=count, dry_run=dry_run)
    if dry_run or not rows:
        report.created = len(rows)
        return report
    actor = actor or f"import:{path.name}"
    with transaction.atomic():
        before = ContactAttempt.objects.filter(source=ContactAttempt.Source.IMPORTED).count()
        ContactAttempt.objects.bulk_create(
            [ContactAttempt(
                case_id=cases[r.loan_ref][0], debtor_id=cases[r.loan_ref][1], channel=r.channel,
                destination=r.destination, at=r.at, actor_label=actor, outcome=r.outcome, allowed=True,
                source=ContactAttempt.Source.IMPORTED, note=f"imported from {path.name} row {r.row}",
            ) for r in rows],
            batch_size=5000, ignore_conflicts=True,
        )
        report.created = ContactAttempt.objects.filter(source=ContactAttempt.Source.IMPORTED).count() - before
        report.skipped = len(rows) - report.created
        ledger.append(kind="contacts.imported", actor=actor, data={
            "file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "rows": count,
            "created": report.created, "already_present": report.skipped,
        })
    return report


def format_errors(errors: Iterable[RowError]) -> str:
    return "\n".join(str(e) for e in errors)
