"""The daily print batch: every letter once, correct page counts, envelope-safe windows
(1006.22(f)(5); CONC 7.9.7R; CN.THIRD_PARTY), idempotent reruns."""

import csv
import hashlib
import io
from dataclasses import replace
from datetime import date

import pytest
from django.conf import settings
from django.db import transaction
from pypdf import PdfReader

from notices.print_batch import EnvelopeUnsafe, check_envelope, letter_for, write_print_batch
from notices.rendering import PAGE_SIZES, WINDOWS, render_notice

from .conftest import context_for, make_case

DAY = date(2026, 11, 24)
COLLECTION_WORDS = ("debt", "collect", "recovery", "催收", "欠款", "Dunwell Recovery", "顿维尔")
LETTERS = [("US", "us_validation", "en"), ("US-CA", "us_validation", "en"), ("CN", "cn_collection_letter", "zh-Hans"),
           ("GB", "gb_arrears_notice", "en"), ("US", "reminder", "en")]


@pytest.fixture(scope="module")
def letters(django_db_setup, django_db_blocker):
    out = []
    with django_db_blocker.unblock(), transaction.atomic():
        for n, (jurisdiction, kind, language) in enumerate(LETTERS):
            context = context_for(make_case(jurisdiction), kind, DAY)
            notice = render_notice(kind, context, language=language, channel="letter")
            out.append(letter_for(notice, idempotency_key=f"{n}:{kind}:initial.letter", context=context))
        transaction.set_rollback(True)
    return out


@pytest.fixture(scope="module")
def batch(letters, tmp_path_factory):
    folder = tmp_path_factory.mktemp("print")
    return folder, write_print_batch(list(reversed(letters)), day=DAY, folder=folder)


def manifest_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def window_words(page, paper):
    """The text printed inside the envelope windows of a first page, by position."""
    height = float(page.mediabox.height)
    found = {name: [] for name in WINDOWS[paper]}

    def visit(text, cm, tm, font, size):
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = height - (tm[4] * cm[1] + tm[5] * cm[3] + cm[5])
        for name, box in WINDOWS[paper].items():
            if box.left - 1 <= x <= box.left + box.width and box.top <= y <= box.top + box.height + 2 and text.strip():
                found[name].append(text.strip())

    page.extract_text(visitor_text=visit)
    return {name: " ".join(words) for name, words in found.items()}


def test_manifest_lists_every_letter_once(batch, letters):
    _, result = batch
    keys = [row["idempotency_key"] for row in manifest_rows(result.manifest_path)]
    assert sorted(keys) == sorted(letter.idempotency_key for letter in letters)
    assert result.added == len(letters)


def test_manifest_page_counts_match_the_pdfs(batch):
    folder, result = batch
    rows = manifest_rows(result.manifest_path)
    for pdf_path in result.pdf_paths:
        data = pdf_path.read_bytes()
        in_file = sorted((r for r in rows if r["pdf_file"] == pdf_path.name), key=lambda r: int(r["first_page"]))
        assert in_file[0]["first_page"] == "1"
        for row, following in zip(in_file, in_file[1:] + [None]):
            end = int(following["first_page"]) if following else len(PdfReader(io.BytesIO(data)).pages) + 1
            assert int(row["page_count"]) == end - int(row["first_page"]) >= 1
            assert row["pdf_sha256"] == hashlib.sha256(data).hexdigest()


def test_one_paper_size_per_file(batch):
    _, result = batch
    assert len(result.pdf_paths) == 2  # US Letter and A4
    for pdf_path in result.pdf_paths:
        sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(pdf_path).pages}
        assert len(sizes) == 1 and sizes.pop() in {tuple(round(v) for v in s) for s in PAGE_SIZES.values()}


def test_envelope_windows_show_only_the_return_address_and_the_recipient(batch, letters):
    _, result = batch
    rows = {row["idempotency_key"]: row for row in manifest_rows(result.manifest_path)}
    envelope_name = settings.DUNWELL_COLLECTOR["envelope_name"]
    for letter in letters:
        row = rows[letter.idempotency_key]
        page = PdfReader(result.manifest_path.parent / row["pdf_file"]).pages[int(row["first_page"]) - 1]
        paper = "letter" if round(float(page.mediabox.width)) == 612 else "a4"
        windows = window_words(page, paper)
        assert windows["return"].startswith(envelope_name)
        assert letter.recipient in windows["recipient"]
        assert all(line.replace(" ", "") in windows["recipient"].replace(" ", "") for line in letter.address_lines)
        for words in COLLECTION_WORDS:
            assert words.lower() not in (windows["return"] + windows["recipient"]).lower(), (letter.idempotency_key, words)


def test_rerun_of_the_same_day_changes_nothing(batch, letters):
    folder, result = batch
    before = result.manifest_path.read_bytes()
    files_before = {p: p.read_bytes() for p in result.pdf_paths}
    again = write_print_batch(letters + letters[:2], day=DAY, folder=folder)
    assert again.added == 0
    assert again.manifest_path.read_bytes() == before
    assert {p: p.read_bytes() for p in again.pdf_paths} == files_before


def test_a_later_run_adds_only_new_letters(letters, tmp_path):
    first = write_print_batch(letters[:1], day=DAY, folder=tmp_path)
    second = write_print_batch(letters[:2], day=DAY, folder=tmp_path)
    assert (first.added, second.added) == (1, 1)
    rows = manifest_rows(second.manifest_path)
    assert [r["idempotency_key"] for r in rows] == [letters[0].idempotency_key, letters[1].idempotency_key]
    assert [r["pdf_file"] for r in rows] == ["letters-1.pdf", "letters-2.pdf"]


def test_a_return_address_revealing_collection_is_refused(letters):
    letter = letters[0]
    name = settings.DUNWELL_COLLECTOR["name"]
    unsafe = replace(letter, html=letter.html.replace(">DRS<br>", f">{name}<br>", 1))
    with pytest.raises(EnvelopeUnsafe, match="reveals collection"):
        check_envelope(unsafe)
    unsafe = replace(letter, html=letter.html.replace(">DRS<br>", ">DRS Debt Collections<br>", 1))
    with pytest.raises(EnvelopeUnsafe, match="reveals collection"):
        check_envelope(unsafe)


def test_manifest_and_window_must_name_the_same_recipient(letters):
    with pytest.raises(EnvelopeUnsafe, match="address window"):
        check_envelope(replace(letters[0], recipient="Someone Else"))
