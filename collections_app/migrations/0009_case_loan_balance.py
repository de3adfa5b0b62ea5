"""The loan's balance, kept on its case by the database, for the work queue's ranking.

The queue orders a collector's whole book by balance × propensity on every page. Reading
each case's balance from the loan table cost one index lookup per case of the book
(about 7 ms of a 2,000-case page at a million loans). The case now carries a copy of the
balance, written by triggers on every write path (the services' ORM saves, the
importers' COPY and INSERT … SELECT, raw SQL alike). Read `loan.balance` for the money:
this copy serves the ranking.

PostgreSQL: a row-level BEFORE trigger fills the copy as a case is written (no second
write of the row), and a statement-level trigger with a transition table follows the
loans' balances. SQLite (the embedded default): row-level AFTER triggers.

Any later migration that makes SQLite rebuild the case or loan table drops the SQLite
triggers (see 0008): it must create them again.
"""

from django.db import migrations, models

CASE, LOAN = "collections_app_case", "collections_app_loan"

PG_CASE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION queue_facts_case_loan_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.loan_balance := (SELECT l.balance FROM {LOAN} l WHERE l.id = NEW.loan_id);
  RETURN NEW;
END $$
"""
PG_CASE_TRIGGER = (
    f"CREATE TRIGGER queue_facts_case_loan_balance BEFORE INSERT OR UPDATE OF loan_id, loan_balance ON {CASE}"
    " FOR EACH ROW EXECUTE FUNCTION queue_facts_case_loan_balance()"
)
PG_LOAN_FUNCTION = f"""
CREATE OR REPLACE FUNCTION queue_facts_loan_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE {CASE} c SET loan_balance = n.balance FROM new_rows n
   WHERE c.loan_id = n.id AND c.loan_balance IS DISTINCT FROM n.balance;
  RETURN NULL;
END $$
"""
# Transition tables cannot go with a column list (UPDATE OF balance): the body compares.
PG_LOAN_TRIGGER = (
    f"CREATE TRIGGER queue_facts_loan_balance AFTER UPDATE ON {LOAN} REFERENCING NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION queue_facts_loan_balance()"
)

SQLITE_FROM_LOAN = f"(SELECT l.balance FROM {LOAN} l WHERE l.id = NEW.loan_id)"
SQLITE_TRIGGERS = {
    "queue_facts_case_loan_balance_insert":
        f"AFTER INSERT ON {CASE} FOR EACH ROW BEGIN"
        f" UPDATE {CASE} SET loan_balance = {SQLITE_FROM_LOAN} WHERE id = NEW.id; END",
    # A write of the copy itself (a stale instance saved, raw SQL) is put right again.
    "queue_facts_case_loan_balance_update":
        f"AFTER UPDATE OF loan_id, loan_balance ON {CASE} FOR EACH ROW BEGIN"
        f" UPDATE {CASE} SET loan_balance = {SQLITE_FROM_LOAN} WHERE id = NEW.id; END",
    "queue_facts_loan_balance_update":
        f"AFTER UPDATE OF balance ON {LOAN} FOR EACH ROW BEGIN"
        f" UPDATE {CASE} SET loan_balance = NEW.balance WHERE loan_id = NEW.id; END",
}


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(
        f"UPDATE {CASE} SET loan_balance = (SELECT l.balance FROM {LOAN} l WHERE l.id = {CASE}.loan_id)"
    )
    if vendor == "postgresql":
        for statement in (PG_CASE_FUNCTION, PG_CASE_TRIGGER, PG_LOAN_FUNCTION, PG_LOAN_TRIGGER):
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        for name, body in SQLITE_TRIGGERS.items():
            schema_editor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
    else:
        raise NotImplementedError(f"the case's loan balance needs triggers for {vendor}")


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS queue_facts_case_loan_balance ON {CASE}")
        schema_editor.execute("DROP FUNCTION IF EXISTS queue_facts_case_loan_balance()")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS queue_facts_loan_balance ON {LOAN}")
        schema_editor.execute("DROP FUNCTION IF EXISTS queue_facts_loan_balance()")
    else:
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("collections_app", "0008_redundant_indexes")]

    operations = [
        # Nullable and without a default, so SQLite adds the column in place instead of
        # rebuilding the table (which would drop the queue-facts triggers of 0007).
        migrations.AddField("case", "loan_balance", models.DecimalField(
            decimal_places=2, max_digits=14, editable=False, null=True,
            help_text="Copy of the loan's balance kept by database triggers for ranking the work queue")),
        migrations.RunPython(install, remove),
    ]
