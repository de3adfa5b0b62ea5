"""Wording checks: categories from RULES.md, normalisation, offsets, facts (speed: bench/bench_engine.py)."""

import json
import re
from pathlib import Path

import pytest

from compliance.engine import check_wording, required_content_missing
from compliance.wording import normalise

CORPORA = Path(__file__).parent / "corpora"


def rows(name):
    return [json.loads(line) for line in (CORPORA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("row", rows("benign.jsonl"), ids=lambda r: r["text"][:40])
def test_benign_corpus_message_passes(row):
    assert check_wording(row["text"], language=row["language"], jurisdiction=row["jurisdiction"], facts=row["facts"]) == ()


@pytest.mark.parametrize("row", rows("prohibited.jsonl"), ids=lambda r: r["text"][:40])
def test_prohibited_corpus_message_is_caught_with_its_category(row):
    findings = check_wording(row["text"], language=row["language"], jurisdiction=row["jurisdiction"], facts=row["facts"])
    assert row["expect_category"] in {f.category for f in findings}


def distinct_messages(corpus) -> set[str]:
    """Messages counted once whatever name they greet: "张先生，…" and "John, …" are one."""
    salutation = re.compile(r"^(?:(?:Hi|Hello|Dear)\s+)?[\w.]+(?:先生|女士|先生/女士)?\s*[，,]\s*")
    return {salutation.sub("", r["text"]) for r in corpus}


def test_corpora_are_large_and_mixed():
    benign, prohibited = rows("benign.jsonl"), rows("prohibited.jsonl")
    assert len(distinct_messages(benign)) >= 100 and len(distinct_messages(prohibited)) >= 100
    assert {r["language"] for r in benign} == {r["language"] for r in prohibited} == {"en", "zh-Hans"}


def test_finding_offsets_point_into_the_original_traditional_text():
    text = "張先生，不還就打 斷 你的腿。"
    finding = check_wording(text, language="zh-Hans", jurisdiction="CN")[0]
    assert text[finding.start:finding.end] == finding.text == "打 斷 你的腿"
    assert finding.rule_id == "CN.PROHIBITED"


def test_finding_offsets_survive_zero_width_and_fullwidth_characters():
    text = "Note: we will ｇａｒｎｉ\u200bｓｈ your wages."
    finding = check_wording(text, jurisdiction="US")[0]
    assert finding.text == "ｇａｒｎｉ\u200bｓｈ" and text[finding.start:finding.end] == finding.text


def test_normalise_folds_case_homoglyphs_and_traditional_chinese():
    assert normalise("ΑRRΕST 後果自負").text == "arrest 后果自负"


def test_statement_of_garnishment_is_lawful_only_with_a_judgment():
    text = "Your wages may be subject to garnishment."
    assert check_wording(text, facts={"judgment_exists": True}) == ()
    assert check_wording(text, facts={})[0].category == "action_not_intended"


def test_threat_of_suit_on_a_time_barred_debt_cites_the_time_barred_rule():
    findings = check_wording("We will sue you.", facts={"suit_authorized": True, "time_barred": True})
    assert {f.rule_id for f in findings} == {"US.TIME_BARRED", "US.MISLEAD"}


def test_ordinary_words_legal_court_and_fayuan_are_not_blocked():
    assert check_wording("Our legal team and the court clerk can both help.") == ()
    assert check_wording("法院地址在人民路1号。", language="zh-Hans", jurisdiction="CN") == ()


def test_words_inside_longer_words_are_not_matched():
    assert check_wording("Hello from Shellbrook Services.", jurisdiction="US") == ()


def test_required_disclosure_and_opt_out_in_chinese():
    text = "本信息来自债务催收机构，请回电。回复TD退订"
    assert required_content_missing(text, channel="sms", language="zh-Hans") == []


def test_spelled_out_word_after_the_article_a_is_read_as_a_word():
    text = "A w a r r a n t has been issued."
    (finding,) = check_wording(text)
    assert finding.category == "false_arrest"
    assert text[finding.start:finding.end] == finding.text == "w a r r a n t has been issued"


def test_spelled_out_word_that_begins_with_a_or_i_keeps_its_first_letter():
    assert normalise("a r r e s t").text == "arrest"
    assert normalise("I d i o t").text == "idiot"
    assert normalise("A w a r r a n t").text == "a warrant"


def test_other_forms_of_a_threat_are_caught():
    for text in ("We will have you arrested.", "You will be sued.", "We will prosecute you.", "You'll be jailed."):
        assert check_wording(text), text


def test_threat_to_tell_the_debtors_parents_is_exposure():
    for text in ("We'll ring your mum about this.", "Your parents will be hearing from us.", "I'll get in touch with your brother."):
        assert "exposure" in {f.category for f in check_wording(text, jurisdiction="GB")}, text
    assert "exposure" in {f.category for f in check_wording("我們會聯絡你的家人。", language="zh-Hans", jurisdiction="CN")}


def test_speaking_with_the_spouse_is_not_exposure():
    assert check_wording("We spoke to your husband, who said you'd call back.") == ()
    assert check_wording("我们已与您的老公确认了还款时间。", language="zh-Hans", jurisdiction="CN") == ()


def test_advice_to_talk_to_your_family_is_not_exposure_but_we_will_talk_to_your_family_is():
    assert check_wording("You may want to talk to your family about your budget.", jurisdiction="GB") == ()
    assert check_wording("We will talk to your family tomorrow.", jurisdiction="GB")[0].category == "exposure"


def test_time_barred_disclosure_how_long_you_can_be_sued_is_not_a_threat():
    text = "The law limits how long you can be sued on a debt. Because of the age of your debt, we cannot sue you for it."
    assert check_wording(text, jurisdiction="US-CA", facts={"time_barred": True}) == ()
    assert check_wording("You will be sued next week.", facts={"suit_authorized": True, "time_barred": True})


def test_dont_make_us_is_a_dare_not_a_denial():
    assert check_wording("Don't make us take you to court.")[0].category == "action_not_intended"
    assert check_wording("Don't make us take you to court.", facts={"suit_authorized": True}) == ()
    assert check_wording("We will not take you to court.") == ()


def test_scam_warning_that_names_threats_is_not_a_threat():
    assert check_wording("Please note: scammers may threaten you with arrest. We will never do that.") == ()
    assert check_wording("Beware of fake missed delivery texts that mention this account.", jurisdiction="GB") == ()
    assert check_wording("如遇自称公安局、法院工作人员的催收电话，请立即挂断并报警。", language="zh-Hans", jurisdiction="CN") == ()


def test_repossession_under_the_agreement_is_not_blocked_outright():
    assert check_wording("Your car loan lender may repossess the vehicle under your agreement; call us to discuss options.") == ()


def test_automatic_debit_wording_is_not_enforcement_but_docking_wages_is():
    assert check_wording("我们将于每月15日从您的银行卡自动划扣还款。", language="zh-Hans", jurisdiction="CN") == ()
    assert check_wording("不还钱就扣你工资。", language="zh-Hans", jurisdiction="CN")[0].category == "action_not_intended"
    assert check_wording("不还钱就扣你工资。", language="zh-Hans", jurisdiction="CN", facts={"judgment_exists": True}) == ()


def test_pressure_to_borrow_names_the_loan_not_the_mention_of_one():
    assert check_wording("If you have a payday loan, you can still ask us for a plan.", jurisdiction="GB") == ()
    assert check_wording("Take out a payday loan if you have to.", jurisdiction="GB")[0].category == "pressure_to_borrow"
    assert check_wording("请勿向亲友借钱还款，可与我们协商分期。", language="zh-Hans", jurisdiction="CN") == ()


def test_a_regex_phrase_without_required_literals_does_not_break_its_group():
    from compliance.wording import PhraseMatcher, RuleRef, WordingFacts, normalise as fold
    from compliance.wording_data import Phrase
    phrases = [Phrase("violence", p, regex=True, keys=("zz",)) for p in ("zz a", "zz b", "[z]{2}[ -][de]")]
    matcher = PhraseMatcher({"en": phrases}, {"violence": (RuleRef("US.HARASS", "x"),)})
    assert [f.text for f in matcher.scan(fold("zz d"), WordingFacts())] == ["zz d"]


def test_a_denial_reaches_every_item_of_its_list():
    assert check_wording("You will not be arrested or jailed for this debt.") == ()
    assert check_wording("We will never threaten you with a lawsuit, arrest, or jail.") == ()
    assert check_wording("We will not sue you or garnish your wages.") == ()
    assert check_wording("您不会因为这笔欠款被拘留或坐牢。", language="zh-Hans", jurisdiction="CN") == ()


def test_a_list_ends_where_a_new_clause_begins():
    assert [f.text for f in check_wording("We will not sue you, but we will garnish your wages.")] == ["garnish"]
    assert check_wording("Do not ignore this or we will sue you.")
    assert check_wording("Do not ignore this or face legal action.")


def test_a_negation_in_a_condition_is_not_a_denial():
    assert [f.category for f in check_wording("If you do not pay we will sue you.")] == ["action_not_intended"]
    assert check_wording("If you don't pay a lawsuit will follow.")
    assert check_wording("不还钱就起诉你。", language="zh-Hans", jurisdiction="CN")


def test_threatening_is_a_threat_unless_it_is_denied_or_a_scam_warning():
    assert check_wording("We are threatening legal action against you.")
    assert check_wording("We will threaten you with arrest until you pay.")
    assert check_wording("We will never threaten you with arrest.") == ()
    assert check_wording("Fraudsters threaten people with arrest; we never do.") == ()


def test_a_chinese_denial_that_shares_a_character_with_the_threat_denies_it():
    assert check_wording("我们不会起诉您。", language="zh-Hans", jurisdiction="CN") == ()
    assert check_wording("我们会起诉您。", language="zh-Hans", jurisdiction="CN")


def test_dont_force_us_in_chinese_is_a_dare_not_a_denial():
    assert check_wording("不要逼我们起诉你。", language="zh-Hans", jurisdiction="CN")


def test_two_phrases_on_the_same_words_make_one_finding():
    findings = check_wording("We will contact your employer or your family.")
    assert len(findings) == len(set(findings)) > 0


def zh(text):
    return check_wording(text, language="zh-Hans", jurisdiction="CN")


def test_a_negated_reluctance_dare_or_consequence_asserts_the_threat():
    assert check_wording("We won't hesitate to take you to court.")
    assert check_wording("You can't avoid arrest forever.")
    assert check_wording("Don't make us call your employer.")
    assert check_wording("No payment = arrest warrant.")
    assert check_wording("Not paying means arrest.")
    assert check_wording("We have no choice but to sue you.")
    assert check_wording("We will not, by any means, sue you.") == ()


def test_a_doubted_denial_is_a_threat():
    assert check_wording("Don't think we won't sue you.")
    assert check_wording("We can't guarantee you won't be arrested.")
    assert zh("不要以为不会坐牢。")
    assert zh("你不会以为我们不会起诉你吧？")


def test_the_debtors_wish_denied_is_no_denial_of_the_threat():
    assert check_wording("You don't want to be arrested, do you?")
    assert check_wording("We don't want to sue you.", facts={"suit_authorized": True}) == ()


def test_a_denial_reaches_past_a_parenthetical_between_commas():
    assert check_wording("We will not, under any circumstances, contact your employer.") == ()
    assert check_wording("We will never, ever threaten you with arrest.") == ()
    assert zh("我们不会，也无权，联系您的单位。") == ()
    # Not a denial across the comma: a condition, an answer, an alternative.
    assert check_wording("If you do not, we will sue you.")
    assert check_wording("No, legal action will be taken.")
    assert check_wording("Whether you like it or not, legal action will be taken.")


def test_several_words_read_as_one_negation_and_to_is_not_counted():
    assert check_wording("At no point will we contact your employer.") == ()
    assert check_wording("Nobody is going to arrest you.") == ()
    assert check_wording("We would never ask you to borrow from your family.", jurisdiction="GB") == ()
    assert check_wording("Not paying leads to a lawsuit.")


def test_a_phrase_inside_a_denied_phrase_is_denied_too():
    assert check_wording("There is no warrant for your arrest.") == ()


def test_scam_warnings_name_the_threat_before_or_after_it():
    assert check_wording("If anyone threatens you with arrest, it is a scam.") == ()
    assert check_wording("Scammers may say you will be arrested. We never will.") == ()
    assert check_wording("If someone claims to be a police officer and asks for payment, hang up.") == ()
    assert check_wording("We say you will be arrested if you do not pay.")
    assert zh("如有人以坐牢相威胁，请报警。") == ()
    assert zh("冒充公安的电话说您会被拘留，请勿相信。") == ()


def test_an_a_not_a_question_is_not_a_chinese_denial():
    assert zh("要不要我们通知你的家人？")
    assert zh("是不是想让我们通知你的家人？")
    assert zh("我们不要联系您的家人。") == ()


def test_chinese_reassurances_deny():
    assert zh("请放心，不存在拘留或坐牢的情况。") == ()
    assert zh("法律禁止我们联系您的单位。") == ()
    assert zh("我们从不上门找你。") == ()
    assert zh("不还钱就上门找你。")
