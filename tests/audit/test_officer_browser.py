"""An officer in Debian's Chromium: finds the collector with the most blocked attempts last
week, opens one, replays it, and exports that debtor's case file."""

import io
import json
import zipfile
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from compliance.models import AuditEvent
from tests.audit.conftest import record, us_case
from tests.factories import TeamFactory, UserFactory

PASSWORD = "correct horse battery staple"
NEW_YORK = ZoneInfo("America/New_York")


def days_ago(days: int, hour: int) -> datetime:
    day = datetime.now(NEW_YORK).date() - timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=NEW_YORK)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_officer_finds_the_most_blocked_collector_replays_and_exports(live_server, page, screenshot, settings,
                                                                    tmp_path):
    settings.VAR_DIR = tmp_path  # verification progress files
    settings.AUDIT_DIGEST_DIR = tmp_path / "digests"
    officer = UserFactory(role="compliance_officer", username="officer")
    alice, bob = UserFactory(role="collector", username="alice"), UserFactory(role="collector", username="bob")
    team = TeamFactory(name="East")
    worst, other = us_case(collector=alice, team=team), us_case(collector=bob, team=team)
    for days in (2, 3, 4):
        record(worst, at=days_ago(days, 22), by=alice)        # 22:00 New York: US.TIME blocks
    record(other, at=days_ago(3, 22), by=bob)
    record(other, at=days_ago(3, 14), by=bob)                 # allowed
    record(other, at=days_ago(20, 22), by=bob)                # blocked, but not last week
    record(other, at=days_ago(21, 22), by=bob)
    page.set_default_timeout(15_000)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Audit explorer")

    # Analytics for last week: alice leads the blocked-by-collector chart.
    page.locator(".audit-nav").get_by_role("link", name="Analytics").click()
    today = timezone.localdate()
    page.fill("input[name=from]", (today - timedelta(days=7)).isoformat())
    page.fill("input[name=to]", today.isoformat())
    page.get_by_role("button", name="Show").click()
    chart = page.locator("#blocked-by-collector")
    expect(chart.locator("table.chart-data tbody tr").first).to_contain_text("alice")
    expect(chart.locator("table.chart-data tbody tr").first).to_contain_text("3")
    screenshot("audit-1-analytics-last-week")

    # Drill down from alice's bar to her blocked attempts in the explorer.
    chart.locator(f'svg a[data-key="{alice.pk}"]').click()
    rows = page.locator("table.events tbody tr.event-row")
    expect(rows).to_have_count(3)
    expect(page.locator("p.exports")).to_contain_text("Collector: alice")
    screenshot("audit-2-explorer-alice-blocked")

    # Open one: the full decision, with rule, citation and pack version.
    rows.first.locator("a").first.click()
    expect(page.locator("#decision-h")).to_contain_text("blocked")
    expect(page.locator("table.reasons")).to_contain_text("US.TIME")
    expect(page.locator("table.reasons")).to_contain_text("1006.6(b)(1)(i)")
    expect(page.locator("main")).to_contain_text("US 2021-11-30")

    # Replay it under the rules in force then, and against today's engine.
    page.locator("#replay-button").click()
    verdict = page.locator("#replay-verdict")
    expect(verdict).to_contain_text("reproduces the recorded decision")
    expect(verdict).to_contain_text("Today's engine agrees")
    screenshot("audit-3-event-replayed")

    # Export that debtor's case file.
    with page.expect_download() as download_info:
        page.locator("#case-file-button").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"case-file-{worst.debtor.debtor_ref}")
    archive = zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read()))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["debtor"]["id"] == worst.debtor_id and manifest["counts"]["attempts"] == 3
    assert {"events.jsonl", "attempts.csv", "digest.json"} <= set(archive.namelist())
    assert AuditEvent.objects.filter(kind="audit.exported", actor=f"user:{officer.pk}:officer").exists()
    screenshot("audit-4-case-file-exported")

    # And the log is intact: verification runs as a Celery task (eager here) with a progress bar.
    from collections_app.celery import app

    app.conf.task_always_eager = True
    try:
        page.locator(".audit-nav").get_by_role("link", name="Integrity").click()
        page.locator("#verify-button").click()
        expect(page.locator("#verify-progress")).to_contain_text("Intact")
    finally:
        app.conf.task_always_eager = False
    screenshot("audit-5-integrity-verified")
