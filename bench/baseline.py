"""Baselines measured in the same run as the figure they divide (the machine is noisy)."""

import io
import time

from django.db import connection, transaction


def raw_copy_seconds(tables: list[str]) -> float:
    """Dump what the measured code wrote to `tables`, empty them, and time a raw binary COPY
    of exactly those rows back into the same tables (indexes and constraints included)."""
    dumps = {}
    with connection.cursor() as cursor:
        for table in tables:
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY {table} TO STDOUT (FORMAT binary)") as copy:
                for chunk in copy:
                    buffer.write(chunk)
            dumps[table] = buffer.getvalue()
        # A benchmark harness, not the product: switch the ledger's triggers off to empty it.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        cursor.execute("SET session_replication_role = DEFAULT")
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            with cursor.cursor.copy(f"COPY {table} FROM STDIN (FORMAT binary)") as copy:
                copy.write(dumps[table])
    return time.perf_counter() - start
