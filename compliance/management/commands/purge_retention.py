"""`manage.py purge_retention [--dry-run] [--today YYYY-MM-DD]`: redact the personal data of
cases whose retention has ended (compliance.retention explains the scope). Audited."""

from datetime import date

from django.core.management.base import BaseCommand

from compliance import ledger, retention


class Command(BaseCommand):
    help = "Redact personal data of final-stage cases past their retention (US.RETENTION, CN.RECORDING)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report what would be redacted; change nothing")
        parser.add_argument("--today", type=date.fromisoformat, help="judge retention as of this day")

    def handle(self, *args, dry_run: bool, today: date | None, **options):
        for row in retention.retention_report(today=today):
            mark = "DUE " if row.due else "keep"
            self.stdout.write(f"{mark} case {row.case_id} {row.loan_ref} {row.jurisdiction} {row.stage} "
                              f"last activity {row.last_activity} {row.rule_id or '-'} until {row.retention_end or '-'}"
                              f"{' (' + row.why_kept + ')' if row.why_kept else ''}")
        report = retention.purge(actor=ledger.actor_label(job="purge_retention"), today=today, dry_run=dry_run)
        verb = "would redact" if dry_run else "redacted"
        self.stdout.write(f"{verb}: {len(report.cases)} cases, {report.attempts} attempts, {report.holds} holds, "
                          f"{len(report.debtors)} debtors ({report.contact_points} contact points)"
                          + (f"; audited as event {report.audit_seq}" if report.audit_seq else ""))
