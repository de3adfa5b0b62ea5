"""What a notice says about a case: the facts its templates print, read from the database
in a fixed, small number of queries.

Values stay raw here (`Money`, `date`); `notices.rendering` formats them for the language
of the notice, so one context serves the English and the Chinese version alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings

from collections_app.models import Case, ContactPoint, Instalment, PaymentPlan, PromiseToPay
from compliance.packs.us import validation_period_end

from .kinds import CEASE_MESSAGES, CEASE_REMEDIES, PRESCRIBED_TEXTS, get_kind


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __add__(self, other: "Money") -> "Money":
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)

    def __bool__(self) -> bool:
        # A zero amount is still an amount to print ("$0.00" of fees), never "missing".
        return True


def truncated_account_number(loan_ref: str, shown: int = 4) -> str:
    # 1006.34(c)(2)(iv): the account number may be truncated; the last digits identify it.
    if len(loan_ref) <= shown:
        return loan_ref
    return "*" * 4 + loan_ref[-shown:]


def mailing_address(points, country_hint: str = "") -> tuple[list[str], str]:
    """Address lines (without the name) and country from the debtor's postal addresses:
    the primary one, else a home one, else the oldest. A workplace address is the last
    choice, so the letter is not read by an employer (US.WORKPLACE, 1006.22(f)(4))."""
    addresses = [p for p in points if p.kind == ContactPoint.Kind.ADDRESS]
    if not addresses:
        return [], country_hint
    best = sorted(addresses, key=lambda p: (not p.is_primary, p.is_workplace, p.created_at, p.pk))[0]
    country = best.country or country_hint
    line1 = best.line1 or best.value
    if country == "CN":
        # Chinese order: province, city, street; the postcode on its own line.
        lines = [f"{best.region}{best.city}{line1}"]
        if best.postal_code:
            lines.append(f"邮编 {best.postal_code}")
    elif country == "GB":
        lines = [line1, best.city, best.postal_code]
    else:
        lines = [line1, f"{best.city}, {best.region} {best.postal_code}".strip(" ,")]
    return [line for line in lines if line], country


def collector_identity(jurisdiction: str) -> dict:
    """Who is writing, from settings.DUNWELL_COLLECTOR: the name every message carries
    (1006.18(e), 1006.34(c)(2)(i)), and the envelope name that does not reveal collection
    (1006.22(f)(5), CONC 7.9.7R)."""
    c = settings.DUNWELL_COLLECTOR
    identity = {
        "name": c["name"], "envelope_name": c["envelope_name"], "address": c["address"],
        "dispute_address": c["dispute_address"], "phone": c["phone"], "email": c["email"],
        "website": c["website"], "hours": c["hours"],
        "california_licence": "", "fca_number": "",
    }
    if jurisdiction == "US-CA":
        # Cal. Civ. Code 1788.11(f): written and digital messages show the licence number.
        identity["california_licence"] = c["california_licence"]
    elif jurisdiction == "CN":
        identity.update(name=c["cn_name"], phone=c["cn_phone"], address=c["cn_address"],
                        dispute_address=c["cn_address"])
    elif jurisdiction == "GB":
        identity.update(name=c["gb_name"], fca_number=c["gb_fca_number"], address=c["gb_address"],
                        dispute_address=c["gb_address"])
    return identity


def _arrears(case: Case, sent_on: date, balance: Money) -> Money:
    """What is overdue on ``sent_on`` (GB.INFO): unpaid instalments already due under an
    active plan; without a plan, the whole balance once the due date has passed."""
    plans = [p for p in case.payment_plans.all() if p.status == PaymentPlan.Status.ACTIVE]
    if plans:
        due = sum((i.amount - i.paid_amount for p in plans for i in p.instalments.all()
                   if i.due_date < sent_on and i.paid_amount < i.amount), Decimal("0"))
        return Money(due, balance.currency)
    return balance if case.loan.due_date < sent_on else Money(Decimal("0"), balance.currency)


def notice_context(case: Case, kind: str, *, sent_on: date, promise: PromiseToPay | None = None,
                   instalment: Instalment | None = None, cease_message: str = "efforts_ending",
                   remedy: str | None = None, wording_facts: dict | None = None) -> dict:
    """The template context for one notice of ``kind`` about ``case``, to be sent on ``sent_on``.

    ``cease_message`` and ``remedy`` are for `cease_confirmation` only (1006.6(c)(2));
    ``wording_facts`` (suit_authorized, judgment_exists, time_barred) decide whether a
    statement the wording check would otherwise reject is true and intended.
    """
    notice_kind = get_kind(kind)
    if notice_kind.needs_promise and promise is None:
        raise ValueError(f"{kind} needs the promise to pay it is about")
    if notice_kind.needs_instalment and instalment is None:
        raise ValueError(f"{kind} needs the instalment it is about")
    # One query for case, loan and debtor; one for the debtor's postal addresses.
    case = Case.objects.select_related("loan", "debtor").get(pk=case.pk)
    loan, debtor = case.loan, case.debtor
    points = list(debtor.contact_points.filter(kind=ContactPoint.Kind.ADDRESS))
    country_hint = case.jurisdiction.split("-")[0]
    address_lines, country = mailing_address(points, country_hint)
    currency = loan.currency
    balance = Money(loan.balance, currency)

    context = {
        "kind": kind,
        "jurisdiction": case.jurisdiction,
        "country": country,
        "language": debtor.language,
        "sent_on": sent_on,
        "case_id": case.pk,
        "debtor": {"name": debtor.full_name, "address_lines": address_lines, "country": country},
        "account": {
            "number": truncated_account_number(loan.loan_ref),
            # Portfolios often name no creditor per loan: then the installation's lender.
            "original_creditor": loan.originator or loan.current_creditor or settings.DUNWELL_DEFAULT_CREDITOR,
            "current_creditor": loan.current_creditor or loan.originator or settings.DUNWELL_DEFAULT_CREDITOR,
            "due_date": loan.due_date,
            "days_past_due": loan.days_past_due(sent_on),
            "currency": currency,
        },
        # 1006.34(c)(2)(vi)-(viii): the amount on the itemisation date and what changed since.
        "itemization": {
            "date": loan.itemization_date,
            "amount": Money(loan.itemization_amount, currency),
            "interest": Money(loan.interest_since, currency),
            "fees": Money(loan.fees_since, currency),
            "payments": Money(loan.payments_since, currency),
            "credits": Money(loan.credits_since, currency),
            "payments_and_credits": Money(loan.payments_since + loan.credits_since, currency),
        },
        "current_amount": balance,
        "collector": collector_identity(case.jurisdiction),
        "wording_facts": {
            "suit_authorized": False, "judgment_exists": False, "time_barred": False, "is_attorney": False,
            **(wording_facts or {}),
        },
        "prescribed": {},
    }
    if case.jurisdiction.startswith("US"):
        # US.VALIDATION.PERIOD (1006.34(b)(5)): computed by the compliance pack, never here.
        context["validation_period_end"] = validation_period_end(sent_on)
    if case.jurisdiction == "US-CA":
        context["prescribed"]["ca_rights_notice"] = PRESCRIBED_TEXTS["ca_rights_notice"]
    if kind == "final_notice":
        # Firm policy: the final notice gives a stated time to respond before a referral
        # (DUNWELL_FINAL_NOTICE_WAIT_DAYS, the same wait the stage machine enforces).
        context["respond_by"] = sent_on + timedelta(days=settings.DUNWELL_FINAL_NOTICE_WAIT_DAYS)
    if kind == "gb_arrears_notice":
        case = Case.objects.prefetch_related("payment_plans__instalments").select_related("loan").get(pk=case.pk)
        context["arrears"] = _arrears(case, sent_on, balance)
    if promise is not None:
        context["promise"] = {"amount": Money(promise.amount, promise.currency), "due_date": promise.due_date}
    if instalment is not None:
        plan = instalment.plan
        due = instalment.amount - instalment.paid_amount
        context["instalment"] = {
            "amount": Money(instalment.amount, plan.currency), "due": Money(due, plan.currency),
            "paid": Money(instalment.paid_amount, plan.currency), "due_date": instalment.due_date,
        }
    if kind == "cease_confirmation":
        if cease_message not in CEASE_MESSAGES:
            raise ValueError(f"a cease confirmation may only say one of {CEASE_MESSAGES} (1006.6(c)(2))")
        if cease_message != "efforts_ending" and remedy not in CEASE_REMEDIES:
            raise ValueError(f"{cease_message} must name a remedy, one of {tuple(CEASE_REMEDIES)}")
        context["cease"] = {"message": cease_message, "remedy": remedy}
    return context
