"""The ledger's indexes: each lookup served once, no index that only costs writes."""

import pytest
from django.db import connection

from compliance.models import AuditEvent

pytestmark = pytest.mark.django_db


def _indexes() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, AuditEvent._meta.db_table)
    return {name: c["columns"] for name, c in constraints.items() if c["index"] and not c["primary_key"]}


def test_a_cases_events_are_found_by_the_case_and_sequence_index_alone():
    columns = list(_indexes().values())
    assert ["case_id", "seq"] in columns
    assert ["case_id"] not in columns


def test_the_case_and_sequence_index_serves_a_lookup_by_case():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN SELECT seq FROM compliance_auditevent WHERE case_id = 1 ORDER BY seq")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    case_index = next(name for name, cols in _indexes().items() if cols == ["case_id", "seq"])
    assert case_index in plan
