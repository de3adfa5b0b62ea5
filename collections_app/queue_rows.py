"""The work queue's table rows as HTML, built in Python.

The queue is the page a collector reloads all day, and Django's template engine costs
about half a millisecond a row for these cells (30 ms a page of 50): built here with
format_html (every value escaped) and the same localised filters the templates use, a
page costs a few milliseconds. The markup is the one of templates/collections/queue.html
and _channel_badge.html.
"""

from django.template.defaultfilters import date as date_filter, floatformat
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _

from .selectors import ChannelStatus, QueueRow


def _labels() -> dict[str, str]:
    return {
        "due": _("due now"), "promise": _("promise"), "instalment": _("instalment"), "callback": _("callback"),
        "expected": _("Expected recovery"), "paid": _("paid recently"), "spoke": _("spoke recently"),
        "open": _("open promise"), "broken": _("broken promise"), "unanswered": _("unanswered"),
        "no_address_title": _("No address on this channel"), "no_address": _("no address"), "now": _("now"),
        "from": _("from"), "blocked": _("blocked"),
    }


def _badge(status: ChannelStatus, labels: dict[str, str]) -> SafeString:
    if not status.destination:
        return format_html('<span class="badge muted" title="{}">{}</span>', labels["no_address_title"],
                           labels["no_address"])
    if status.allowed:
        return format_html('<span class="badge allowed">✓ {}</span>', labels["now"])
    reasons = "; ".join(f"{r.rule_id} {r.citation}" for r in status.decision.reasons)
    when = status.next_allowed_at
    text = (f'{labels["from"]} {date_filter(template_localtime(when), "SHORT_DATETIME_FORMAT")}' if when
            else labels["blocked"])
    return format_html('<span class="badge blocked" title="{}">✗ {}</span>', reasons, text)


def _score(row: QueueRow, labels: dict[str, str]) -> SafeString:
    sc, loan = row.score, row.case.loan
    due = ""
    if sc.due_now:
        parts = [format_html('<span class="badge due">{}</span>', labels["due"])]
        if sc.promise_due:
            parts.append(format_html("{} {}", labels["promise"], date_filter(sc.promise_due, "SHORT_DATE_FORMAT")))
        if sc.instalment_due:
            parts.append(format_html("{} {}", labels["instalment"],
                                     date_filter(sc.instalment_due, "SHORT_DATE_FORMAT")))
        if sc.callback_at:
            parts.append(format_html("{} {}", labels["callback"],
                                     date_filter(template_localtime(sc.callback_at), "SHORT_DATETIME_FORMAT")))
        due = mark_safe(" ".join(parts) + "<br>")
    factors = [labels[name] for name, on in (
        ("paid", sc.paid_recently), ("spoke", sc.spoke_recently), ("open", sc.has_open_promise),
        ("broken", sc.broken_promise), ("unanswered", sc.unanswered_recently and not sc.spoke_recently)) if on]
    because = format_html(" ({})", ", ".join(factors)) if factors else ""
    return format_html(
        '{}<span title="{}">{} {}</span> <small class="parts">= {} × {}{}</small>',
        due, labels["expected"], floatformat(sc.expected_recovery, "2g"), loan.currency,
        floatformat(loan.balance, "2g"), floatformat(sc.propensity, 2), because,
    )


def queue_rows(rows: list[QueueRow]) -> SafeString:
    labels = _labels()
    return format_html_join("\n", (
        '<tr{}><td>{}</td><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
        '<td class="score">{}</td>{}</tr>'
    ), (
        (mark_safe(' class="due"') if row.score.due_now else "", row.position,
         reverse("collections:case", args=[row.case.pk]), row.case.loan.loan_ref, row.case.debtor.full_name,
         row.case.get_stage_display(), row.case.jurisdiction, row.days_past_due, _score(row, labels),
         format_html_join("", "<td>{}</td>", ((_badge(s, labels),) for s in row.channels)))
        for row in rows
    ))
