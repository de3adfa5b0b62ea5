"""Supervision figures for the compliance officer, and their charts as server-rendered SVG.

Every figure is a list of plain rows (so the same rows feed the chart, the table under it
and its CSV export). Periods are half-open: ``since <= at < until``.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from collections_app.models import Case, Channel, ContactAttempt, PromiseToPay, Stage, Team
from notices.models import Notice

from .models import AuditEvent

DIMENSIONS = ("rule", "collector", "team", "channel")
FUNNEL = [Stage.NEW, Stage.EARLY, Stage.ACTIVE, Stage.FINAL_NOTICE, Stage.ARRANGEMENT, Stage.AGENCY, Stage.LEGAL,
          Stage.RESOLVED, Stage.WRITTEN_OFF, Stage.CLOSED]


@dataclass(frozen=True)
class Bar:
    key: str          # what a filter takes (a rule id, a user id, a team id, a channel)
    label: str
    value: int


def _blocked(since: datetime, until: datetime):
    return ContactAttempt.objects.filter(allowed=False, at__gte=since, at__lt=until)


def blocked_by(dimension: str, *, since: datetime, until: datetime) -> list[Bar]:
    """Blocked attempts in the period by rule, collector (who tried), team or channel, most first."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    attempts = _blocked(since, until)
    if dimension == "rule":
        # An attempt blocked by two rules counts once under each.
        counts = Counter(rule for rules in attempts.values_list("rule_ids", flat=True) for rule in rules or [])
        bars = [Bar(rule, rule, n) for rule, n in counts.items()]
    elif dimension == "collector":
        rows = attempts.values("actor_id", "actor_label").annotate(n=Count("id"))
        users = get_user_model().objects.in_bulk({r["actor_id"] for r in rows if r["actor_id"]})
        merged: Counter = Counter()
        labels = {}
        for r in rows:
            key = str(r["actor_id"]) if r["actor_id"] else r["actor_label"]
            merged[key] += r["n"]
            user = users.get(r["actor_id"])
            labels[key] = user.get_username() if user else r["actor_label"]
        bars = [Bar(k, labels[k], n) for k, n in merged.items()]
    elif dimension == "team":
        rows = attempts.values("case__team_id").annotate(n=Count("id"))
        names = dict(Team.objects.values_list("pk", "name"))
        bars = [Bar(str(r["case__team_id"] or ""), names.get(r["case__team_id"], "(no team)"), r["n"]) for r in rows]
    else:
        labels = dict(Channel.choices)
        rows = attempts.values("channel").annotate(n=Count("id"))
        bars = [Bar(r["channel"], str(labels.get(r["channel"], r["channel"])), r["n"]) for r in rows]
    return sorted(bars, key=lambda b: (-b.value, b.label))


def blocked_over_time(dimension: str, *, since: datetime, until: datetime) -> list[tuple[date, str, str, int]]:
    """(day, key, label, blocked attempts) for every day and key with any: the time series
    behind each blocked-by chart, for its CSV export."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    attempts = _blocked(since, until).annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
    out: Counter = Counter()
    labels: dict[str, str] = {}
    if dimension == "rule":
        for day, rules in attempts.values_list("day", "rule_ids"):
            for rule in rules or []:
                out[(day, rule)] += 1
                labels[rule] = rule
    else:
        field = {"collector": "actor_id", "team": "case__team_id", "channel": "channel"}[dimension]
        for row in attempts.values("day", field).annotate(n=Count("id")):
            key = str(row[field] or "")
            out[(row["day"], key)] += row["n"]
        totals = {b.key: b.label for b in blocked_by(dimension, since=since, until=until)}
        labels = totals
    return sorted(((day, key, labels.get(key, key), n) for (day, key), n in out.items()), key=lambda r: (r[0], r[1]))


def contacts_per_day(*, since: datetime, until: datetime) -> list[tuple[date, int, int]]:
    """(day, allowed, blocked) for every day of the period, zeros included: the gate's
    decisions, so not the contacts the debtor made."""
    rows = (ContactAttempt.objects.filter(at__gte=since, at__lt=until, initiated_by_consumer=False)
            .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
            .values("day").annotate(n_allowed=Count("id", filter=Q(allowed=True)),
                                    n_blocked=Count("id", filter=Q(allowed=False))))
    found = {r["day"]: (r["n_allowed"], r["n_blocked"]) for r in rows}
    first = timezone.localtime(since).date()
    last = timezone.localtime(until - timedelta(microseconds=1)).date()
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return [(d, *found.get(d, (0, 0))) for d in days]


def stage_funnel() -> list[tuple[str, str, int, int]]:
    """(stage, label, cases ever entered, cases there now). "Ever entered" reads the
    ledger's stage changes, so it counts a case that has since moved on."""
    now_counts = dict(Case.objects.values("stage").annotate(n=Count("id")).values_list("stage", "n"))
    entered: dict[str, set] = defaultdict(set)
    for case_id, payload in AuditEvent.objects.filter(kind="case.stage_changed").values_list("case_id", "payload").iterator(chunk_size=5000):
        try:
            entered[json.loads(payload).get("to")].add(case_id)
        except ValueError:
            continue
    for case_id, stage in Case.objects.values_list("pk", "stage"):
        entered[stage].add(case_id)
    total = Case.objects.count()
    rows = []
    for stage in FUNNEL:
        ever = total if stage == Stage.NEW else len(entered.get(stage, ()))
        rows.append((stage.value, str(stage.label), ever, now_counts.get(stage.value, 0)))
    return rows


