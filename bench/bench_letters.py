"""BENCH letters_vs_weasyprint.

The daily print path (`notices.print_batch.write_print_batch`: envelope checks, one
multi-letter document, page map, SHA-256, manifest) against bare WeasyPrint rendering the
same letters' HTML as one document, in the same run. Ratio = bare time / print-path time:
1.0 means the print path costs nothing beyond WeasyPrint itself. The one-letter-at-a-time
figure is printed on stderr for comparison.
"""

import os
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_app.test_settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from weasyprint import HTML  # noqa: E402

from collections_app.models import Case, ContactPoint, Debtor, Loan  # noqa: E402
from notices.context import notice_context  # noqa: E402
from notices.print_batch import letter_for, write_print_batch  # noqa: E402
from notices.rendering import render_notice  # noqa: E402

LETTERS = int(os.environ.get("BENCH_LETTERS", "200"))
ROUNDS = int(os.environ.get("BENCH_LETTER_ROUNDS", "1"))
SENT_ON = date(2026, 11, 24)
STATES = [("IL", "Chicago", "US"), ("CA", "Los Angeles", "US-CA"), ("MA", "Boston", "US-MA"), ("NY", "New York", "US")]


def make_letters():
    """LETTERS US letters (validation notices and reminders) rendered from database rows,
    which are rolled back afterwards."""
    letters = []
    with transaction.atomic():
        for i in range(LETTERS):
            region, city, jurisdiction = STATES[i % len(STATES)]
            debtor = Debtor.objects.create(debtor_ref=f"BENCH-D{i:05d}", full_name=f"Bench Debtor {i}")
            ContactPoint.objects.create(debtor=debtor, kind="address", value=f"{i} Main Street, {city}",
                                        line1=f"{i} Main Street", city=city, region=region, postal_code="02108",
                                        country="US", is_primary=True)
            loan = Loan.objects.create(
                loan_ref=f"BENCH-L{i:05d}", debtor=debtor, originator="Lakeside Bank", current_creditor="Harbor Credit LLC",
                currency="USD", principal=Decimal("1000.00"), balance=Decimal("1234.56") + i, due_date=date(2026, 8, 1),
                itemization_date=date(2026, 8, 15), itemization_amount=Decimal("1184.56") + i,
                interest_since=Decimal("75.00"), fees_since=Decimal("25.00"), payments_since=Decimal("50.00"),
            )
            case = Case.objects.create(loan=loan, debtor=debtor, jurisdiction=jurisdiction, collector_type="third_party")
            kind = "us_validation" if i % 2 == 0 else "reminder"
            context = notice_context(case, kind, sent_on=SENT_ON)
            notice = render_notice(kind, context, language="en", channel="letter")
            letters.append(letter_for(notice, idempotency_key=f"{case.pk}:{kind}:initial.letter", context=context))
        transaction.set_rollback(True)
    return letters


def one_document(htmls):
    head = htmls[0][:htmls[0].index("<!-- letter -->")]
    bodies = [h[h.index("<!-- letter -->"):h.index("<!-- /letter -->")] for h in htmls]
    return head + "\n".join(bodies) + "</body></html>"


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    letters = make_letters()
    htmls = [letter.html for letter in letters]
    combined = one_document(htmls)
    HTML(string=one_document(htmls[:2])).write_pdf()  # load fonts once before timing either side
    bare, ours = [], []
    with tempfile.TemporaryDirectory() as folder:
        for n in range(ROUNDS):
            bare.append(timed(lambda: HTML(string=combined).write_pdf()))
            # A fresh day each round, so every round renders all the letters.
            ours.append(timed(lambda: write_print_batch(letters, day=date(2026, 11, 24 + n), folder=folder)))
        sample = htmls[:10]
        single = timed(lambda: [HTML(string=h).write_pdf() for h in sample]) / len(sample)
    ratio = min(bare) / min(ours)
    print(f"letters: {LETTERS}; bare one document {LETTERS / min(bare):.1f}/s; print batch {LETTERS / min(ours):.1f}/s; "
          f"bare one at a time {1 / single:.1f}/s", file=sys.stderr)
    print(f"BENCH letters_vs_weasyprint {ratio:.2f} ratio")


if __name__ == "__main__":
    main()
