"""The work queue's table rows as HTML, built in Python.

The queue is the page a collector reloads all day. Django's template engine cost about
half a millisecond a row for these cells, and even format_html with the localising filters
cost as much again at night, when every badge carries a formatted time: each value went
through lazy-string checks and each number and date looked its locale's formats up anew.
Here every value is escaped with html.escape (what Django's escape does), the locale's
formats are looked up once a page, and each distinct time is formatted once. The markup
is the one of templates/collections/queue.html and _channel_badge.html.
"""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import formats, numberformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _

from .selectors import ChannelStatus, QueueRow

CENTS = Decimal("0.01")


class _Page:
    """What every row of one page shares: its labels and the active locale's formats."""

    def __init__(self):
        self.labels = {name: escape(text) for name, text in {
            "due": _("due now"), "promise": _("promise"), "instalment": _("instalment"), "callback": _("callback"),
            "expected": _("Expected recovery"), "paid": _("paid recently"), "spoke": _("spoke recently"),
            "open": _("open promise"), "broken": _("broken promise"), "unanswered": _("unanswered"),
            "no_address_title": _("No address on this channel"), "no_address": _("no address"), "now": _("now"),
            "from": _("from"), "blocked": _("blocked"),
        }.items()}
        self.decimal_separator = formats.get_format("DECIMAL_SEPARATOR")
        self.thousand_separator = formats.get_format("THOUSAND_SEPARATOR")
        self.grouping = formats.get_format("NUMBER_GROUPING")
        # The case page's address with the id as a placeholder: reverse() costs ~20 µs a row.
        self.case_url = reverse("collections:case", args=[987654321]).replace("987654321", "{}").format
        self._moments: dict[tuple[object, str], str] = {}
        self._stages: dict[str, str] = {}

    def stage(self, case) -> str:
        """The case's stage label, translated once a page (get_stage_display rebuilds the
        choices and translates each of them on every call)."""
        label = self._stages.get(case.stage)
        if label is None:
            label = self._stages[case.stage] = escape(str(case.get_stage_display()))
        return label

    def number(self, value, *, grouped: bool) -> str:
        """floatformat(value, "2g") or floatformat(value, 2): two places, rounded half up."""
        rounded = Decimal(str(value)).quantize(CENTS, rounding=ROUND_HALF_UP)
        return escape(numberformat.format(rounded, self.decimal_separator, 2, self.grouping, self.thousand_separator,
                                          force_grouping=grouped, use_l10n=True))

    def moment(self, value, fmt: str) -> str:
        """The date filter of a time in the current time zone (or of a date), once per value."""
        key = (value, fmt)
        text = self._moments.get(key)
        if text is None:
            local = template_localtime(value) if isinstance(value, datetime) else value
            text = self._moments[key] = escape(date_filter(local, fmt))
        return text


def _badge(status: ChannelStatus, page: _Page) -> str:
    labels = page.labels
    if not status.destination:
        return f'<span class="badge muted" title="{labels["no_address_title"]}">{labels["no_address"]}</span>'
    if status.allowed:
        return f'<span class="badge allowed">✓ {labels["now"]}</span>'
    reasons = escape("; ".join(f"{r.rule_id} {r.citation}" for r in status.decision.reasons))
    when = status.next_allowed_at
    text = f'{labels["from"]} {page.moment(when, "SHORT_DATETIME_FORMAT")}' if when else labels["blocked"]
    return f'<span class="badge blocked" title="{reasons}">✗ {text}</span>'


def _score(row: QueueRow, page: _Page) -> str:
    sc, loan, labels = row.score, row.case.loan, page.labels
    due = ""
    if sc.due_now:
        parts = [f'<span class="badge due">{labels["due"]}</span>']
        if sc.promise_due:
            parts.append(f'{labels["promise"]} {page.moment(sc.promise_due, "SHORT_DATE_FORMAT")}')
        if sc.instalment_due:
            parts.append(f'{labels["instalment"]} {page.moment(sc.instalment_due, "SHORT_DATE_FORMAT")}')
        if sc.callback_at:
            parts.append(f'{labels["callback"]} {page.moment(sc.callback_at, "SHORT_DATETIME_FORMAT")}')
        due = " ".join(parts) + "<br>"
    factors = [labels[name] for name, on in (
        ("paid", sc.paid_recently), ("spoke", sc.spoke_recently), ("open", sc.has_open_promise),
        ("broken", sc.broken_promise), ("unanswered", sc.unanswered_recently and not sc.spoke_recently)) if on]
    because = f" ({', '.join(factors)})" if factors else ""
    return (
        f'{due}<span title="{labels["expected"]}">{page.number(sc.expected_recovery, grouped=True)} '
        f'{escape(loan.currency)}</span> <small class="parts">= {page.number(loan.balance, grouped=True)} × '
        f'{page.number(sc.propensity, grouped=False)}{because}</small>'
    )


def _row(row: QueueRow, page: _Page) -> str:
    case = row.case
    badges = "".join(f"<td>{_badge(status, page)}</td>" for status in row.channels)
    due = ' class="due"' if row.score.due_now else ""
    return (
        f'<tr{due}><td>{row.position}</td>'
        f'<td><a href="{page.case_url(case.pk)}">{escape(case.loan.loan_ref)}</a></td>'
        f'<td>{escape(case.debtor.full_name)}</td><td>{page.stage(case)}</td>'
        f'<td>{escape(case.jurisdiction)}</td><td>{row.days_past_due}</td>'
        f'<td class="score">{_score(row, page)}</td>{badges}</tr>'
    )


def queue_rows(rows: list[QueueRow]) -> SafeString:
    page = _Page()
    return mark_safe("\n".join(_row(row, page) for row in rows))
