"""The work queue's priority facts, kept on each case by the database.

The queue ranks a collector's whole book on every page; reading six correlated subqueries
per case for that grows with the history tables. Instead each case carries the facts its
priority is made of, and triggers keep them equal to what they summarise on every write
path: the gate's raw INSERT of attempts, the importers' COPY + INSERT … SELECT, the
services' ORM writes and the nightly promise check alike.

Timestamps and dates are stored, not "recently" booleans, so the queue's 30- and 90-day
windows are applied when it is read and decay with time.

PostgreSQL: statement-level triggers with transition tables, so a bulk import recomputes
each touched case once, not once per row. SQLite (the embedded default): row-level
triggers running the same recomputation.
"""

from django.db import migrations, models

CASE = "collections_app_case"
SPOKE = "('conversation', 'right_party_contact', 'promise')"
UNANSWERED = "('no_answer', 'voicemail', 'busy')"
SPOKE_OR_UNANSWERED = "('conversation', 'right_party_contact', 'promise', 'no_answer', 'voicemail', 'busy')"

# Each fact as an expression over the row of collections_app_case being updated (the
# table is not aliased, so the same text serves PostgreSQL and SQLite).
FACTS = {
    "next_promise_due": (
        "(SELECT MIN(p.due_date) FROM collections_app_promisetopay p"
        f" WHERE p.case_id = {CASE}.id AND p.status = 'open')"
    ),
    "has_broken_promise": (
        "EXISTS (SELECT 1 FROM collections_app_promisetopay p"
        f" WHERE p.case_id = {CASE}.id AND p.status = 'broken')"
    ),
    "next_instalment_due": (
        "(SELECT MIN(i.due_date) FROM collections_app_instalment i"
        " JOIN collections_app_paymentplan pl ON pl.id = i.plan_id"
        f" WHERE pl.case_id = {CASE}.id AND pl.status = 'active' AND i.paid_amount < i.amount)"
    ),
    "last_payment_on": (
        f"(SELECT MAX(pm.received_on) FROM collections_app_payment pm WHERE pm.loan_id = {CASE}.loan_id)"
    ),
    # Newest first on the (case, at) index: stops at the first match however long the history.
    "last_spoke_at": (
        "(SELECT a.at FROM collections_app_contactattempt a"
        f" WHERE a.case_id = {CASE}.id AND a.allowed AND a.outcome IN {SPOKE} ORDER BY a.at DESC LIMIT 1)"
    ),
    "last_unanswered_at": (
        "(SELECT a.at FROM collections_app_contactattempt a"
        f" WHERE a.case_id = {CASE}.id AND a.allowed AND a.outcome IN {UNANSWERED} ORDER BY a.at DESC LIMIT 1)"
    ),
}


class Source:
    """A table whose writes change some facts: which facts, the column naming the case (or
    what leads to it), and the columns whose change matters on UPDATE."""

    def __init__(self, table, facts, key, watched):
        self.table, self.facts, self.key, self.watched = table, facts, key, watched

    def target(self, keys: str) -> str:
        """WHERE clause on collections_app_case for the cases named by `keys` (a subquery or value)."""
        if self.key == "plan_id":
            return f"id IN (SELECT pl.case_id FROM collections_app_paymentplan pl WHERE pl.id IN ({keys}))"
        if self.key == "loan_id":
            return f"loan_id IN ({keys})"
        return f"id IN ({keys})"

    def recompute(self, keys: str) -> str:
        assignments = ", ".join(f"{fact} = {FACTS[fact]}" for fact in self.facts)
        return f"UPDATE {CASE} SET {assignments} WHERE {self.target(keys)}"


SOURCES = [
    Source("collections_app_promisetopay", ["next_promise_due", "has_broken_promise"], "case_id",
           ["case_id", "status", "due_date"]),
    Source("collections_app_paymentplan", ["next_instalment_due"], "case_id", ["case_id", "status"]),
    Source("collections_app_instalment", ["next_instalment_due"], "plan_id",
           ["plan_id", "due_date", "amount", "paid_amount"]),
    Source("collections_app_payment", ["last_payment_on"], "loan_id", ["loan_id", "received_on"]),
    Source("collections_app_contactattempt", ["last_spoke_at", "last_unanswered_at"], "case_id",
           ["case_id", "at", "outcome", "allowed"]),
    # A case created after its loan's payments were posted starts with them counted.
    Source(CASE, ["last_payment_on"], "id", []),
]
ATTEMPTS = "collections_app_contactattempt"

