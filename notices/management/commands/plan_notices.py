from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import now

from collections_app.models import plausible_year
from notices.dry_run import forecast
from notices.planner import plan_notices


class Command(BaseCommand):
    help = "Plan the notices due on a day (set-based, idempotent); --dry-run shows what would happen."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (default: today, UTC)")
        parser.add_argument("--dry-run", action="store_true", help="plan nothing; report send / defer / suppress")

    def handle(self, *args, date: str | None, dry_run: bool, **options):
        try:
            day = date_from(date) if date else now().date()
        except ValueError as exc:
            raise CommandError(f"--date: {exc}") from exc
        if not dry_run:
            report = plan_notices(day=day)
            self.stdout.write(f"{day}: planned {report.planned} notice(s).")
            return
        lines = forecast(day=day)
        for line in lines:
            if line.outcome == "send":
                detail = f"at {line.at.isoformat()}"
            elif line.outcome == "defer":
                detail = f"until {line.until.isoformat()} ({', '.join(line.rules)})"
            else:
                detail = f"by {', '.join(f'{r} [{c}]' for r, c in zip(line.rules, line.citations))}"
            self.stdout.write(f"{line.outcome.upper():<8} {line.key:<40} {line.kind:<24} {line.channel:<6} {detail}")
        counts = {o: sum(1 for line in lines if line.outcome == o) for o in ("send", "defer", "suppress")}
        self.stdout.write(f"{day}: would send {counts['send']}, defer {counts['defer']}, suppress {counts['suppress']}.")


def date_from(value: str) -> date:
    day = date.fromisoformat(value)
    if not plausible_year(day.year):
        raise ValueError(f"a day between 1970 and 2099, not {value}")
    return day
