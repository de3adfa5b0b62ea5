"""`manage.py export_audit --from 2026-11-01 --to 2026-11-30 --format csv|jsonl [--output FILE]`:
the ledger's events of a period, streamed (oldest first, with their hashes). Audited."""

from django.core.management.base import BaseCommand, CommandError

from compliance import exports, ledger
from compliance.selectors import AuditFilters


class Command(BaseCommand):
    help = "Export the audit ledger's events of a period as CSV or JSON Lines (audited as audit.exported)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="since", help="first day (YYYY-MM-DD), inclusive")
        parser.add_argument("--to", dest="until", help="last day (YYYY-MM-DD), inclusive")
        parser.add_argument("--format", choices=exports.FORMATS, default="jsonl")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")
        for name in ("case", "debtor", "collector", "team", "channel", "decision", "rule", "pack", "kind"):
            parser.add_argument(f"--{name}")

    def handle(self, *args, since, until, format, output, **options):
        params = {"from": since, "to": until, **{k: options.get(k) for k in
                  ("case", "debtor", "collector", "team", "channel", "decision", "rule", "pack", "kind")}}
        filters = AuditFilters.from_params({k: v for k, v in params.items() if v})
        try:
            export = exports.export_period(filters=filters, fmt=format,
                                           actor=ledger.actor_label(job="export_audit"))
        except exports.ExportError as exc:
            raise CommandError(str(exc)) from exc
        count = 0
        if output:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                for chunk in export.rows:
                    stream.write(chunk)
                    count += chunk.count("\n")
        else:
            for chunk in export.rows:
                self.stdout.write(chunk, ending="")
                count += chunk.count("\n")
        rows = count - 1 if format == "csv" else count
        self.stderr.write(f"{rows} events through seq {export.head_seq}; audited as event {export.audit_event.seq}")