# An attempt can only raise the newest conversation or unanswered moment: the gate's hot
# path and the bulk import take the maximum of the new rows instead of rereading history.
PG_ATTEMPT_INSERT = f"""
    UPDATE {CASE} c SET last_spoke_at = GREATEST(c.last_spoke_at, n.spoke),
                        last_unanswered_at = GREATEST(c.last_unanswered_at, n.unanswered)
    FROM (SELECT case_id, MAX(at) FILTER (WHERE outcome IN {SPOKE}) AS spoke,
                 MAX(at) FILTER (WHERE outcome IN {UNANSWERED}) AS unanswered
          FROM new_rows WHERE allowed AND outcome IN {SPOKE_OR_UNANSWERED} GROUP BY case_id) n
    WHERE c.id = n.case_id
      AND (c.last_spoke_at IS DISTINCT FROM GREATEST(c.last_spoke_at, n.spoke)
           OR c.last_unanswered_at IS DISTINCT FROM GREATEST(c.last_unanswered_at, n.unanswered))
"""


def _name(source: Source, event: str) -> str:
    return f"queue_facts_{source.table.removeprefix('collections_app_')}_{event.lower()}"


def _pg_body(source: Source, event: str) -> str:
    if source.table == ATTEMPTS and event == "INSERT":
        return PG_ATTEMPT_INSERT
    if source.table == CASE:
        return source.recompute(
            "SELECT n.id FROM new_rows n WHERE EXISTS (SELECT 1 FROM collections_app_payment pm"
            " WHERE pm.loan_id = n.loan_id)"
        )
    if event == "INSERT":
        return source.recompute(f"SELECT {source.key} FROM new_rows")
    if event == "DELETE":
        return source.recompute(f"SELECT {source.key} FROM old_rows")
    changed = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in source.watched)
    moved = f"SELECT o.{source.key} FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed}"
    return source.recompute(f"{moved} UNION SELECT n.{source.key} FROM old_rows o JOIN new_rows n"
                            f" ON n.id = o.id WHERE {changed}")


def _pg_events(source: Source):
    return ["INSERT"] if source.table == CASE else ["INSERT", "UPDATE", "DELETE"]


REFERENCING = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows",
               "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}


def _install_postgresql(schema_editor):
    for source in SOURCES:
        for event in _pg_events(source):
            name = _name(source, event)
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
                f" BEGIN {_pg_body(source, event)}; RETURN NULL; END $$"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {source.table} REFERENCING {REFERENCING[event]}"
                f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )


def _sqlite_statements(source: Source):
    if source.table == CASE:
        yield "INSERT", "", [source.recompute("NEW.id")]
        return
    yield "INSERT", "", [source.recompute(f"NEW.{source.key}")]
    yield "DELETE", "", [source.recompute(f"OLD.{source.key}")]
    yield "UPDATE", f" OF {', '.join(source.watched)}", [
        source.recompute(f"OLD.{source.key}"), source.recompute(f"NEW.{source.key}"),
    ]


def _install_sqlite(schema_editor):
    for source in SOURCES:
        for event, columns, statements in _sqlite_statements(source):
            body = " ".join(f"{s};" for s in statements)
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {_name(source, event)} AFTER {event}{columns} ON {source.table}"
                f" FOR EACH ROW BEGIN {body} END"
            )


def backfill_sql() -> str:
    assignments = ", ".join(f"{fact} = {expression}" for fact, expression in FACTS.items())
    return f"UPDATE {CASE} SET {assignments}"


def install(apps, schema_editor):
    schema_editor.execute(backfill_sql())
    if schema_editor.connection.vendor == "postgresql":
        _install_postgresql(schema_editor)
    elif schema_editor.connection.vendor == "sqlite":
        _install_sqlite(schema_editor)
    else:
        raise NotImplementedError(f"queue facts need triggers for {schema_editor.connection.vendor}")


def remove(apps, schema_editor):
    for source in SOURCES:
        events = _pg_events(source) if schema_editor.connection.vendor == "postgresql" else [
            e for e, _, _ in _sqlite_statements(source)]
        for event in events:
            name = _name(source, event)
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {source.table}")
                schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
            else:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("collections_app", "0006_callbacks")]

    operations = [
        migrations.AddField("case", "next_promise_due", models.DateField(editable=False, null=True)),
        migrations.AddField("case", "next_instalment_due", models.DateField(editable=False, null=True)),
        migrations.AddField("case", "last_payment_on", models.DateField(editable=False, null=True)),
        migrations.AddField("case", "last_spoke_at", models.DateTimeField(editable=False, null=True)),
        migrations.AddField("case", "last_unanswered_at", models.DateTimeField(editable=False, null=True)),
        migrations.AddField("case", "has_broken_promise",
                            models.BooleanField(db_default=False, default=False, editable=False)),
        migrations.RunPython(install, remove, elidable=False),
    ]
