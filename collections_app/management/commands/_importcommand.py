"""Shared shape of the two import commands: progress bar, rejected-row report, exit code."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from collections_app.importing import ImportRejected


class ImportCommand(BaseCommand):
    importer = None  # a function (path, *, dry_run, progress) -> ImportReport
    noun = "rows"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV (with a header line) or JSON Lines")
        parser.add_argument("--dry-run", action="store_true", help="validate only; write nothing")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        show_bar = sys.stderr.isatty() and options["verbosity"] > 0
        with tqdm(desc=f"Reading {file.name}", unit=" rows", disable=not show_bar) as bar:
            try:
                report = type(self).importer(file, dry_run=dry_run, progress=bar.update)
            except ImportRejected as rejected:
                for error in rejected.errors:
                    self.stderr.write(str(error))
                self.stderr.write(f"{len(rejected.errors)} row problem(s) in {file.name}; nothing was written.")
                sys.exit(1)
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            f"{file.name}: {report.rows} rows, {verb}: {report.created} new, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.skipped} already present."
        )
