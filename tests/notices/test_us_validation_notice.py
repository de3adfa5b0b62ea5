"""US.VALIDATION.CONTENT (12 CFR 1006.34(c)), US.VALIDATION.PERIOD (1006.34(b)(5)) and
US-CA.NOTICE (Cal. Civ. Code 1812.700), read back from the printed PDF."""

import re
from datetime import date, timedelta

import pytest

from compliance.packs.us import VALIDATION_ITEMS, validation_period_end
from notices.kinds import CA_RIGHTS_NOTICE
from notices.rendering import format_date

from .conftest import cjk_flat, flat

# Wednesday before Thanksgiving (Thursday 26 November 2026): receipt is assumed 5 days
# later excluding the holiday and the weekend, so the period ends later than 35 days on.
SENT_ON = date(2026, 11, 25)

# Each item of 1006.34(c) and the words that carry it on Model Form B-1.
EXPECTED = {
    "debt_collector_statement": ["Dunwell Recovery Services LLC is a debt collector.",
                                 "It is an attempt to collect a debt, and any information obtained will be used for that purpose."],
    "collector_name": ["Dunwell Recovery Services LLC"],
    "collector_mailing_address": ["Mail this form to: Dunwell Recovery Services LLC PO Box 1201, Boston, MA 02101, USA"],
    "consumer_name": ["Maria Lopez"],
    "consumer_address": ["12 Elm Street", "Springfield, IL 62701"],
    "itemization_creditor": ["You had an account from Lakeside Bank", "The creditor on August 15, 2026 was Lakeside Bank."],
    "account_number": ["with account number ****"],
    "current_creditor": ["a debt that you owe to Harbor Credit LLC", "The creditor now is Harbor Credit LLC."],
    "itemization_date": ["As of August 15, 2026, you owed:"],
    "amount_on_itemization_date": ["you owed: $1,184.56"],
    "itemization": ["You were charged this amount in interest: + $75.00",
                    "You were charged this amount in fees: + $25.00",
                    "You paid or were credited this amount toward the debt (payments $40.00, credits $10.00): – $50.00"],
    "current_amount": ["Total amount of the debt now: $1,234.56"],
    "validation_period_end": ["Call or write to us by January 2, 2027, to dispute all or part of the debt."],
    "dispute_statement": ["we must stop collection on any amount you dispute until we send you information that shows you owe the debt"],
    "original_creditor_statement": ["Write to ask for the name and address of the original creditor, if different from the current creditor."],
    "assumed_valid_statement": ["If you do not, we will assume that our information is correct."],
    "cfpb_website": ["www.cfpb.gov/debt-collection"],
    "response_section": ["How do you want to respond?", "This is not my debt.", "The amount is wrong.",
                         "I want you to send me the name and address of the original creditor.", "I enclosed this amount:"],
}


def test_every_validation_item_has_an_expectation():
    assert set(EXPECTED) == set(VALIDATION_ITEMS)


@pytest.mark.parametrize("item", VALIDATION_ITEMS)
def test_us_validation_content(rendered_letter, item):
    _, _, _, text = rendered_letter("US", "us_validation", sent_on=SENT_ON)
    shown = flat(text)
    missing = [words for words in EXPECTED[item] if words not in shown]
    assert not missing, f"US.VALIDATION.CONTENT {item}: not in the PDF: {missing}"


def test_us_validation_period_end_shown_is_the_packs_date(rendered_letter):
    _, _, _, text = rendered_letter("US", "us_validation", sent_on=SENT_ON)
    shown = re.search(r"Call or write to us by (\w+ \d+, \d{4}), to dispute", flat(text)).group(1)
    assert shown == format_date(validation_period_end(SENT_ON), "en")
    # The holiday and the weekend count: not simply 35 calendar days after sending.
    assert shown != format_date(SENT_ON + timedelta(days=35), "en")


def test_us_validation_without_california_has_no_1812_700_notice(rendered_letter):
    _, _, _, text = rendered_letter("US", "us_validation", sent_on=SENT_ON)
    assert "Rosenthal" not in text


def test_us_ca_validation_notice_carries_the_1812_700_rights_notice(rendered_letter):
    _, _, _, text = rendered_letter("US-CA", "us_validation", sent_on=SENT_ON)
    assert flat(CA_RIGHTS_NOTICE["en"]) in flat(text)


def test_us_ca_validation_notice_shows_the_california_licence(rendered_letter):
    _, _, _, text = rendered_letter("US-CA", "us_validation", sent_on=SENT_ON)
    assert "California Debt Collection Licence No. CA-DCA-0000000" in flat(text)


def test_us_ca_chinese_validation_notice_has_the_rights_notice_in_both_languages(rendered_letter):
    # 1812.700(c): in the language used with the debtor; the statutory English beside it.
    _, _, _, text = rendered_letter("US-CA", "us_validation", language="zh-Hans", sent_on=SENT_ON)
    assert cjk_flat(CA_RIGHTS_NOTICE["zh-Hans"]) in cjk_flat(text)
    assert cjk_flat(CA_RIGHTS_NOTICE["en"]) in cjk_flat(text)
    assert "您希望如何回复" in cjk_flat(text)
    assert "2027年1月2日" in cjk_flat(text)
