from pathlib import Path

from django.core.management.base import BaseCommand

from compliance import ledger


class Command(BaseCommand):
    help = "Write a signed digest (sequence, hash, time, HMAC) of the ledger's head; keep it elsewhere."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, help="folder for the digest (default: AUDIT_DIGEST_DIR)")

    def handle(self, *args, dir: Path | None, **options):
        digest, path = ledger.write_digest(dir)
        self.stdout.write(f"{path}")
        self.stdout.write(f"seq {digest['seq']} hash {digest['hash']} at {digest['at']}")