def notice_outcomes(*, since: datetime, until: datetime) -> list[Bar]:
    """Notices due in the period: sent, deferred by the gate (planned with a next allowed
    moment), suppressed, failed, still planned."""
    notices = Notice.objects.filter(due_at__gte=since, due_at__lt=until)
    counts = notices.aggregate(
        sent=Count("id", filter=Q(status=Notice.Status.SENT)),
        deferred=Count("id", filter=Q(status__in=[Notice.Status.PLANNED, Notice.Status.SENDING], next_allowed_at__isnull=False)),
        suppressed=Count("id", filter=Q(status=Notice.Status.SUPPRESSED)),
        failed=Count("id", filter=Q(status=Notice.Status.FAILED)),
        planned=Count("id", filter=Q(status=Notice.Status.PLANNED, next_allowed_at__isnull=True)),
    )
    labels = {"sent": "Sent", "deferred": "Deferred", "suppressed": "Suppressed", "failed": "Failed", "planned": "Planned"}
    return [Bar(k, labels[k], counts[k]) for k in labels]


def promise_outcomes(*, since: datetime, until: datetime) -> list[Bar]:
    """Promises to pay falling due in the period, by outcome."""
    first = timezone.localtime(since).date()
    last = timezone.localtime(until - timedelta(microseconds=1)).date()
    rows = dict(PromiseToPay.objects.filter(due_date__gte=first, due_date__lte=last)
                .values("status").annotate(n=Count("id")).values_list("status", "n"))
    return [Bar(s.value, str(s.label), rows.get(s.value, 0)) for s in PromiseToPay.Status]


# --- SVG -----------------------------------------------------------------------------------------

def bar_chart(bars: list[Bar], *, title: str, href=None, width: int = 560, limit: int = 12) -> str:
    """Horizontal bars, largest first. ``href(bar)`` makes each bar a link (drill-down)."""
    bars = bars[:limit]
    row, label_w, top = 24, 170, 8
    height = top * 2 + row * max(len(bars), 1)
    peak = max((b.value for b in bars), default=0) or 1
    plot = width - label_w - 50
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
             f'width="100%" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    if not bars:
        parts.append(f'<text x="8" y="{top + 16}" class="empty">No data in this period</text>')
    for i, bar in enumerate(bars):
        y = top + i * row
        w = max(round(plot * bar.value / peak), 1 if bar.value else 0)
        shape = (f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end">{escape(bar.label[:28])}</text>'
                 f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row - 8}"><title>{escape(bar.label)}: {bar.value}</title></rect>'
                 f'<text x="{label_w + w + 4}" y="{y + 16}" class="value">{bar.value}</text>')
        link = href(bar) if href else None
        parts.append(f'<a href="{escape(link)}" data-key="{escape(bar.key)}">{shape}</a>' if link else shape)
    parts.append("</svg>")
    return "".join(parts)


def day_chart(rows: list[tuple[date, int, int]], *, title: str, width: int = 560, height: int = 180) -> str:
    """Stacked columns per day: allowed (bottom) and blocked (top)."""
    left, bottom, top = 34, 22, 10
    plot_w, plot_h = width - left - 8, height - bottom - top
    peak = max((a + b for _, a, b in rows), default=0) or 1
    step = plot_w / max(len(rows), 1)
    bar_w = max(step * 0.75, 1)
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
             f'width="100%" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}" class="axis"/>',
             f'<text x="{left - 4}" y="{top + 8}" text-anchor="end" class="value">{peak}</text>',
             f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" class="value">0</text>']
    for i, (day, allowed, blocked) in enumerate(rows):
        x = left + i * step
        h_a, h_b = plot_h * allowed / peak, plot_h * blocked / peak
        y_a = top + plot_h - h_a
        parts.append(f'<rect class="ok" x="{x:.1f}" y="{y_a:.1f}" width="{bar_w:.1f}" height="{h_a:.1f}">'
                     f'<title>{day}: {allowed} allowed, {blocked} blocked</title></rect>')
        parts.append(f'<rect class="block" x="{x:.1f}" y="{y_a - h_b:.1f}" width="{bar_w:.1f}" height="{h_b:.1f}">'
                     f'<title>{day}: {allowed} allowed, {blocked} blocked</title></rect>')
        if len(rows) <= 16 or i % max(len(rows) // 8, 1) == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 6}" class="value">{day:%m-%d}</text>')
    parts.append("</svg>")
    return "".join(parts)


def funnel_chart(rows: list[tuple[str, str, int, int]], *, title: str, width: int = 560) -> str:
    return bar_chart([Bar(stage, label, ever) for stage, label, ever, _ in rows], title=title, width=width, limit=len(rows))
