"""The kinds of notice Dunwell sends: which channels and languages each has, where its
templates live, which jurisdictions it serves and what it must say.

Plain Python, no ORM: the outbox (`notices.models`) stores a kind's `code`; the planner,
the renderer and the print batch look the kind up here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from compliance.packs.us import CEASE_PERMITTED, VALIDATION_ITEMS

LETTER, EMAIL, SMS = "letter", "email", "sms"
EN, ZH = "en", "zh-Hans"

# CN.NOTICE (credit-card measures Art. 69): what a Chinese collection letter must state.
CN_NOTICE_ITEMS = (
    "name_and_balance", "reason_and_legal_basis", "rights_and_duties",
    "how_to_check_repay_object", "contact", "seal",
)
# GB.INFO (CONC 7.4.1R): notices state the arrears and the balance.
GB_INFO_ITEMS = ("arrears", "balance")
# US.DISCLOSURE (1006.18(e)(2)) and US.OPT_OUT (1006.6(e)): every later message and every
# email or text.
REMINDER_ITEMS = ("debt_collector_statement",)
ELECTRONIC_ITEMS = ("debt_collector_statement", "opt_out")

# US.CEASE (1006.6(c)(2)): the only three things a collector may still write after a
# refusal to pay or a request to cease. Keys match compliance.packs.us.CEASE_PERMITTED
# without the "cease_" prefix; the purpose passed to the gate is the full name.
CEASE_MESSAGES = tuple(purpose.removeprefix("cease_") for purpose in CEASE_PERMITTED)

# Remedies a cease confirmation may name (1006.6(c)(2)(ii)-(iii)). A lawsuit may be named
# only when suit is authorised and the debt is not time-barred: the wording check rejects
# it otherwise (US.MISLEAD 1006.18(c)(5), US.TIME_BARRED 1006.26(b)).
CEASE_REMEDIES = {
    "return_to_creditor": {EN: "return your account to {creditor}", ZH: "将您的账户退回{creditor}"},
    "credit_reporting": {
        EN: "report the account to the nationwide consumer reporting agencies",
        ZH: "向全国性消费者征信机构报送该账户信息",
    },
    "lawsuit": {EN: "file a lawsuit to collect the amount owed", ZH: "向法院提起诉讼以追讨欠款"},
}


@dataclass(frozen=True)
class NoticeKind:
    code: str
    title: str
    channels: tuple[str, ...]
    languages: tuple[str, ...]
    # Jurisdiction prefixes the kind serves ("US" covers US-CA, US-MA…); () serves all.
    jurisdictions: tuple[str, ...] = ()
    required_items: tuple[str, ...] = REMINDER_ITEMS
    # 1006.18(e)(1): the first written communication repeats the full disclosure.
    first_communication: bool = False
    # The purpose the compliance gate is asked about (compliance.engine.ContactRequest).
    purpose: str = "collection"
    # Other language versions that must travel in the same envelope (1006.34(d)(3)(vi)).
    companion_languages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    needs_promise: bool = False
    needs_instalment: bool = False
    citations: tuple[str, ...] = ()

    def template_name(self, *, language: str, channel: str) -> str:
        self.check(language=language, channel=channel)
        suffix = {LETTER: "html", EMAIL: "email.txt", SMS: "sms.txt"}[channel]
        return f"notices/{language}/{self.code}.{suffix}"

    def subject_template_name(self, *, language: str) -> str:
        self.check(language=language, channel=EMAIL)
        return f"notices/{language}/{self.code}.email.subject.txt"

    def serves(self, jurisdiction: str) -> bool:
        return not self.jurisdictions or any(
            jurisdiction == j or jurisdiction.startswith(j + "-") for j in self.jurisdictions
        )

    def check(self, *, language: str, channel: str) -> None:
        if channel not in self.channels:
            raise ValueError(f"{self.code} is not sent by {channel} (channels: {', '.join(self.channels)})")
        if language not in self.languages:
            raise ValueError(f"{self.code} has no {language} version (languages: {', '.join(self.languages)})")

    def variants(self):
        """Every (language, channel) pair that has a template."""
        return [(language, channel) for language in self.languages for channel in self.channels]


REMINDER_CHANNELS = (LETTER, EMAIL, SMS)

KINDS: dict[str, NoticeKind] = {k.code: k for k in (
    NoticeKind(
        "us_validation", "Validation notice", (LETTER,), (EN, ZH), ("US",),
        required_items=VALIDATION_ITEMS, first_communication=True, purpose="validation_notice",
        # A notice in another language goes with the English one (1006.34(d)(3)(vi)(B)).
        companion_languages={ZH: (EN,)},
        citations=("12 CFR 1006.34", "Model Form B-1", "Cal. Civ. Code 1812.700 (US-CA)"),
    ),
    NoticeKind("reminder", "Payment reminder", REMINDER_CHANNELS, (EN, ZH),
               citations=("12 CFR 1006.18(e)", "12 CFR 1006.6(e)")),
    NoticeKind("promise_reminder", "Reminder of your payment arrangement", REMINDER_CHANNELS, (EN, ZH),
               needs_promise=True, citations=("12 CFR 1006.18(e)", "12 CFR 1006.6(e)")),
    NoticeKind("broken_promise", "Missed payment arrangement", REMINDER_CHANNELS, (EN, ZH),
               needs_promise=True, citations=("12 CFR 1006.18(e)", "12 CFR 1006.6(e)")),
    NoticeKind("plan_instalment_reminder", "Payment plan instalment reminder", REMINDER_CHANNELS, (EN, ZH),
               needs_instalment=True, citations=("12 CFR 1006.18(e)", "12 CFR 1006.6(e)")),
    NoticeKind("final_notice", "Final notice", (LETTER,), (EN, ZH), purpose="escalation",
               citations=("12 CFR 1006.18(e)", "12 CFR 1006.18(c)(5)")),
    NoticeKind("cease_confirmation", "Confirmation that collection contact is ending", (LETTER,), (EN, ZH), ("US",),
               purpose="cease_efforts_ending", citations=("12 CFR 1006.6(c)(2)",)),
    NoticeKind("cn_collection_letter", "催收函", (LETTER,), (ZH, EN), ("CN",), required_items=CN_NOTICE_ITEMS,
               citations=("信用卡业务监督管理办法 第六十九条", "GB/T 45251-2025")),
    NoticeKind("gb_arrears_notice", "Notice of arrears", (LETTER,), (EN,), ("GB",), required_items=GB_INFO_ITEMS,
               purpose="arrears_notice", citations=("FCA CONC 7.4.1R", "FCA CONC 7.3.10R", "FCA CONC 7.9.7R")),
)}


def get_kind(code: str) -> NoticeKind:
    try:
        return KINDS[code]
    except KeyError:
        raise ValueError(f"unknown notice kind {code!r}") from None


def all_variants():
    """(kind, language, channel) for every template Dunwell can send."""
    return [(kind.code, language, channel) for kind in KINDS.values() for language, channel in kind.variants()]


# Texts the law prescribes word for word. They describe what collectors may NOT do (e.g.
# "threats of violence or arrest"), so the wording check, which looks for threats, skips
# exactly these texts and nothing else (compliance.engine.check_wording sees the rest).
CA_RIGHTS_NOTICE = {
    # Cal. Civ. Code 1812.700(a): verbatim, at least the type size of the debt details (1812.701(b)).
    EN: (
        "The state Rosenthal Fair Debt Collection Practices Act and the federal Fair Debt Collection "
        "Practices Act require that, except under unusual circumstances, collectors may not contact you "
        "before 8 a.m. or after 9 p.m. They may not harass you by using threats of violence or arrest or "
        "by using obscene language. Collectors may not use false or misleading statements or call you at "
        "work if they know or have reason to know that you may not receive personal calls at work. For the "
        "most part, collectors may not tell another person, other than your attorney or spouse, about your "
        "debt. Collectors may contact another person to confirm your location or enforce a judgment. For "
        "more information about debt collection activities, you may contact the Federal Trade Commission "
        "at 1-877-FTC-HELP or www.ftc.gov."
    ),
    # 1812.700(c): in the language the collector mainly uses with the debtor. Our translation;
    # the English text is printed beside it.
    ZH: (
        "加利福尼亚州《罗森塔尔公平债务催收实践法》与联邦《公平债务催收实践法》规定：除特殊情况外，"
        "催收人不得在上午8点以前或晚上9点以后与您联系；不得以暴力或逮捕相威胁，也不得使用下流语言骚扰您；"
        "不得作虚假或误导性陈述；如知道或有理由知道您在工作时不能接听私人电话，不得在工作时间给您打电话。"
        "一般而言，除您的律师或配偶外，催收人不得将您的债务告诉他人。催收人可以联系他人以确认您的住址"
        "或执行判决。如需了解债务催收的更多信息，可联系联邦贸易委员会：1-877-FTC-HELP 或 www.ftc.gov。"
    ),
}

PRESCRIBED_TEXTS = {"ca_rights_notice": CA_RIGHTS_NOTICE}
