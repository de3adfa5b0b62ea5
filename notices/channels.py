"""How notices leave: post (the daily print batch), email and SMS.

Every channel refuses to send without an allowing decision of the compliance gate, and
every send carries the notice's idempotency key, so a retried delivery is recognised by
the channel (or the provider) instead of reaching the debtor twice.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from compliance.engine import Decision

from .print_batch import Letter, write_print_batch
from .rendering import RenderedNotice


class NotAllowed(Exception):
    """A channel was asked to send without an allowing decision."""


@dataclass(frozen=True)
class Delivery:
    key: str
    destination: str
    rendered: RenderedNotice
    decision: Decision
    letter: Letter | None = None  # post only


def _require_allowed(delivery: Delivery) -> None:
    if not delivery.decision.allowed:
        raise NotAllowed(f"{delivery.key}: the gate did not allow this send ({', '.join(delivery.decision.rule_ids)})")


# Post ------------------------------------------------------------------------------------

def print_queue(day: date) -> Path:
    return Path(settings.NOTICES_PRINT_DIR) / day.isoformat() / "queue"


def send_letter(delivery: Delivery, *, day: date) -> str:
    """Queue the letter for the day's print batch; `assemble_print_batch` renders the batch.
    The queue file is named by the key: queueing twice is queueing once."""
    _require_allowed(delivery)
    queue = print_queue(day)
    queue.mkdir(parents=True, exist_ok=True)
    with (queue.parent / "handovers.jsonl").open("a", encoding="utf-8") as log:
        log.write(json.dumps({"key": delivery.key}) + "\n")
    path = queue / f"{delivery.key.replace(':', '_')}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(delivery.letter), ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return f"print:{day.isoformat()}:{delivery.key}"


def assemble_print_batch(day: date):
    """Render every queued letter of `day` into the batch PDFs and the mail-house manifest,
    and keep each letter's own pages as the notice's document: the case file a regulator
    receives then holds the very pages that were printed."""
    queue = print_queue(day)
    letters = [
        Letter(**{**data, "address_lines": tuple(data["address_lines"])})
        for data in (json.loads(p.read_text(encoding="utf-8")) for p in sorted(queue.glob("*.json")))
    ] if queue.exists() else []
    batch = write_print_batch(letters, day=day)
    _file_each_letter(batch)
    return batch


def _file_each_letter(batch) -> None:
    from pypdf import PdfReader, PdfWriter

    from .models import Notice

    folder = batch.manifest_path.parent / "letters"
    folder.mkdir(exist_ok=True)
    readers: dict[str, PdfReader] = {}
    with batch.manifest_path.open(encoding="utf-8", newline="") as manifest:
        for row in csv.DictReader(manifest):
            path = folder / f"{row['idempotency_key'].replace(':', '_')}.pdf"
            if not path.exists():
                reader = readers.setdefault(row["pdf_file"], PdfReader(batch.manifest_path.parent / row["pdf_file"]))
                writer = PdfWriter()
                first = int(row["first_page"]) - 1
                for page in reader.pages[first:first + int(row["page_count"])]:
                    writer.add_page(page)
                tmp = path.with_suffix(".tmp")
                with tmp.open("wb") as out:
                    writer.write(out)
                tmp.replace(path)
            Notice.objects.filter(idempotency_key=row["idempotency_key"], document="").update(document=str(path))


# Email -----------------------------------------------------------------------------------

def send_email(delivery: Delivery) -> str:
    """Through Django's email backend. The Message-ID is derived from the key, so a mail
    system seeing the same notice twice can tell it is the same message."""
    _require_allowed(delivery)
    message_id = f"<{delivery.key.replace(':', '.')}@{settings.DUNWELL_EMAIL_DOMAIN}>"
    EmailMessage(
        subject=delivery.rendered.subject, body=delivery.rendered.text, to=[delivery.destination],
        headers={"Message-ID": message_id, "X-Dunwell-Idempotency-Key": delivery.key},
    ).send()
    return f"email:{message_id}"


# SMS ---------------------------------------------------------------------------------------

class SmsProvider(Protocol):
    def send(self, *, to: str, text: str, idempotency_key: str) -> str:
        """Send a text; return the provider's message id. The same key must not send twice."""


class FileSmsProvider:
    """Development and test provider: one JSON line per hand-over in var/sms/outbox.jsonl,
    and a marker per key so a repeated key is not sent again (as a real provider would)."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder or Path(settings.VAR_DIR) / "sms")

    def send(self, *, to: str, text: str, idempotency_key: str) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        marker = self.folder / "sent" / idempotency_key.replace(":", "_")
        marker.parent.mkdir(exist_ok=True)
        with (self.folder / "handovers.jsonl").open("a", encoding="utf-8") as log:
            log.write(json.dumps({"key": idempotency_key, "to": to}) + "\n")
        try:
            with marker.open("x"):
                pass
        except FileExistsError:
            return f"file-sms:{idempotency_key}"  # already sent under this key
        with (self.folder / "outbox.jsonl").open("a", encoding="utf-8") as outbox:
            outbox.write(json.dumps({"key": idempotency_key, "to": to, "text": text}, ensure_ascii=False) + "\n")
        return f"file-sms:{idempotency_key}"


def sms_provider() -> SmsProvider:
    return import_string(settings.DUNWELL_SMS_PROVIDER)()


def send_sms(delivery: Delivery) -> str:
    _require_allowed(delivery)
    return sms_provider().send(to=delivery.destination, text=delivery.rendered.text, idempotency_key=delivery.key)
