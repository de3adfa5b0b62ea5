"""Helpers for the notice tests: cases with a postal address in each jurisdiction, and the
text of rendered PDFs."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from pypdf import PdfReader

from collections_app.models import Instalment, PaymentPlan, PromiseToPay
from notices.context import notice_context
from notices.kinds import get_kind
from notices.rendering import render_notice, render_pdf
from tests.factories import CaseFactory, ContactPointFactory

ADDRESSES = {
    "US": dict(line1="12 Elm Street", city="Springfield", region="IL", postal_code="62701", country="US"),
    "US-CA": dict(line1="400 Ocean Avenue", city="Santa Monica", region="CA", postal_code="90402", country="US"),
    "CN": dict(line1="南京西路1266号", city="上海市", region="", postal_code="200040", country="CN"),
    "GB": dict(line1="221B Baker Street", city="London", region="", postal_code="NW1 6XE", country="GB"),
}
LOANS = {
    "US": dict(currency="USD", balance=Decimal("1234.56"), itemization_amount=Decimal("1184.56"),
               interest_since=Decimal("75.00"), fees_since=Decimal("25.00"), payments_since=Decimal("40.00"),
               credits_since=Decimal("10.00"), originator="Lakeside Bank", current_creditor="Harbor Credit LLC"),
    "CN": dict(currency="CNY", balance=Decimal("8600.00"), itemization_amount=Decimal("8600.00"),
               originator="上海浦江消费金融有限公司", current_creditor="上海浦江消费金融有限公司"),
    "GB": dict(currency="GBP", balance=Decimal("1450.00"), itemization_amount=Decimal("1450.00"),
               originator="Thames Credit plc", current_creditor="Thames Credit plc"),
}
NAMES = {"US": "Maria Lopez", "US-CA": "Daniel O'Brien", "CN": "张伟", "GB": "Oliver Smith"}


def make_case(jurisdiction="US", *, language=None, due_date=date(2026, 8, 1), itemization_date=date(2026, 8, 15)):
    """A case with a primary postal address where its jurisdiction is."""
    country = jurisdiction.split("-")[0]
    language = language or ("zh-Hans" if country == "CN" else "en")
    case = CaseFactory(
        jurisdiction=jurisdiction,
        loan__debtor__full_name=NAMES[jurisdiction], loan__debtor__language=language,
        loan__principal=Decimal("1000.00"), loan__due_date=due_date, loan__itemization_date=itemization_date,
        **{f"loan__{k}": v for k, v in LOANS[country].items()},
    )
    address = ADDRESSES[jurisdiction]
    ContactPointFactory(debtor=case.debtor, kind="address", is_primary=True,
                        value=", ".join(v for v in address.values() if v), **address)
    return case


def make_promise(case, amount="200.00", due=date(2026, 12, 4)):
    return PromiseToPay.objects.create(case=case, amount=Decimal(amount), currency=case.loan.currency, due_date=due)


def make_instalment(case, amount="150.00", due=date(2026, 12, 10), paid="50.00"):
    plan = PaymentPlan.objects.create(case=case, currency=case.loan.currency)
    return Instalment.objects.create(plan=plan, due_date=due, amount=Decimal(amount), paid_amount=Decimal(paid))


def context_for(case, kind, sent_on, **kwargs):
    k = get_kind(kind)
    if k.needs_promise:
        kwargs.setdefault("promise", make_promise(case))
    if k.needs_instalment:
        kwargs.setdefault("instalment", make_instalment(case))
    return notice_context(case, kind, sent_on=sent_on, **kwargs)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    """Line breaks from the PDF's layout removed: English words one space apart."""
    return " ".join(text.split())


def cjk_flat(text: str) -> str:
    """Chinese lines wrap between any two characters: compare with no whitespace at all."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def rendered_letter(django_db_setup, django_db_blocker):
    """Render a letter from rows that are rolled back at once; the PDF is shared by the
    module's tests (WeasyPrint takes a second a letter)."""
    cache = {}

    def render(jurisdiction, kind, *, language=None, sent_on=date(2026, 11, 24), **kwargs):
        key = (jurisdiction, kind, language, sent_on, tuple(sorted(kwargs.items())))
        if key not in cache:
            with django_db_blocker.unblock(), transaction.atomic():
                case = make_case(jurisdiction, language=language)
                context = context_for(case, kind, sent_on, **kwargs)
                transaction.set_rollback(True)
            notice = render_notice(kind, context, language=language or context["language"], channel="letter")
            pdf = render_pdf(notice.html)
            cache[key] = (context, notice, pdf, pdf_text(pdf))
        return cache[key]

    return render
