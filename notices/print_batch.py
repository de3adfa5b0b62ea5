"""The daily print batch for the mail house: a few multi-letter PDFs and a manifest.

`write_print_batch` writes `<folder>/<day>/letters-<n>.pdf` and `manifest.csv` (one row
per letter: where it starts in which file, how many pages, the file's SHA-256). It is
idempotent by the letters' idempotency keys: a rerun of the same day adds only letters not
yet in the manifest, so nothing is printed twice and a rerun with the same letters leaves
the batch exactly as it was.

Before a letter goes in, its envelope windows are checked: they show only the envelope
name, the return address and the recipient, never collection wording (1006.22(f)(5);
CONC 7.9.7R; CN.THIRD_PARTY).
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings

from compliance.wording import RuleRef, debt_disclosures

from .rendering import plain_text, render_letters

# A mail house's window envelope has room for this many address lines under the name.
MAX_ADDRESS_LINES = 5
# Letters per PDF: large enough to render fast, small enough to hand over in parts.
LETTERS_PER_FILE = 500
MANIFEST = "manifest.csv"
MANIFEST_COLUMNS = (
    ["idempotency_key", "recipient"]
    + [f"address_line_{i}" for i in range(1, MAX_ADDRESS_LINES + 1)]
    + ["country", "pdf_file", "first_page", "page_count", "pdf_sha256"]
)
ENVELOPE_RULE = RuleRef("US.UNFAIR", "12 CFR 1006.22(f)(5); FCA CONC 7.9.7R")


@dataclass(frozen=True)
class Letter:
    idempotency_key: str
    recipient: str
    address_lines: tuple[str, ...]
    country: str
    html: str


@dataclass(frozen=True)
class PrintBatch:
    day: date
    pdf_paths: list[Path]
    manifest_path: Path
    added: int          # letters written by this run (0 on a rerun)


class EnvelopeUnsafe(ValueError):
    """A letter whose envelope windows would show more than the law allows."""


# --- the envelope windows -----------------------------------------------------------------

_BLOCK = r'<div class="{cls}"[^>]*>(.*?)</div>\s*(?=<div class="(?:recipient-address|letterhead)"|</section>)'


def window_text(html: str) -> dict[str, str]:
    """The text of the return-address and recipient blocks: what shows through the windows."""
    out = {}
    for name, cls in (("return", "return-address"), ("recipient", "recipient-address")):
        match = re.search(_BLOCK.format(cls=re.escape(cls)), html, re.S)
        if match is None:
            raise EnvelopeUnsafe(f"the letter has no {cls} block")
        out[name] = " ".join(plain_text(match.group(1)).split())
    return out


def check_envelope(letter: Letter) -> None:
    windows = window_text(letter.html)
    collector = settings.DUNWELL_COLLECTOR
    revealing = debt_disclosures(windows["return"], ENVELOPE_RULE)
    # The legal names say what the business is ("Recovery"); only the envelope name may show.
    names = [n for n in (collector["name"], collector["gb_name"], collector["cn_name"]) if n in windows["return"]]
    if revealing or names:
        words = [f.text for f in revealing] + names
        raise EnvelopeUnsafe(f"{letter.idempotency_key}: the return address reveals collection: {words}")
    if collector["envelope_name"] not in windows["return"]:
        raise EnvelopeUnsafe(f"{letter.idempotency_key}: the return address lacks the envelope name")
    expected = " ".join([letter.recipient, *letter.address_lines])
    shown = windows["recipient"].removeprefix("Private and confidential").strip()
    if shown != " ".join(expected.split()):
        # The manifest and the envelope must name the same person at the same address.
        raise EnvelopeUnsafe(f"{letter.idempotency_key}: the address window shows {shown!r}, not {expected!r}")


# --- the manifest -------------------------------------------------------------------------------

def _read_manifest(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _manifest_bytes(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _paper(html: str) -> str:
    match = re.search(r'data-paper="([a-z0-9]+)"', html)
    if match is None:
        raise ValueError("not a Dunwell letter: no paper size")
    return match.group(1)


def _new_letters(letters, known: set[str]) -> list[Letter]:
    unique: dict[str, Letter] = {}
    for letter in letters:
        if letter.idempotency_key in unique and unique[letter.idempotency_key] != letter:
            raise ValueError(f"two different letters share the idempotency key {letter.idempotency_key}")
        if len(letter.address_lines) > MAX_ADDRESS_LINES:
            raise ValueError(f"{letter.idempotency_key}: more than {MAX_ADDRESS_LINES} address lines")
        unique[letter.idempotency_key] = letter
    return [unique[key] for key in sorted(unique) if key not in known]


def write_print_batch(letters, *, day: date, folder: Path | str | None = None) -> PrintBatch:
    """Add ``letters`` to the print batch of ``day`` (see module docstring)."""
    folder = Path(folder if folder is not None else settings.NOTICES_PRINT_DIR) / day.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    manifest_path = folder / MANIFEST
    # One writer per day's batch: two workers running the same day queue up here.
    with (folder / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        rows = _read_manifest(manifest_path)
        new = _new_letters(letters, {row["idempotency_key"] for row in rows})
        for letter in new:
            check_envelope(letter)
        numbers = [int(m.group(1)) for row in rows if (m := re.match(r"letters-(\d+)\.pdf$", row["pdf_file"]))]
        next_number = max(numbers, default=0) + 1
        # One paper size per file: the mail house loads one paper stock per run.
        by_paper: dict[str, list[Letter]] = {}
        for letter in new:
            by_paper.setdefault(_paper(letter.html), []).append(letter)
        for paper in sorted(by_paper):
            group = by_paper[paper]
            for start in range(0, len(group), LETTERS_PER_FILE):
                chunk = group[start:start + LETTERS_PER_FILE]
                rendered = render_letters([letter.html for letter in chunk])
                name = f"letters-{next_number}.pdf"
                next_number += 1
                _atomic_write(folder / name, rendered.pdf)
                digest = hashlib.sha256(rendered.pdf).hexdigest()
                for letter, first, count in zip(chunk, rendered.first_pages, rendered.page_counts):
                    lines = list(letter.address_lines) + [""] * (MAX_ADDRESS_LINES - len(letter.address_lines))
                    rows.append({
                        "idempotency_key": letter.idempotency_key, "recipient": letter.recipient,
                        **{f"address_line_{i + 1}": line for i, line in enumerate(lines)},
                        "country": letter.country, "pdf_file": name, "first_page": first,
                        "page_count": count, "pdf_sha256": digest,
                    })
        if new or not manifest_path.exists():
            # The manifest is written last: a crash before it leaves no row pointing at a
            # missing file, and the rerun renders those letters again.
            _atomic_write(manifest_path, _manifest_bytes(rows))
    pdf_files = sorted({row["pdf_file"] for row in rows}, key=lambda n: int(re.findall(r"\d+", n)[0]))
    return PrintBatch(day, [folder / name for name in pdf_files], manifest_path, len(new))


def letter_for(rendered, *, idempotency_key: str, context: dict) -> Letter:
    """The print-batch entry for a rendered letter and the context it was rendered from."""
    debtor = context["debtor"]
    return Letter(idempotency_key, debtor["name"], tuple(debtor["address_lines"]), debtor["country"], rendered.html)

