"""Rendering notices: templates → text, HTML and PDF, with the compliance checks that make
a non-compliant template impossible to send.

`render_notice` localises money and dates for the notice's language, renders the kind's
template, and refuses (``TemplateRejected``) any result whose words the compliance engine
flags or that lacks a required statement. `render_pdf` and `render_letters_pdf` turn
letter HTML into PDF with WeasyPrint, which embeds the fonts it uses.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string

from compliance.engine import check_wording, required_content_missing
from compliance.packs.us import missing_validation_items

from .context import Money
from .kinds import CEASE_REMEDIES, EMAIL, LETTER, PRESCRIBED_TEXTS, SMS, ZH, get_kind

# fontTools logs every font subset at INFO (hundreds of lines a letter); keep warnings only.
logging.getLogger("fontTools").setLevel(logging.WARNING)
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

CURRENCY_SYMBOLS = {"USD": "$", "CNY": "¥", "GBP": "£", "EUR": "€"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")

PT_PER_IN = 72
PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Box:
    """A rectangle on the first page, in points from the page's top-left corner."""

    left: float
    top: float
    width: float
    height: float


# Page margins shared by every letter (points); the window blocks are placed relative to them.
PAGE_MARGIN = 36
# Where an envelope's windows fall on the folded first page. Only these areas are visible
# from outside, so they show nothing but the return address under the envelope name and
# the recipient (1006.22(f)(5); CONC 7.9.7R; CN.THIRD_PARTY).
WINDOWS = {
    # US Letter, tri-folded into a #10 double-window envelope.
    "letter": {
        "return": Box(0.5 * PT_PER_IN, 0.5 * PT_PER_IN, 3.25 * PT_PER_IN, 0.875 * PT_PER_IN),
        "recipient": Box(0.75 * PT_PER_IN, 1.875 * PT_PER_IN, 3.75 * PT_PER_IN, 1.125 * PT_PER_IN),
    },
    # A4 in a DL/C5 window envelope: the DIN 5008 form B address field (20 mm from the left,
    # 45 mm from the top, 85 × 45 mm), its top lines holding the return address.
    "a4": {
        "return": Box(20 * PT_PER_MM, 45 * PT_PER_MM, 85 * PT_PER_MM, 12.7 * PT_PER_MM),
        "recipient": Box(20 * PT_PER_MM, 57.7 * PT_PER_MM, 85 * PT_PER_MM, 32.3 * PT_PER_MM),
    },
}
PAGE_SIZES = {"letter": (8.5 * PT_PER_IN, 11 * PT_PER_IN), "a4": (210 * PT_PER_MM, 297 * PT_PER_MM)}


def paper_for(jurisdiction: str) -> str:
    # US mail is on US Letter; China and the UK use A4.
    return "letter" if jurisdiction.startswith("US") else "a4"


class TemplateRejected(Exception):
    """A rendered notice that must not be sent: the wording check found something, or a
    required statement or item is missing. The findings name the rule each one breaks."""

    def __init__(self, kind: str, language: str, channel: str, findings=(), missing=()):
        self.kind, self.language, self.channel = kind, language, channel
        self.findings = tuple(findings)
        self.missing = tuple(missing)
        parts = [f"{f.rule_id} ({f.citation}) {f.category}: {f.text!r}" for f in self.findings]
        parts += [f"missing {item}" for item in self.missing]
        super().__init__(f"notice {kind} ({language}, {channel}) rejected: " + "; ".join(parts))


@dataclass(frozen=True)
class RenderedNotice:
    kind: str
    language: str
    channel: str
    jurisdiction: str
    subject: str = ""
    html: str = ""           # letters
    text: str = ""           # email and SMS bodies
    plain_text: str = ""     # what a reader sees: the text the checks ran on


# --- localisation ---------------------------------------------------------------------------

def format_money(money: Money, language: str) -> str:
    symbol = CURRENCY_SYMBOLS.get(money.currency)
    amount = money.amount.quantize(Decimal("0.01"))
    digits = f"{abs(amount):,.2f}"
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{money.currency} {digits}"


