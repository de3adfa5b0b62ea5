"""Plain SQL on the current connection, for the hot paths that build no model instances."""

from django.db import connection


def run(queries: list[tuple[str, list]]) -> list[list[tuple]]:
    """Execute queries in order; return every result (an empty list for statements)."""
    results = []
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            results.append(cursor.fetchall() if cursor.description else [])
    return results


def db_moment(value):
    """A moment as the database stores it (SQLite: naive UTC text, as the ORM writes it)."""
    return connection.ops.adapt_datetimefield_value(value)
