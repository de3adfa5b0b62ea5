import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance import ledger


class Command(BaseCommand):
    help = "Verify the audit ledger's hash chain (and optionally that it still holds a signed digest)."

    def add_arguments(self, parser):
        parser.add_argument("--digest", type=Path, help="a digest file written by audit_digest")

    def handle(self, *args, digest: Path | None, **options):
        signed = None
        if digest is not None:
            try:
                signed = json.loads(digest.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"cannot read digest {digest}: {exc}") from exc
        result = ledger.verify()
        if not result.ok:
            self.stderr.write(f"BROKEN at sequence {result.first_bad_seq}: {result.reason}")
            self.stderr.write(f"{result.events} events verified before the break.")
            sys.exit(1)
        if signed is not None:
            try:
                ledger.check_digest(signed)
            except ledger.DigestError as exc:
                self.stderr.write(f"DIGEST MISMATCH: {exc}")
                sys.exit(1)
        self.stdout.write(f"OK: {result.events} events, head {result.head_seq} {result.head_hash}")
        if signed is not None:
            self.stdout.write(f"OK: the chain still holds digest seq {signed['seq']} signed at {signed['at']}")