def format_date(day: date, language: str, jurisdiction: str = "US") -> str:
    if language == ZH:
        return f"{day.year}年{day.month}月{day.day}日"
    if jurisdiction == "GB":
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def localise(value, language: str, jurisdiction: str):
    """Money and dates as the reader writes them; everything else unchanged."""
    if isinstance(value, Money):
        return format_money(value, language)
    if isinstance(value, date):
        return format_date(value, language, jurisdiction)
    if isinstance(value, dict):
        return {k: localise(v, language, jurisdiction) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [localise(v, language, jurisdiction) for v in value]
    return value


# --- plain text -------------------------------------------------------------------------------

_HIDDEN = re.compile(r"<(head|style|script)\b.*?</\1>", re.S | re.I)
_BLOCK = re.compile(r"</?(?:p|div|br|li|tr|h[1-6]|section|article|footer|header|table|ul|ol)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


def plain_text(html: str) -> str:
    """The words of a letter as its reader sees them, one block a line."""
    text = _TAG.sub(" ", _BLOCK.sub("\n", _HIDDEN.sub(" ", html)))
    lines = (" ".join(html_lib.unescape(line).split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _without_prescribed(text: str, prescribed: dict) -> str:
    """The text minus statutory passages printed word for word (see kinds.PRESCRIBED_TEXTS):
    only an exact, complete copy is skipped, so an edited passage is checked like any other."""
    flat = " ".join(text.split())
    for name in prescribed:
        for version in PRESCRIBED_TEXTS[name].values():
            flat = flat.replace(" ".join(version.split()), " ")
    return flat


# --- rendering ----------------------------------------------------------------------------------

def _template_context(kind, context: dict, language: str, channel: str) -> dict:
    jurisdiction = context["jurisdiction"]
    ctx = localise(context, language, jurisdiction)
    paper = paper_for(jurisdiction)
    ctx.update(language=language, channel=channel, paper=paper, windows=_window_styles(paper))
    # Templates cannot name a "zh-Hans" key: prescribed texts by language as "zh_Hans".
    ctx["prescribed"] = {name: {lang.replace("-", "_"): text for lang, text in PRESCRIBED_TEXTS[name].items()}
                         for name in context.get("prescribed", {})}
    cease = context.get("cease")
    if cease and cease.get("remedy"):
        creditor = context["account"]["current_creditor"]
        ctx["cease"] = {**cease, "remedy_text": CEASE_REMEDIES[cease["remedy"]][language].format(creditor=creditor)}
    return ctx


def _window_styles(paper: str) -> dict:
    # Positions relative to the page's content box, which starts at the margin.
    out = {}
    for name, box in WINDOWS[paper].items():
        out[name] = (f"left:{box.left - PAGE_MARGIN:.1f}pt;top:{box.top - PAGE_MARGIN:.1f}pt;"
                     f"width:{box.width:.1f}pt;height:{box.height:.1f}pt")
    return out


def _incomplete_items(kind, context: dict, channel: str) -> list[str]:
    missing = []
    if channel == LETTER and not context["debtor"]["address_lines"]:
        missing.append("mailing_address")
    if kind.code == "us_validation":
        # US.VALIDATION.CONTENT (1006.34(c)): the facts the notice prints must all be known;
        # the statements themselves are in the template.
        itemization = context["itemization"]
        facts = {
            "collector_name": context["collector"]["name"],
            "collector_mailing_address": context["collector"]["dispute_address"],
            "consumer_name": context["debtor"]["name"],
            "consumer_address": context["debtor"]["address_lines"],
            "itemization_creditor": context["account"]["original_creditor"],
            "account_number": context["account"]["number"],
            "current_creditor": context["account"]["current_creditor"],
            "itemization_date": itemization["date"],
            "amount_on_itemization_date": itemization["amount"],
            "itemization": all(k in itemization for k in ("interest", "fees", "payments", "credits")),
            "current_amount": context["current_amount"],
            "validation_period_end": context.get("validation_period_end"),
        }
        statements = {item: True for item in kind.required_items if item not in facts}
        missing += missing_validation_items({**facts, **statements}, electronic=channel != LETTER)
    return missing


def render_notice(kind: str, context: dict, *, language: str, channel: str) -> RenderedNotice:
    """Render one notice and check it; raise ``TemplateRejected`` rather than return a
    notice that breaks a wording rule (check_wording) or lacks a required statement
    (required_content_missing: 1006.18(e) disclosure, 1006.6(e) opt-out)."""
    notice_kind = get_kind(kind)
    notice_kind.check(language=language, channel=channel)
    jurisdiction = context["jurisdiction"]
    if not notice_kind.serves(jurisdiction):
        raise ValueError(f"{kind} is not sent in {jurisdiction}")
    ctx = _template_context(notice_kind, context, language, channel)
    body = render_to_string(notice_kind.template_name(language=language, channel=channel), ctx)
    subject = ""
    if channel == EMAIL:
        subject = " ".join(render_to_string(notice_kind.subject_template_name(language=language), ctx).split())
    if channel == LETTER:
        readable = plain_text(body)
    else:
        body = body.strip() + "\n"
        readable = f"{subject}\n{body}" if subject else body

    findings = check_wording(_without_prescribed(readable, context.get("prescribed", {})), language=language,
                             jurisdiction=jurisdiction, facts=context.get("wording_facts"))
    missing = required_content_missing(readable, channel=channel, language=language,
                                       first_communication=notice_kind.first_communication)
    missing += _incomplete_items(notice_kind, context, channel)
    if findings or missing:
        raise TemplateRejected(kind, language, channel, findings, missing)
    return RenderedNotice(
        kind=kind, language=language, channel=channel, jurisdiction=jurisdiction, subject=subject,
        html=body if channel == LETTER else "", text=body if channel in (EMAIL, SMS) else "",
        plain_text=readable,
    )


# --- PDF ---------------------------------------------------------------------------------------------

_LETTER_START = "<!-- letter -->"
_LETTER_END = "<!-- /letter -->"


def render_pdf(html: str) -> bytes:
    """One letter (or any HTML) to PDF."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


@dataclass(frozen=True)
class LettersPdf:
    pdf: bytes
    first_pages: list[int]   # 1-based page on which each letter starts
    page_counts: list[int]


def _split(html: str) -> tuple[str, str]:
    start, end = html.find(_LETTER_START), html.find(_LETTER_END)
    if start < 0 or end < start:
        raise ValueError("not a Dunwell letter: the letter markers are missing")
    return html[:start], html[start + len(_LETTER_START):end]


def render_letters(htmls: list[str]) -> LettersPdf:
    """Many letters in one PDF, each starting on a new page.

    Letters share one stylesheet, so they are laid out as one HTML document: WeasyPrint
    parses the CSS and loads the fonts once (about twice the speed of one document per
    letter). Each letter's first page is found from its anchor, so the mail house can
    split the file again.
    """
    from weasyprint import HTML

    if not htmls:
        raise ValueError("no letters to render")
    heads, bodies = zip(*(_split(h) for h in htmls))
    if len(set(heads)) != 1:
        raise ValueError("letters with different stylesheets cannot share a document")
    articles = [body.replace("<article ", f'<article id="letter-{i}" ', 1) for i, body in enumerate(bodies)]
    document = HTML(string=heads[0] + "\n".join(articles) + "</body></html>").render()
    first_pages = [0] * len(htmls)
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            if anchor.startswith("letter-"):
                index = int(anchor.removeprefix("letter-"))
                first_pages[index] = first_pages[index] or number
    if not all(first_pages):
        raise RuntimeError("a letter's first page could not be found in the rendered document")
    ends = first_pages[1:] + [len(document.pages) + 1]
    return LettersPdf(document.write_pdf(), first_pages, [e - s for s, e in zip(first_pages, ends)])


def render_letters_pdf(htmls: list[str]) -> bytes:
    return render_letters(htmls).pdf
