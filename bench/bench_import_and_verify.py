"""BENCH import_100k_vs_copy and BENCH verify_vs_cursor.

import_100k_vs_copy: time of `import_portfolio` on 100,000 rows divided by the time of a
raw COPY of exactly the rows it wrote (debtors, contact points, loans, cases, audit
events) into the same tables.
verify_vs_cursor: `verify_audit`'s rate divided by a raw server-side cursor read of the
same ledger rows.
"""

import csv
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_app.test_settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from collections_app.importing import PORTFOLIO_COLUMNS, import_portfolio  # noqa: E402
from compliance import ledger  # noqa: E402
from baseline import raw_copy_seconds  # noqa: E402

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
TABLES = [
    "collections_app_debtor", "collections_app_contactpoint", "collections_app_loan",
    "collections_app_case", "compliance_auditevent",
]
PLACES = [
    ("US", "IL", "Chicago", "+1 312 555 01{:02d}"), ("US", "MA", "Boston", "+1 617 555 01{:02d}"),
    ("US", "CA", "Los Angeles", "+1 213 555 01{:02d}"), ("CN", "", "上海", "+86 138 0013 80{:02d}"),
    ("GB", "", "London", "+44 7911 1234{:02d}"),
]


def write_portfolio(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(PORTFOLIO_COLUMNS)
        for i in range(ROWS):
            country, region, city, phone = PLACES[i % len(PLACES)]
            currency = {"US": "USD", "CN": "CNY", "GB": "GBP"}[country]
            writer.writerow([
                f"L{i:07d}", f"D{i:07d}", f"Debtor {i}", "zh-Hans" if country == "CN" else "en",
                phone.format(i % 100), f"d{i}@example.com", f"{i} Main Street", city, region, "02108",
                country, "", "1000.00", f"{500 + i % 1000}.25", currency, "2026-08-01", "2026-08-15", "", "",
            ])


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def cursor_read_rate() -> float:
    def read():
        count = 0
        with transaction.atomic(), connection.chunked_cursor() as cursor:
            cursor.execute(
                "SELECT seq, at, actor, case_id, kind, payload, prev_hash, hash FROM compliance_auditevent ORDER BY seq"
            )
            while rows := cursor.fetchmany(10_000):
                count += len(rows)
        return count

    seconds, count = timed(read)
    return count / seconds


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "portfolio.csv"
        write_portfolio(path)
        import_seconds, report = timed(lambda: import_portfolio(path))
    assert report.created == ROWS, report
    copy_seconds = raw_copy_seconds(TABLES)
    print(f"# import {import_seconds:.1f}s, raw COPY {copy_seconds:.2f}s, {ROWS} rows")
    print(f"BENCH import_100k_vs_copy {import_seconds / copy_seconds:.2f} ratio", flush=True)

    # Best of three each, interleaved, to damp the noise of a shared machine.
    verify_rates, cursor_rates = [], []
    for _ in range(3):
        seconds, result = timed(ledger.verify)
        assert result.ok, result
        verify_rates.append(result.events / seconds)
        cursor_rates.append(cursor_read_rate())
    print(f"# verify {max(verify_rates):,.0f} events/s, raw cursor {max(cursor_rates):,.0f} rows/s")
    print(f"BENCH verify_vs_cursor {max(verify_rates) / max(cursor_rates):.2f} ratio", flush=True)


if __name__ == "__main__":
    main()
